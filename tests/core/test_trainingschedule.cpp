// The system profile's schedule simulation (core/system/trainingschedule.h): against the
// closed forms that hold for equal stages (1F1B and GPipe: (m + p - 1)(f + b); interleaved:
// the bubble shrinks to (p - 1)/v microbatch times, Narayanan et al. 2021), the dependencies of
// every operation, the gradient reduction's overlap, and the in-flight counts the memory model
// takes from the same orders.

#include <QtTest>

#include <cmath>
#include <map>
#include <tuple>

#include "core/system/trainingschedule.h"

using namespace phaze;

namespace {

ScheduleProblem uniform(int p, int v, long long m, PipelineSchedule schedule, double f, double b)
{
    ScheduleProblem q;
    q.stages = p;
    q.chunks = v;
    q.microbatches = m;
    q.schedule = schedule;
    q.work.assign(std::size_t(p) * std::size_t(v), ChunkWork{f / v, b / v, 0.0, 0.0});
    q.reduction.assign(std::size_t(p) * std::size_t(v), 0.0);
    q.optimizerStep.assign(std::size_t(p), 0.0);
    return q;
}

bool close(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

} // namespace

class TestTrainingSchedule : public QObject
{
    Q_OBJECT

private slots:
    void equalStagesGiveTheClosedForms()
    {
        for (PipelineSchedule schedule : {PipelineSchedule::OneFOneB, PipelineSchedule::GPipe})
            for (int p : {1, 2, 4, 7})
                for (long long m : {1LL, 3LL, 8LL, 32LL}) {
                    const Result<ScheduleResult> r =
                        simulateTrainingSchedule(uniform(p, 1, m, schedule, 1.0, 2.0), false);
                    QVERIFY(r.ok());
                    QVERIFY2(close(r.value->iterationTime, double(m + p - 1) * 3.0),
                             qPrintable(QStringLiteral("p %1 m %2: %3").arg(p).arg(m).arg(r.value->iterationTime)));
                }
    }

    // Megatron's interleaved schedule: m x (f + b) of work plus a bubble of (p - 1)/v
    // microbatch times, for every m that is a multiple of p.
    void interleavingShrinksTheBubble()
    {
        for (int p : {2, 4, 8})
            for (int v : {2, 3, 4})
                for (long long k : {1LL, 2LL, 4LL}) {
                    const long long m = k * p;
                    const Result<ScheduleResult> r = simulateTrainingSchedule(
                        uniform(p, v, m, PipelineSchedule::OneFOneB, 1.0, 2.0), false);
                    QVERIFY(r.ok());
                    const double expected = double(m) * 3.0 + double(p - 1) / v * 3.0;
                    QVERIFY2(close(r.value->iterationTime, expected),
                             qPrintable(QStringLiteral("p %1 v %2 m %3: %4 vs %5")
                                            .arg(p).arg(v).arg(m)
                                            .arg(r.value->iterationTime).arg(expected)));
                }
    }

    // Every operation starts after its input and after the previous operation of its stage;
    // each stage runs every microbatch-chunk forward and backward once.
    void everyOperationWaitsForItsInput()
    {
        ScheduleProblem q = uniform(4, 2, 8, PipelineSchedule::OneFOneB, 1.0, 2.0);
        // Unequal stages and sends, so waits actually happen.
        for (std::size_t i = 0; i < q.work.size(); ++i) {
            q.work[i].forward *= 1.0 + 0.3 * double(i % 3);
            q.work[i].forwardSend = 0.05;
            q.work[i].backwardSend = 0.07;
        }
        q.work.back().forwardSend = 0.0;
        q.work.front().backwardSend = 0.0;
        const Result<ScheduleResult> r = simulateTrainingSchedule(q, true);
        QVERIFY(r.ok());
        std::map<std::tuple<int, int, int, int>, std::pair<double, double>> span; // kind stage chunk mb
        std::map<int, double> lastEnd;
        int passes = 0;
        for (const TimelineEvent &e : r.value->events) {
            if (e.kind != TimelineKind::Forward && e.kind != TimelineKind::Backward)
                continue;
            ++passes;
            QVERIFY(e.start >= lastEnd[e.stage] - 1e-12);
            lastEnd[e.stage] = e.end;
            span[{int(e.kind), e.stage, e.chunk, e.microbatch}] = {e.start, e.end};
        }
        QCOMPARE(passes, 2 * 4 * 2 * 8);
        const int fwd = int(TimelineKind::Forward);
        const int bwd = int(TimelineKind::Backward);
        for (const auto &[key, times] : span) {
            const auto [kind, s, c, mb] = key;
            double ready = 0.0;
            if (kind == fwd && s > 0)
                ready = span.at({fwd, s - 1, c, mb}).second + q.work[std::size_t((s - 1) * 2 + c)].forwardSend;
            else if (kind == fwd && c > 0)
                ready = span.at({fwd, 3, c - 1, mb}).second + q.work[std::size_t(3 * 2 + c - 1)].forwardSend;
            else if (kind == bwd && s < 3)
                ready = span.at({bwd, s + 1, c, mb}).second + q.work[std::size_t((s + 1) * 2 + c)].backwardSend;
            else if (kind == bwd && c < 1)
                ready = span.at({bwd, 0, c + 1, mb}).second + q.work[std::size_t(c + 1)].backwardSend;
            else if (kind == bwd)
                ready = span.at({fwd, s, c, mb}).second;
            QVERIFY(times.first >= ready - 1e-12);
        }
    }

