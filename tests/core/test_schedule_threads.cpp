// GLPK solves from several threads at once give the same answers as one thread; the schedule
// cache is shared by threads and solves each distinct problem once; repeated transformer blocks
// share one solve; the layer scheduler's per-layer figures are consistent.

#include <QtTest>

#include <atomic>
#include <random>
#include <thread>

#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"
#include "core/schedule/exactscheduler.h"
#include "core/schedule/layerscheduler.h"
#include "core/schedule/schedulecache.h"
#include "core/schedule/schedulevalidator.h"
#include "tests/support/testseed.h"
#include "test_schedule_random.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

std::vector<ScheduleProblem> problems(int count)
{
    std::mt19937 rng(testsupport::testSeed("random problems", 99));
    std::vector<ScheduleProblem> out;
    testing::RandomProblemSpec spec;
    spec.maxOps = 9;
    spec.edgeProbability = 0.25;
    for (int i = 0; i < count; ++i)
        out.push_back(testing::randomProblem(rng, spec));
    return out;
}

bool sameSchedule(const Schedule &a, const Schedule &b)
{
    if (a.makespan != b.makespan || a.ops.size() != b.ops.size())
        return false;
    for (std::size_t i = 0; i < a.ops.size(); ++i)
        if (a.ops[i].mode != b.ops[i].mode || a.ops[i].start != b.ops[i].start ||
            a.ops[i].end != b.ops[i].end || a.ops[i].tcCore != b.ops[i].tcCore ||
            a.ops[i].vcCore != b.ops[i].vcCore)
            return false;
    return true;
}

ModelGraph zooGraph(const char *key, int tp)
{
    GraphBuildOptions options;
    options.tensorParallel = tp;
    return *buildTransformer(*findZooModel(key), options).value;
}

} // namespace

