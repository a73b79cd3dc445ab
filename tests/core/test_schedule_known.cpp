// Known answers: the golden instances of tests/data/schedule (optimal makespans found by
// exhaustive enumeration) and small hand-computed cases for each rule of algorithms.md §3.

#include <QtTest>

#include <QDir>

#include "core/io/scheduleinstancejson.h"
#include "core/schedule/exactscheduler.h"
#include "core/schedule/schedulevalidator.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

ScheduleOp op(ScheduleOpKind kind, double latency, double intra)
{
    ScheduleOp o;
    o.kind = kind;
    o.latency = latency;
    o.intraLatency = intra;
    return o;
}

ScheduleProblem problem(int tc, int vc, std::vector<ScheduleOp> ops,
                        std::vector<std::pair<int, int>> edges = {})
{
    ScheduleProblem p;
    p.numTc = tc;
    p.numVc = vc;
    p.ops = std::move(ops);
    p.edges = std::move(edges);
    return p;
}

constexpr auto TC = ScheduleOpKind::TC;
constexpr auto VC = ScheduleOpKind::VC;
constexpr auto TCVC = ScheduleOpKind::TCVC;
constexpr auto Coll = ScheduleOpKind::Collective;
constexpr auto None = ScheduleOpKind::None;

} // namespace

Q_DECLARE_METATYPE(ScheduleProblem)

class TestScheduleKnown : public QObject
{
    Q_OBJECT

private slots:
    void goldenInstances_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(PHAZE_TEST_DATA_DIR "/schedule"));
        const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 3);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }
    void goldenInstances()
    {
        QFETCH(QString, path);
        const Result<ScheduleInstance> load = loadScheduleInstance(path.toStdString());
        QVERIFY(load.value);
        QVERIFY(load.value->expectedMakespan);
        const Result<ScheduleSolution> r = ExactScheduler().solve(load.value->problem);
        QCOMPARE(r.status, Status::Optimal);
        QVERIFY2(std::abs(r.value->schedule.makespan - *load.value->expectedMakespan) <= 1e-6,
                 qPrintable(u"got %1"_s.arg(r.value->schedule.makespan, 0, 'g', 15)));
        QVERIFY(ScheduleValidator().valid(load.value->problem, r.value->schedule));
        QVERIFY(r.value->lowerBound <= r.value->schedule.makespan);
    }

    void handComputed_data()
    {
        QTest::addColumn<ScheduleProblem>("p");
        QTest::addColumn<double>("makespan");
        // A chain takes each operator in its faster mode.
        QTest::newRow("chain") << problem(2, 1, {op(TC, 4, 1), op(VC, 2, 3), op(TCVC, 5, 2)},
                                          {{0, 1}, {1, 2}})
                               << 1.0 + 2.0 + 2.0;
        // Two independent TC operators on two TCs: side by side (4) beats intra in turn (6)...
        QTest::newRow("parallel single") << problem(2, 1, {op(TC, 4, 3), op(TC, 4, 3)}) << 4.0;
        // ... unless intra is fast enough (1.5 + 1.5).
        QTest::newRow("intra in turn") << problem(2, 1, {op(TC, 4, 1.5), op(TC, 4, 1.5)}) << 3.0;
        // One TC: the operators queue, each in its faster mode.
        QTest::newRow("one TC") << problem(1, 1, {op(TC, 4, 3), op(TC, 2, 5)}) << 5.0;
        // A TC and a VC operator overlap; intra would make them wait for each other.
        QTest::newRow("TC beside VC") << problem(1, 1, {op(TC, 4, 3), op(VC, 3, 2)}) << 4.0;
        // Fused operators need a TC and a VC each: with one VC they queue though TCs are free.
        QTest::newRow("fused share the VC")
            << problem(4, 1, {op(TCVC, 3, 10), op(TCVC, 3, 10)}) << 6.0;
        // Three TC operators on two TCs: two in parallel, then the third.
        QTest::newRow("capacity") << problem(2, 2, {op(TC, 5, 9), op(TC, 5, 9), op(TC, 5, 9)})
                                  << 10.0;
        // Collectives need no core and may overlap an intra-operator operator...
        QTest::newRow("collective beside intra")
            << problem(2, 1, {op(Coll, 5, 5), op(TC, 10, 2), op(VC, 4, 3)}) << 5.0;
        // ... but the links carry one collective at a time.
        QTest::newRow("collectives queue")
            << problem(1, 1, {op(Coll, 5, 5), op(Coll, 5, 5)}) << 10.0;
        // Zero-cost operators vanish; precedence through them stays.
        QTest::newRow("zero-cost in a chain")
            << problem(1, 1, {op(VC, 2, 2), op(None, 0, 0), op(VC, 3, 3), op(TC, 1, 1)},
                       {{0, 1}, {1, 2}, {1, 3}})
            << 5.0;
        QTest::newRow("empty") << problem(1, 1, {}) << 0.0;
        // Intra vs. overlap: a long VC operator next to two TC operators that could go intra.
        QTest::newRow("overlap beats intra")
            << problem(2, 1, {op(VC, 6, 5), op(TC, 3, 1), op(TC, 3, 1)}) << 6.0;
    }
    void handComputed()
    {
        QFETCH(ScheduleProblem, p);
        QFETCH(double, makespan);
        const Result<ScheduleSolution> r = ExactScheduler().solve(p);
        QCOMPARE(r.status, Status::Optimal);
        QCOMPARE(r.value->schedule.makespan, makespan);
        QCOMPARE(r.value->schedule.ops.size(), p.ops.size());
        const auto errors = ScheduleValidator().check(p, r.value->schedule);
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
    }

    void zeroCostOperatorsSitAtTheirPredecessorsEnd()
    {
        const ScheduleProblem p =
            problem(1, 1, {op(VC, 2, 2), op(None, 0, 0), op(VC, 3, 3)}, {{0, 1}, {1, 2}});
        const Result<ScheduleSolution> r = ExactScheduler().solve(p);
        QCOMPARE(r.status, Status::Optimal);
        QCOMPARE(r.value->schedule.ops[1].start, 2.0);
        QCOMPARE(r.value->schedule.ops[1].end, 2.0);
        QCOMPARE(r.value->schedule.ops[2].start, 2.0);
    }

    void badProblemsAreErrors_data()
    {
        QTest::addColumn<ScheduleProblem>("p");
        QTest::addColumn<QString>("message");
        QTest::newRow("cycle") << problem(1, 1, {op(TC, 1, 1), op(TC, 1, 1)}, {{0, 1}, {1, 0}})
                               << "cycle";
        QTest::newRow("NaN") << problem(1, 1, {op(TC, std::nan(""), 1)}) << "finite";
        QTest::newRow("negative") << problem(1, 1, {op(TC, -1, 1)}) << "non-negative";
        QTest::newRow("no cores") << problem(0, 1, {op(TC, 1, 1)}) << "num_tc";
        QTest::newRow("edge out of range")
            << problem(1, 1, {op(TC, 1, 1)}, {{0, 3}}) << "does not exist";
    }
    void badProblemsAreErrors()
    {
        QFETCH(ScheduleProblem, p);
        QFETCH(QString, message);
        const Result<ScheduleSolution> r = ExactScheduler().solve(p);
        QCOMPARE(r.status, Status::Error);
        QVERIFY(!r.value);
        QVERIFY2(QString::fromStdString(r.message).contains(message), r.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestScheduleKnown)
#include "test_schedule_known.moc"
