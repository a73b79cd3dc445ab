#pragma once

// The evaluation recipe, the one place it exists (algorithms.md §5): for every model and every
// training knob (microbatch size, recomputation; the tensor-parallel width is chosen by the
// placement DP) the cost model costs the operators, the exact scheduler gives per-layer forward
// and backward latencies, and the placement DP gives the time per batch. The best knob per model
// wins; the candidate's throughput is the mean over models (as PHAZE does). The search scores
// candidates with it; the detail views replay a scored placement (placementreplay.h) and show
// layer schedules through it, with the same prepared project and the same caches.

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
#include "core/evaluation/evaluationtypes.h"
#include "core/evaluation/preparedproject.h"
#include "core/model/modelgraph.h"
#include "core/placement/placement.h"
#include "core/schedule/layerscheduler.h"
#include "core/spec/projectspec.h"
#include "core/system/layoutsearch.h"

namespace phaze {

class Evaluator
{
public:
    explicit Evaluator(std::shared_ptr<const PreparedProject> project);

    Evaluation evaluate(const Candidate &candidate, const CancelToken &cancel = {}) const;
    // An upper bound on evaluate(candidate).throughput, from per-layer latency lower bounds
    // (no ILP): see docs/search.md for why it is valid.
    double upperBound(const Candidate &candidate) const;
    // Exact per-sample single-accelerator latency (sum of layer forward + backward) of the first
    // model at its first knobs: what an architecture-only search minimises (decoupled baseline).
    double singleAcceleratorLatency(const AcceleratorConfig &config,
                                    const CancelToken &cancel = {}) const;
    double singleAcceleratorLatencyBound(const AcceleratorConfig &config) const;

    // The placement problem of one model at one microbatch size on an architecture: the layer
    // graph of every width with its exact per-layer latencies (the step that the search, the
    // replay of a result and the views share). Error or Cancelled when a layer has no schedule;
    // Feasible when some schedule is not proven optimal (the message says which).
    struct PlacementProblem {
        PlacementInput input; // recomputation left off: the caller's knob
        PlacementOptions options;
        std::map<int, std::vector<double>> energyByWidth; // per layer, J per microbatch
        std::map<int, std::vector<LayerEfficiency>> efficiencyByWidth;
    };
    Result<PlacementProblem> placementProblem(const PreparedModel &model, int microbatch,
                                              const AcceleratorConfig &config,
                                              const CancelToken &cancel = {}) const;
    // The exact schedule of every distinct layer of a graph (the layer-schedule view).
    Result<std::vector<LayerScheduleEntry>> layerSchedules(const ModelGraph &graph,
                                                           const AcceleratorConfig &config,
                                                           const CancelToken &cancel = {}) const;

    const PreparedProject &prepared() const { return *m_prepared; }
    const ProjectSpec &project() const { return m_prepared->spec; }
    const TechnologyTable &technology() const { return m_prepared->technology; }
    // The operator costs every evaluation uses (the project's profile and chip).
    const CostModel &costModel() const { return m_costModel; }

    // Where the time went (summed over threads) and how often the caches answered.
    struct Profile {
        double boundSeconds = 0.0;     // cost model + per-layer lower bounds
        double scheduleSeconds = 0.0;  // cost model + exact layer schedules (ILP), cache included
        double placementSeconds = 0.0; // placement DP
        std::uint64_t scheduleHits = 0, scheduleMisses = 0;
        std::uint64_t costHits = 0, costMisses = 0;
    };
    Profile profile() const;
    const std::vector<PreparedModel> &models() const { return m_prepared->models; }

    // The system profile's answer for one model on a chip: the layout search, and the best
    // layout's estimate with its simulated schedule (the Pipeline tab's timeline).
    Result<LayoutSearchResult> systemLayout(const PreparedModel &model,
                                            const AcceleratorConfig &config,
                                            const CancelToken &cancel = {}) const;
    Result<TrainingEstimate> systemSchedule(const PreparedModel &model,
                                            const AcceleratorConfig &config,
                                            const LayoutChoice &layout) const;

private:
    ModelOutcome systemOutcome(const PreparedModel &model, const AcceleratorConfig &config,
                               const CancelToken &cancel) const;
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

    std::shared_ptr<const PreparedProject> m_prepared;
    CostModel m_costModel;
    std::unique_ptr<ScheduleCache> m_scheduleCache;
    std::unique_ptr<LayerScheduler> m_scheduler;
    // Bounds do not depend on the HBM size: remember them per architecture.
    static std::vector<double> systemGemmFlops(const ProjectSpec &project);
    std::vector<double> m_gemmFlopsPerSample; // per model, under the system profile
    mutable std::mutex m_boundMutex;
    mutable std::map<std::vector<double>, double> m_bounds;
    mutable std::atomic<long long> m_boundNanos{0}, m_scheduleNanos{0}, m_placementNanos{0};
};

} // namespace phaze