class TestScheduleThreads : public QObject
{
    Q_OBJECT

private slots:
    void threadsGiveIdenticalResults()
    {
        const std::vector<ScheduleProblem> list = problems(40);
        const ExactScheduler scheduler;
        std::vector<Result<ScheduleSolution>> reference;
        for (const ScheduleProblem &p : list)
            reference.push_back(scheduler.solve(p));
        constexpr int kThreads = 4;
        std::vector<std::vector<Result<ScheduleSolution>>> results(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                // Each thread walks the list from a different place, so that different
                // problems are in GLPK at the same moment.
                results[std::size_t(t)].resize(list.size());
                for (std::size_t k = 0; k < list.size(); ++k) {
                    const std::size_t i = (k + std::size_t(t) * 10) % list.size();
                    results[std::size_t(t)][i] = scheduler.solve(list[i]);
                }
            });
        for (std::thread &t : threads)
            t.join();
        int ilp = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            QCOMPARE(reference[i].status, Status::Optimal);
            ilp += reference[i].value->ilpSolves > 0 ? 1 : 0;
            for (int t = 0; t < kThreads; ++t) {
                const Result<ScheduleSolution> &r = results[std::size_t(t)][i];
                QCOMPARE(r.status, reference[i].status);
                QVERIFY2(sameSchedule(r.value->schedule, reference[i].value->schedule),
                         qPrintable(u"problem %1, thread %2"_s.arg(i).arg(t)));
            }
        }
        QVERIFY(ilp >= 5); // GLPK really ran concurrently
    }

    void cacheSolvesEachProblemOnceAcrossThreads()
    {
        const std::vector<ScheduleProblem> list = problems(6);
        ScheduleCache cache;
        std::atomic<int> solves{0};
        const ExactScheduler scheduler;
        std::vector<std::thread> threads;
        std::vector<std::vector<ScheduleCache::Entry>> got(4);
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (const ScheduleProblem &p : list)
                    got[std::size_t(t)].push_back(cache.getOrSolve(p, {}, [&] {
                        ++solves;
                        return scheduler.solve(p);
                    }));
            });
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(solves.load(), 6);
        const ScheduleCacheStats stats = cache.stats();
        QCOMPARE(stats.misses, std::uint64_t(6));
        QCOMPARE(stats.hits, std::uint64_t(18));
        QCOMPARE(stats.entries, std::size_t(6));
        for (int t = 1; t < 4; ++t)
            for (std::size_t i = 0; i < list.size(); ++i)
                QCOMPARE(got[std::size_t(t)][i].get(), got[0][i].get()); // the same answer
    }

    void cacheKeyIgnoresNamesButNotNumbers()
    {
        ScheduleProblem a = problems(1).front();
        ScheduleProblem b = a;
        for (ScheduleOp &op : b.ops)
            op.name += "-renamed";
        QCOMPARE(ScheduleCache::keyOf(a, {}), ScheduleCache::keyOf(b, {}));
        b.ops[0].latency = std::nextafter(b.ops[0].latency, 1e9);
        QVERIFY(ScheduleCache::keyOf(a, {}) != ScheduleCache::keyOf(b, {}));
        SchedulerOptions shorter;
        shorter.timeLimitSeconds = 1.0;
        QVERIFY(ScheduleCache::keyOf(a, {}) != ScheduleCache::keyOf(a, shorter));
        b = a;
        b.numVc += 1;
        QVERIFY(ScheduleCache::keyOf(a, {}) != ScheduleCache::keyOf(b, {}));
    }

    void repeatedBlocksShareOneSolve()
    {
        const ModelGraph graph = zooGraph("megatron-gpt2-2.5b", 2);
        const CostModel costs;
        ScheduleCache cache;
        const LayerScheduler scheduler(costs, &cache);
        const AcceleratorConfig config; // tpuv4
        const Result<std::vector<LayerScheduleEntry>> scheduled =
            scheduler.scheduleModel(graph, config);
        QCOMPARE(scheduled.status, Status::Optimal);
        const std::vector<LayerScheduleEntry> &layers = *scheduled.value;
        QCOMPARE(layers.size(), graph.distinctLayers().size());
        int occurrences = 0;
        for (const LayerScheduleEntry &e : layers)
            occurrences += e.occurrences;
        QCOMPARE(occurrences, int(graph.layers.size()));
        QVERIFY(cache.stats().misses <= 2 * layers.size());
        // A second pass over the model (as a search evaluating it again) solves nothing.
        const std::uint64_t misses = cache.stats().misses;
        scheduler.scheduleModel(graph, config);
        QCOMPARE(cache.stats().misses, misses);
        QCOMPARE(cache.stats().hits, std::uint64_t(2 * layers.size()));
    }

    void layerFiguresAreConsistent()
    {
        const ModelGraph graph = zooGraph("gpt2-xl", 1);
        const CostModel costs;
        AcceleratorConfig config;
        config.numTc = 2;
        config.numVc = 1;
        const LayerScheduler scheduler(costs, nullptr);
        const Result<std::vector<LayerScheduleEntry>> scheduled =
            scheduler.scheduleModel(graph, config);
        QCOMPARE(scheduled.status, Status::Optimal);
        for (const LayerScheduleEntry &e : *scheduled.value) {
            QCOMPARE(e.schedule.status(), Status::Optimal);
            for (const PassSchedule *p : {&e.schedule.forward, &e.schedule.backward}) {
                QVERIFY(p->hasSchedule());
                QVERIFY(ScheduleValidator().valid(p->problem, p->result->value->schedule));
                QVERIFY(p->latency() > 0.0);
                QVERIFY(p->energy > 0.0);
                QVERIFY(p->tcUtilisation >= 0.0 && p->tcUtilisation <= 1.0 + 1e-12);
                QVERIFY(p->vcUtilisation >= 0.0 && p->vcUtilisation <= 1.0 + 1e-12);
                // No faster than the sum of the faster modes along any chain, no slower than
                // everything in turn.
                double serial = 0.0;
                for (const ScheduleOp &op : p->problem.ops)
                    serial += op.kind == ScheduleOpKind::None ? 0.0 : op.minLatency();
                QVERIFY(p->latency() <= serial * (1 + 1e-12));
                QVERIFY(p->result->value->lowerBound <= p->latency());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestScheduleThreads)
#include "test_schedule_threads.moc"
