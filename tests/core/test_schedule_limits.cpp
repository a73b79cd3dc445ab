// Time limit, gap and cancellation: a hard random instance (20 operators, few edges, for which
// GLPK cannot close the gap quickly) stops on time with a valid schedule, reports Feasible with
// its gap or Cancelled with the best so far, never an unmarked heuristic value.

#include <QtTest>

#include <chrono>
#include <random>
#include <thread>

#include "core/schedule/exactscheduler.h"
#include "core/schedule/schedulevalidator.h"
#include "test_schedule_random.h"

using namespace phaze;
using Clock = std::chrono::steady_clock;

namespace {

ScheduleProblem hardProblem()
{
    std::mt19937 rng(2);
    testing::RandomProblemSpec spec;
    spec.minOps = spec.maxOps = 20;
    spec.edgeProbability = 0.15;
    return testing::randomProblem(rng, spec);
}

double seconds(Clock::time_point since)
{
    return std::chrono::duration<double>(Clock::now() - since).count();
}

} // namespace

class TestScheduleLimits : public QObject
{
    Q_OBJECT

private slots:
    void timeLimitGivesFeasibleWithGap()
    {
        const ScheduleProblem p = hardProblem();
        SchedulerOptions options;
        options.timeLimitSeconds = 0.3;
        const auto start = Clock::now();
        const Result<ScheduleSolution> r = ExactScheduler(options).solve(p);
        QVERIFY2(seconds(start) < 2.0, qPrintable(QString::number(seconds(start))));
        QCOMPARE(r.status, Status::Feasible);
        QVERIFY(r.gap && *r.gap > 0.0 && *r.gap < 1.0);
        QVERIFY(r.value->lowerBound < r.value->schedule.makespan);
        QCOMPARE(*r.gap,
                 (r.value->schedule.makespan - r.value->lowerBound) / r.value->schedule.makespan);
        QVERIFY(QString::fromStdString(r.message).contains("time limit"));
        QVERIFY(ScheduleValidator().valid(p, r.value->schedule));
    }

    void cancellationStopsQuicklyWithTheBestSoFar()
    {
        const ScheduleProblem p = hardProblem();
        SchedulerOptions options;
        options.timeLimitSeconds = 0; // none: only the token can stop it
        const CancelToken token = CancelToken::create();
        std::thread canceller([token] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            token.cancel();
        });
        const auto start = Clock::now();
        const Result<ScheduleSolution> r = ExactScheduler(options).solve(p, token);
        const double took = seconds(start);
        canceller.join();
        QVERIFY2(took < 1.5, qPrintable(QString::number(took)));
        QCOMPARE(r.status, Status::Cancelled);
        QVERIFY(r.value);
        QVERIFY(ScheduleValidator().valid(p, r.value->schedule));
    }

    void preCancelledTokenReturnsTheHeuristic()
    {
        const ScheduleProblem p = hardProblem();
        const CancelToken token = CancelToken::create();
        token.cancel();
        const Result<ScheduleSolution> r = ExactScheduler().solve(p, token);
        QCOMPARE(r.status, Status::Cancelled);
        QVERIFY(r.value);
        QCOMPARE(r.value->ilpSolves, 0);
        QVERIFY(ScheduleValidator().valid(p, r.value->schedule));
    }

    void gapToleranceIsReported()
    {
        std::mt19937 rng(7);
        testing::RandomProblemSpec spec;
        spec.minOps = spec.maxOps = 12;
        const ScheduleProblem p = testing::randomProblem(rng, spec);
        SchedulerOptions loose;
        loose.mipGap = 0.5;
        const Result<ScheduleSolution> r = ExactScheduler(loose).solve(p);
        QVERIFY(r.ok());
        if (r.status == Status::Feasible)
            QVERIFY(r.gap && *r.gap <= 0.5 + 1e-9);
        const Result<ScheduleSolution> exact = ExactScheduler().solve(p);
        QCOMPARE(exact.status, Status::Optimal);
        QVERIFY(exact.value->schedule.makespan <= r.value->schedule.makespan + 1e-9);
    }

    void badOptionsAreErrors()
    {
        SchedulerOptions options;
        options.mipGap = -1;
        QCOMPARE(ExactScheduler(options).solve(hardProblem()).status, Status::Error);
        options.mipGap = 0;
        options.timeLimitSeconds = std::nan("");
        QCOMPARE(ExactScheduler(options).solve(hardProblem()).status, Status::Error);
    }
};

QTEST_GUILESS_MAIN(TestScheduleLimits)
#include "test_schedule_limits.moc"