    // The reduction overlaps the stage's last backward pass when asked; the optimizer step
    // follows it; the critical stage is the one that ends last.
    void reductionOverlapsTheLastBackward()
    {
        // One stage, two microbatches: F0 [0,1] B0 [1,3] F1 [3,4] B1 [4,6].
        ScheduleProblem q = uniform(1, 1, 2, PipelineSchedule::OneFOneB, 1.0, 2.0);
        q.reduction = {1.5};
        q.optimizerStep = {0.25};
        QCOMPARE(simulateTrainingSchedule(q, false).value->iterationTime, 6.25); // hidden
        q.reduction = {3.0};
        QCOMPARE(simulateTrainingSchedule(q, false).value->iterationTime, 7.25); // 1 s exposed
        q.overlapReduction = false;
        QCOMPARE(simulateTrainingSchedule(q, false).value->iterationTime, 9.25);

        ScheduleProblem two = uniform(2, 1, 4, PipelineSchedule::OneFOneB, 1.0, 2.0);
        two.reduction = {0.0, 10.0}; // the last stage's reduction outlasts the first's drain
        const Result<ScheduleResult> r = simulateTrainingSchedule(two, true);
        QCOMPARE(r.value->criticalStage, 1);
        QVERIFY(close(r.value->iterationTime, r.value->stages[1].end));
        QVERIFY(r.value->stages[1].end > r.value->stages[0].end);
    }

    // With chunks, each chunk's reduction starts with its own last backward pass: the chunk
    // whose gradients are final early reduces behind the others' backward passes.
    void chunkReductionsOverlapEarlier()
    {
        ScheduleProblem q = uniform(2, 2, 4, PipelineSchedule::OneFOneB, 1.0, 2.0);
        const double plain = simulateTrainingSchedule(q, false).value->iterationTime;
        // Stage 0's chunk 1 finishes its backward passes well before the stage's last one.
        q.reduction[1] = 1.5;
        const Result<ScheduleResult> r = simulateTrainingSchedule(q, true);
        QCOMPARE(r.value->iterationTime, plain); // hidden
        q.overlapReduction = false;
        QVERIFY(close(simulateTrainingSchedule(q, false).value->iterationTime, plain + 1.5));
        // Two reductions on one stage share its links: they do not run at once.
        q.overlapReduction = true;
        q.reduction[0] = 2.0;
        const Result<ScheduleResult> both = simulateTrainingSchedule(q, true);
        std::vector<std::pair<double, double>> spans;
        for (const TimelineEvent &e : both.value->events)
            if (e.kind == TimelineKind::AllReduce && e.stage == 0)
                spans.push_back({e.start, e.end});
        QCOMPARE(spans.size(), std::size_t(2));
        QVERIFY(spans[1].first >= spans[0].second - 1e-12);
    }

    // The memory model's in-flight counts come from the same orders the simulation runs.
    void inFlightCountsFollowTheOrder()
    {
        for (PipelineSchedule schedule : {PipelineSchedule::OneFOneB, PipelineSchedule::GPipe})
            for (int p : {1, 2, 4})
                for (int v : {1, 2, 3}) {
                    if (v > 1 && (schedule == PipelineSchedule::GPipe || p == 1))
                        continue;
                    for (long long m : {4LL, 8LL, 12LL}) {
                        const Result<ScheduleResult> r =
                            simulateTrainingSchedule(uniform(p, v, m, schedule, 1.0, 2.0), true);
                        QVERIFY(r.ok());
                        for (int s = 0; s < p; ++s) {
                            long long held = 0, peak = 0;
                            for (const TimelineEvent &e : r.value->events) {
                                if (e.stage != s)
                                    continue;
                                if (e.kind == TimelineKind::Forward)
                                    peak = std::max(peak, ++held);
                                else if (e.kind == TimelineKind::Backward)
                                    --held;
                            }
                            QCOMPARE(peakInFlightChunks(schedule, s, p, v, m), peak);
                        }
                    }
                }
    }

    void inconsistentProblemsAreErrors()
    {
        ScheduleProblem q = uniform(4, 2, 6, PipelineSchedule::OneFOneB, 1.0, 2.0);
        const Result<ScheduleResult> r = simulateTrainingSchedule(q, false);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.message).contains(QStringLiteral("multiple of the stages")));
        ScheduleProblem g = uniform(2, 2, 4, PipelineSchedule::GPipe, 1.0, 2.0);
        QVERIFY(!simulateTrainingSchedule(g, false).ok());
        ScheduleProblem sizes = uniform(2, 1, 4, PipelineSchedule::OneFOneB, 1.0, 2.0);
        sizes.reduction.push_back(0.0);
        QVERIFY(!simulateTrainingSchedule(sizes, false).ok());
    }
};

QTEST_MAIN(TestTrainingSchedule)
#include "test_trainingschedule.moc"
