// The schedule validator catches each kind of violation; the list scheduler always produces
// valid schedules; the lower bound never exceeds a valid makespan and is tight where it should.

#include <QtTest>

#include <random>

#include "core/schedule/listscheduler.h"
#include "core/schedule/lowerbound.h"
#include "core/schedule/schedulevalidator.h"
#include "tests/support/testseed.h"
#include "test_schedule_random.h"

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

// Two TCs, one VC: a TC op, a second TC op, a VC op after op 0, a collective.
ScheduleProblem sample()
{
    ScheduleProblem p;
    p.numTc = 2;
    p.numVc = 1;
    p.ops = {op(ScheduleOpKind::TC, 4, 2), op(ScheduleOpKind::TC, 4, 2),
             op(ScheduleOpKind::VC, 3, 1), op(ScheduleOpKind::Collective, 5, 5)};
    p.edges = {{0, 2}};
    return p;
}

Schedule valid()
{
    Schedule s;
    s.ops = {{0, OpMode::Single, 0, 4, 0, -1},
             {1, OpMode::Single, 0, 4, 1, -1},
             {2, OpMode::Intra, 4, 5, -1, -1},
             {3, OpMode::Single, 0, 5, -1, -1}};
    s.makespan = 5;
    return s;
}

bool mentions(const std::vector<std::string> &errors, const QString &what)
{
    for (const std::string &e : errors)
        if (QString::fromStdString(e).contains(what))
            return true;
    return false;
}

} // namespace

class TestScheduleValidator : public QObject
{
    Q_OBJECT

private slots:
    void acceptsAValidSchedule()
    {
        const auto errors = ScheduleValidator().check(sample(), valid());
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
    }

    void catchesEachViolation_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("precedence") << 0 << "before its predecessor";
        QTest::newRow("duration") << 1 << "lasts";
        QTest::newRow("intra not alone") << 2 << "should have the chip alone";
        QTest::newRow("capacity") << 3 << "run at once";
        QTest::newRow("same core") << 4 << "share a core";
        QTest::newRow("makespan") << 5 << "not the latest end";
        QTest::newRow("core of the wrong kind") << 6 << "core assignment";
        QTest::newRow("missing operator") << 7 << "the schedule has";
        QTest::newRow("intra collective") << 8 << "uses no cores";
        QTest::newRow("links") << 9 << "link users";
    }
    void catchesEachViolation()
    {
        QFETCH(int, which);
        QFETCH(QString, message);
        ScheduleProblem p = sample();
        Schedule s = valid();
        switch (which) {
        case 0: // VC op starts before op 0 ends
            s.ops[2] = {2, OpMode::Intra, 3.5, 4.5, -1, -1};
            break;
        case 1:
            s.ops[0].end = 3.0;
            break;
        case 2: // intra VC op overlaps TC op 1
            s.ops[1] = {1, OpMode::Single, 1, 5, 1, -1};
            break;
        case 3: // three TC operators on two TCs
            p.ops.push_back(op(ScheduleOpKind::TC, 4, 2));
            s.ops.push_back({4, OpMode::Single, 0, 4, 1, -1});
            break;
        case 4:
            s.ops[1].tcCore = 0;
            break;
        case 5:
            s.makespan = 7;
            break;
        case 6:
            s.ops[0].vcCore = 0;
            break;
        case 7:
            s.ops.pop_back();
            break;
        case 8:
            s.ops[3].mode = OpMode::Intra;
            break;
        case 9:
            p.ops.push_back(op(ScheduleOpKind::Collective, 1, 1));
            s.ops.push_back({4, OpMode::Single, 1, 2, -1, -1});
            break;
        }
        const auto errors = ScheduleValidator().check(p, s);
        QVERIFY2(
            mentions(errors, message),
            qPrintable(errors.empty() ? u"no error"_s : QString::fromStdString(errors.front())));
    }

    void listSchedulesAreValidAndBounded()
    {
        std::mt19937 rng(testsupport::testSeed("random problems", 5));
        for (int c = 0; c < 200; ++c) {
            testing::RandomProblemSpec spec;
            spec.maxOps = 25;
            spec.edgeProbability = c % 2 ? 0.1 : 0.3;
            const ScheduleProblem p = testing::randomProblem(rng, spec);
            const ListScheduler list(p);
            const Schedule s = list.heuristic();
            const auto errors = ScheduleValidator().check(p, s);
            QVERIFY2(errors.empty(),
                     qPrintable(u"case %1: %2"_s.arg(c).arg(
                         errors.empty() ? QString() : QString::fromStdString(errors[0]))));
            const LowerBound bound = LowerBound::of(p);
            QVERIFY(bound.value <= s.makespan * (1 + 1e-12));
            // Every mode vector and list gives a valid schedule too.
            std::vector<OpMode> modes(p.ops.size(), OpMode::Intra);
            const Schedule all = list.run(modes, list.priorityList(modes));
            QVERIFY(ScheduleValidator().valid(p, all));
        }
    }

    void serialSchemeStartsAtTheEarliestFeasibleTime()
    {
        // Two TCs: ops 0 (len 4) and 1 (len 2) start at 0; op 2 takes the TC freed at 2.
        ScheduleProblem p;
        p.numTc = 2;
        p.numVc = 1;
        p.ops = {op(ScheduleOpKind::TC, 4, 9), op(ScheduleOpKind::TC, 2, 9),
                 op(ScheduleOpKind::TC, 3, 9)};
        const ListScheduler list(p);
        const Schedule s = list.run({OpMode::Single, OpMode::Single, OpMode::Single}, {0, 1, 2});
        QCOMPARE(s.ops[2].start, 2.0);
        QCOMPARE(s.ops[2].tcCore, 1);
        QCOMPARE(s.makespan, 5.0);
        // An intra operator waits for the chip to empty.
        const Schedule t = list.run({OpMode::Single, OpMode::Single, OpMode::Intra}, {0, 1, 2});
        QCOMPARE(t.ops[2].start, 4.0);
        QCOMPARE(t.makespan, 13.0);
    }

    void lowerBoundParts()
    {
        ScheduleProblem p;
        p.numTc = 2;
        p.numVc = 1;
        // Critical path 0 -> 1: min(4, 1) + min(3, 3) = 4.
        // TC work: min(4, 2*1) + min(6, 2*4) over 2 TCs = (2 + 6) / 2 = 4.
        // VC work: 3 + 2 = 5 (one VC). Links: 1.
        p.ops = {op(ScheduleOpKind::TC, 4, 1), op(ScheduleOpKind::VC, 3, 3),
                 op(ScheduleOpKind::TC, 6, 4), op(ScheduleOpKind::VC, 2, 2),
                 op(ScheduleOpKind::Collective, 1, 1)};
        p.edges = {{0, 1}};
        const LowerBound b = LowerBound::of(p);
        QCOMPARE(b.criticalPath, 4.0);
        QCOMPARE(b.tcWork, 4.0);
        QCOMPARE(b.vcWork, 5.0);
        QCOMPARE(b.linkWork, 1.0);
        QCOMPARE(b.value, 5.0);
    }
};

QTEST_GUILESS_MAIN(TestScheduleValidator)
#include "test_schedule_validator.moc"
