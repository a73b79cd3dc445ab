#pragma once

// Schedules the layers of a model on one accelerator configuration: each distinct layer body's
// forward and backward operator DAGs are costed (core/cost), turned into schedule problems and
// solved exactly, through a shared ScheduleCache so that identical (layer, configuration) pairs
// (repeated transformer blocks above all) are solved once. Reports per layer the forward and
// backward latency, energy, TC and VC utilisation and the schedules themselves.

#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/cost/costmodel.h"
#include "core/model/modelgraph.h"
#include "core/schedule/exactscheduler.h"
#include "core/schedule/schedulecache.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

struct PassSchedule {
    ScheduleProblem problem; // operator names, kinds and latencies, in the DAG's indices
    ScheduleCache::Entry result;
    double energy = 0.0;        // J, each operator in its chosen mode
    double tcUtilisation = 0.0; // busy TC core-time / (num_tc x makespan)
    double vcUtilisation = 0.0;

    Status status() const { return result ? result->status : Status::Error; }
    bool hasSchedule() const { return result && result->value.has_value(); }
    double latency() const; // the makespan; NaN without a schedule
};

struct LayerSchedule {
    PassSchedule forward;
    PassSchedule backward;

    // The weaker of the two statuses (Optimal only when both are).
    Status status() const;
    double energy() const { return forward.energy + backward.energy; }
    double solveSeconds() const;
};

struct LayerScheduleEntry {
    int layer = 0;       // index of the representative layer in the model graph
    std::string name;    // its name ("block.0")
    int occurrences = 0; // layers sharing its body
    LayerSchedule schedule;
};

class LayerScheduler
{
public:
    // cache may be null (no sharing between calls); both must outlive the scheduler.
    LayerScheduler(const CostModel &costModel, ScheduleCache *cache, SchedulerOptions options = {});

    // The schedule problem of one pass: operators with their costs on `config`.
    static ScheduleProblem problemOf(const OperatorDag &dag, const std::vector<OperatorCost> &costs,
                                     const AcceleratorConfig &config);

    LayerSchedule schedule(const LayerBody &body, const AcceleratorConfig &config,
                           const CancelToken &cancel = {}) const;
    // Every distinct layer of the graph, in order of first appearance. The status is the worst
    // of the layers' (Optimal, Feasible, TimeLimit); Cancelled with the layers scheduled so far;
    // Error, naming the layer, when a pass has no schedule.
    Result<std::vector<LayerScheduleEntry>> scheduleModel(const ModelGraph &graph,
                                                          const AcceleratorConfig &config,
                                                          const ProgressSink &progress = {},
                                                          const CancelToken &cancel = {}) const;

private:
    PassSchedule solvePass(ScheduleProblem problem, const CancelToken &cancel) const;

    const CostModel &m_costModel;
    ScheduleCache *m_cache;
    SchedulerOptions m_options;
};

} // namespace phaze
