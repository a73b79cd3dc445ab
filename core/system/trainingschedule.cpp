#include "core/system/trainingschedule.h"

#include <algorithm>
#include <string>

namespace phaze {
namespace {

struct Step {
    bool backward = false;
    long long microbatch = 0;
    int chunk = 0;
};

// Megatron's numbering of a stage's k-th forward (or backward) microbatch-chunk under the
// interleaved schedule: groups of p microbatches go through chunk 0, then chunk 1, ...; the
// backward passes take the chunks in reverse (megatron/core/pipeline_parallel/schedules.py,
// get_model_chunk_id). With v = 1 the k-th is simply microbatch k.
Step numbered(long long k, bool backward, int p, int v)
{
    const long long group = static_cast<long long>(p) * v;
    int chunk = int((k % group) / p);
    if (backward)
        chunk = v - 1 - chunk;
    return {backward, (k / group) * p + k % p, chunk};
}

long long warmupCount(PipelineSchedule schedule, int stage, int p, int v, long long m)
{
    const long long total = m * v;
    if (schedule == PipelineSchedule::GPipe)
        return total;
    if (v == 1)
        return std::min<long long>(p - stage - 1, m);
    if (m == p) // Megatron runs every forward first when there are exactly p microbatches
        return total;
    return std::min<long long>(static_cast<long long>(p - stage - 1) * 2 +
                                   static_cast<long long>(v - 1) * p,
                               total);
}

// The i-th operation a stage runs (0 <= i < 2 m v), computed rather than stored: the
// simulation of a long pipeline visits millions of them.
class StageOrder
{
public:
    StageOrder(PipelineSchedule schedule, int stage, int p, int v, long long m)
        : m_gpipe(schedule == PipelineSchedule::GPipe), m_p(p), m_v(v), m_m(m), m_total(m * v),
          m_warmup(warmupCount(schedule, stage, p, v, m))
    {
    }
    long long size() const { return 2 * m_total; }
    Step at(long long i) const
    {
        if (m_gpipe) // v == 1: every forward, then the backwards in reverse
            return i < m_m ? Step{false, i, 0} : Step{true, 2 * m_m - 1 - i, 0};
        if (i < m_warmup)
            return numbered(i, false, m_p, m_v);
        const long long j = i - m_warmup;
        const long long steady = 2 * (m_total - m_warmup); // one forward, one backward, ...
        if (j < steady)
            return j % 2 == 0 ? numbered(m_warmup + j / 2, false, m_p, m_v)
                              : numbered(j / 2, true, m_p, m_v);
        return numbered(m_total - m_warmup + (j - steady), true, m_p, m_v);
    }

private:
    bool m_gpipe;
    int m_p, m_v;
    long long m_m, m_total, m_warmup;
};

std::string check(const ScheduleProblem &q)
{
    if (q.stages < 1 || q.chunks < 1 || q.microbatches < 1)
        return "the schedule needs at least one stage, chunk and microbatch";
    if (q.chunks > 1 && q.schedule != PipelineSchedule::OneFOneB)
        return "model chunks (interleave > 1) need the 1F1B schedule";
    if (q.chunks > 1 && q.microbatches % q.stages != 0)
        return "the interleaved schedule needs the microbatches (" +
               std::to_string(q.microbatches) + ") to be a multiple of the stages (" +
               std::to_string(q.stages) + ")";
    const std::size_t p = std::size_t(q.stages);
    if (q.work.size() != p * std::size_t(q.chunks) ||
        q.reduction.size() != p * std::size_t(q.chunks) || q.optimizerStep.size() != p)
        return "the schedule's work, reduction and optimizer step are not one per stage and chunk";
    return {};
}

} // namespace

long long peakInFlightChunks(PipelineSchedule schedule, int stage, int stages, int chunks,
                             long long microbatches)
{
    if (schedule == PipelineSchedule::GPipe)
        return microbatches * chunks;
    // Forwards run ahead of backwards by the warm-up, then one more before the first backward.
    return std::min(microbatches * chunks,
                    warmupCount(schedule, stage, stages, chunks, microbatches) + 1);
}

Result<ScheduleResult> simulateTrainingSchedule(const ScheduleProblem &q, bool keepEvents)
{
    if (std::string why = check(q); !why.empty())
        return Result<ScheduleResult>::error(why);
    const int p = q.stages;
    const int v = q.chunks;
    const long long m = q.microbatches;
    constexpr double kNotYet = -1.0;
    // End (send included) of every forward and backward, per stage, chunk and microbatch.
    const auto at = [&](int stage, int chunk, long long mb) {
        return (std::size_t(stage) * std::size_t(v) + std::size_t(chunk)) * std::size_t(m) +
               std::size_t(mb);
    };
    const std::size_t slots = std::size_t(p) * std::size_t(v) * std::size_t(m);
    std::vector<double> forwardEnd(slots, kNotYet);
    std::vector<double> backwardEnd(slots, kNotYet);
    std::vector<StageOrder> orders;
    for (int s = 0; s < p; ++s)
        orders.emplace_back(q.schedule, s, p, v, m);

    ScheduleResult out;
    out.stages.resize(std::size_t(p));
    std::vector<long long> next(std::size_t(p), 0);
    std::vector<double> free(std::size_t(p), 0.0);
    // Per stage and chunk: when its last backward pass started (its gradients' last update).
    std::vector<double> lastBackwardStart(std::size_t(p) * std::size_t(v), 0.0);
    std::size_t remaining = 2 * slots;
    while (remaining > 0) {
        bool progressed = false;
        for (int s = 0; s < p; ++s) {
            const StageOrder &order = orders[std::size_t(s)];
            while (next[std::size_t(s)] < order.size()) {
                const Step step = order.at(next[std::size_t(s)]);
                // The input: from the previous chunk (forward) or the next one (backward); the
                // model's last chunk starts its backward from its own forward.
                double ready = 0.0;
                if (!step.backward) {
                    if (s > 0)
                        ready = forwardEnd[at(s - 1, step.chunk, step.microbatch)];
                    else if (step.chunk > 0)
                        ready = forwardEnd[at(p - 1, step.chunk - 1, step.microbatch)];
                } else {
                    if (s + 1 < p)
                        ready = backwardEnd[at(s + 1, step.chunk, step.microbatch)];
                    else if (step.chunk + 1 < v)
                        ready = backwardEnd[at(0, step.chunk + 1, step.microbatch)];
                    else
                        ready = forwardEnd[at(s, step.chunk, step.microbatch)];
                }
                if (ready == kNotYet)
                    break;
                const ChunkWork &w = q.work[std::size_t(s) * std::size_t(v) + std::size_t(step.chunk)];
                const double compute = step.backward ? w.backward : w.forward;
                const double send = step.backward ? w.backwardSend : w.forwardSend;
                const double start = std::max(free[std::size_t(s)], ready);
                const double end = start + compute + send;
                (step.backward ? backwardEnd : forwardEnd)[at(s, step.chunk, step.microbatch)] = end;
                free[std::size_t(s)] = end;
                out.stages[std::size_t(s)].busy += compute + send;
                if (step.backward)
                    lastBackwardStart[std::size_t(s) * std::size_t(v) + std::size_t(step.chunk)] =
                        start;
                if (keepEvents) {
                    const TimelineKind kind =
                        step.backward ? TimelineKind::Backward : TimelineKind::Forward;
                    out.events.push_back(
                        {s, int(step.microbatch), kind, start, start + compute, step.chunk});
                    if (send > 0.0)
                        out.events.push_back({s, int(step.microbatch), TimelineKind::Transfer,
                                              start + compute, end, step.chunk});
                }
                ++next[std::size_t(s)];
                --remaining;
                progressed = true;
            }
        }
        if (!progressed) // the orders above never deadlock; this keeps a mistake from hanging
            return Result<ScheduleResult>::error("the pipeline schedule deadlocked");
    }

    for (int s = 0; s < p; ++s) {
        StageSchedule &st = out.stages[std::size_t(s)];
        st.lastBackwardEnd = free[std::size_t(s)];
        // The chunks' reductions share the stage's links, one after another in the order their
        // gradients became final.
        std::vector<int> chunks(static_cast<std::size_t>(v));
        for (int c = 0; c < v; ++c)
            chunks[std::size_t(c)] = c;
        const auto ready = [&](int c) {
            return q.overlapReduction
                       ? lastBackwardStart[std::size_t(s) * std::size_t(v) + std::size_t(c)]
                       : st.lastBackwardEnd;
        };
        std::stable_sort(chunks.begin(), chunks.end(),
                         [&](int a, int b) { return ready(a) < ready(b); });
        double linkFree = 0.0;
        for (int c : chunks) {
            const double reduction = q.reduction[std::size_t(s) * std::size_t(v) + std::size_t(c)];
            if (reduction <= 0.0)
                continue;
            const double start = std::max(linkFree, ready(c));
            linkFree = start + reduction;
            if (keepEvents)
                out.events.push_back({s, -1, TimelineKind::AllReduce, start, linkFree, c});
        }
        st.reductionEnd = std::max(st.lastBackwardEnd, linkFree);
        st.end = st.reductionEnd + q.optimizerStep[std::size_t(s)];
        if (keepEvents && q.optimizerStep[std::size_t(s)] > 0.0)
            out.events.push_back(
                {s, -1, TimelineKind::OptimizerStep, st.reductionEnd, st.end, 0});
        if (st.end > out.iterationTime) {
            out.iterationTime = st.end;
            out.criticalStage = s;
        }
    }
    return Result<ScheduleResult>::optimal(std::move(out));
}

} // namespace phaze
