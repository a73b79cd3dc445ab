#pragma once

// Scores one candidate of the co-design search (algorithms.md §5): for every model and every
// training knob (microbatch size, recomputation; the tensor-parallel width is chosen by the
// placement DP) the cost model costs the operators, the exact scheduler gives per-layer forward
// and backward latencies, and the placement DP gives the time per batch. The best knob per model
// wins; the candidate's throughput is the mean over models (as PHAZE does).

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/arch/technology.h"
#include "core/base/progress.h"
#include "core/cost/costmodel.h"
#include "core/io/projectspec.h"
#include "core/model/modelgraph.h"
#include "core/placement/placement.h"
#include "core/schedule/layerscheduler.h"
#include "core/search/searchtypes.h"

namespace phaze {

class Evaluator
{
public:
    Evaluator(ProjectSpec project, std::string baseDir, TechnologyTable technology);

    // Builds every model graph (models x microbatch sizes x tensor-parallel widths). Returns ""
    // or the first error, naming the model.
    std::string prepare();

    Evaluation evaluate(const Candidate &candidate, const CancelToken &cancel = {}) const;
    // An upper bound on evaluate(candidate).throughput, from per-layer latency lower bounds
    // (no ILP): see docs/search.md for why it is valid.
    double upperBound(const Candidate &candidate) const;
    // Exact per-sample single-accelerator latency (sum of layer forward + backward) of the first
    // model at its first knobs: what an architecture-only search minimises (decoupled baseline).
    double singleAcceleratorLatency(const AcceleratorConfig &config,
                                    const CancelToken &cancel = {}) const;
    double singleAcceleratorLatencyBound(const AcceleratorConfig &config) const;

    const TechnologyTable &technology() const { return m_technology; }

    // Where the time went (summed over threads) and how often the caches answered.
    struct Profile {
        double boundSeconds = 0.0;     // cost model + per-layer lower bounds
        double scheduleSeconds = 0.0;  // cost model + exact layer schedules (ILP), cache included
        double placementSeconds = 0.0; // placement DP
        std::uint64_t scheduleHits = 0, scheduleMisses = 0;
        std::uint64_t costHits = 0, costMisses = 0;
    };
    Profile profile() const;
    const ProjectSpec &project() const { return m_project; }

    // One model built for one microbatch size and tensor-parallel width.
    struct Variant {
        int microbatch = 1;
        int width = 1;
        ModelGraph graph;
    };
    struct PreparedModel {
        std::string label;
        std::vector<Variant> variants;
        std::optional<FixedStrategy> fixed; // the zoo model's Megatron-style baseline
    };
    const std::vector<PreparedModel> &models() const { return m_models; }

private:
    ModelOutcome evaluateModel(const PreparedModel &model, const AcceleratorConfig &config,
                               const CancelToken &cancel) const;
    // Forward/backward latency and energy of every layer of a graph (indexed like its layers).
    struct LayerTimes {
        std::vector<double> forward, backward, energy;
        Status status = Status::Optimal;
        std::string message;
    };
    LayerTimes layerTimes(const ModelGraph &graph, const AcceleratorConfig &config,
                          const CancelToken &cancel) const;
    LayerTimes layerTimeBounds(const ModelGraph &graph, const AcceleratorConfig &config) const;

    ProjectSpec m_project;
    std::string m_baseDir;
    TechnologyTable m_technology;
    CostModel m_costModel;
    std::unique_ptr<ScheduleCache> m_scheduleCache;
    std::unique_ptr<LayerScheduler> m_scheduler;
    std::vector<PreparedModel> m_models;
    // Bounds do not depend on the HBM size: remember them per architecture.
    mutable std::mutex m_boundMutex;
    mutable std::map<std::vector<double>, double> m_bounds;
    mutable std::atomic<long long> m_boundNanos{0}, m_scheduleNanos{0}, m_placementNanos{0};
};

} // namespace phaze
