#include "core/placement/pipelinetimeline.h"

#include <algorithm>

#include "core/placement/placementevaluator.h"

namespace phaze {
namespace {

struct Op {
    bool backward = false;
    int microbatch = 0;
};

// The order in which a stage runs its operations.
std::vector<Op> stageOrder(PipelineSchedule schedule, int stage, int stages, int microbatches)
{
    std::vector<Op> ops;
    if (schedule == PipelineSchedule::GPipe) {
        for (int k = 0; k < microbatches; ++k)
            ops.push_back({false, k});
        for (int k = microbatches - 1; k >= 0; --k)
            ops.push_back({true, k});
        return ops;
    }
    // 1F1B (PipeDream-Flush): warm up with as many forwards as stages after this one, then
    // alternate one forward and one backward, then drain.
    const int warmup = std::min(stages - stage - 1, microbatches);
    for (int k = 0; k < warmup; ++k)
        ops.push_back({false, k});
    for (int k = 0; k < microbatches; ++k) {
        if (warmup + k < microbatches)
            ops.push_back({false, warmup + k});
        ops.push_back({true, k});
    }
    return ops;
}

} // namespace

PipelineTimeline simulatePipeline(const Placement &placement, PipelineSchedule schedule,
                                  double bandwidth)
{
    PipelineTimeline out;
    out.closedForm = placement.timePerBatch;
    const int stages = int(placement.stages.size());
    const int m = placement.microbatchesPerPipeline;
    if (stages == 0 || m < 1)
        return out;
    constexpr double kNotYet = -1.0;
    // End times per (stage, microbatch), kNotYet until scheduled.
    std::vector<double> forwardEnd(std::size_t(stages) * m, kNotYet);
    std::vector<double> backwardEnd(std::size_t(stages) * m, kNotYet);
    const auto at = [m](int stage, int k) {
        return std::size_t(stage) * m + std::size_t(k);
    };
    std::vector<std::vector<Op>> orders;
    for (int i = 0; i < stages; ++i)
        orders.push_back(stageOrder(schedule, i, stages, m));
    std::vector<std::size_t> next(std::size_t(stages), 0);
    std::vector<double> free(std::size_t(stages), 0.0);
    std::size_t remaining = std::size_t(stages) * m * 2;
    while (remaining > 0) {
        bool progressed = false;
        for (int i = 0; i < stages; ++i) {
            const PlacedStage &st = placement.stages[std::size_t(i)];
            while (next[std::size_t(i)] < orders[std::size_t(i)].size()) {
                const Op op = orders[std::size_t(i)][next[std::size_t(i)]];
                double ready = 0.0;
                if (!op.backward && i > 0)
                    ready = forwardEnd[at(i - 1, op.microbatch)];
                else if (op.backward && i + 1 < stages)
                    ready = backwardEnd[at(i + 1, op.microbatch)];
                else if (op.backward)
                    ready = forwardEnd[at(i, op.microbatch)];
                if (ready == kNotYet)
                    break;
                const double start = std::max(free[std::size_t(i)], ready);
                const double end = start + (op.backward ? st.backward : st.forward);
                (op.backward ? backwardEnd : forwardEnd)[at(i, op.microbatch)] = end;
                free[std::size_t(i)] = end;
                out.events.push_back({i, op.microbatch,
                                      op.backward ? TimelineKind::Backward : TimelineKind::Forward,
                                      start, end, 0});
                ++next[std::size_t(i)];
                --remaining;
                progressed = true;
            }
        }
        if (!progressed)
            break; // cannot happen for these schedules; guards against an endless loop
    }
    double busy = 0.0;
    for (int i = 0; i < stages; ++i) {
        out.pipelineMakespan = std::max(out.pipelineMakespan, free[std::size_t(i)]);
        busy += m * placement.stages[std::size_t(i)].load;
    }
    out.makespan = out.pipelineMakespan;
    for (int i = 0; i < stages; ++i) {
        const double sync = allReduceTime(
            placement.dataParallel, placement.stages[std::size_t(i)].parameterBytes, bandwidth);
        if (sync <= 0.0)
            continue;
        out.events.push_back(
            {i, -1, TimelineKind::AllReduce, free[std::size_t(i)], free[std::size_t(i)] + sync, 0});
        out.makespan = std::max(out.makespan, free[std::size_t(i)] + sync);
    }
    if (out.pipelineMakespan > 0.0)
        out.bubbleFraction = 1.0 - busy / (stages * out.pipelineMakespan);
    return out;
}

} // namespace phaze
