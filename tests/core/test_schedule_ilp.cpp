// The solver-neutral ILP model (structure, reductions, the incumbent's point) without solving,
// and the GLPK backend on small programs with known answers and on bad input.

#include <QtTest>

#include <random>

#include "core/schedule/glpkbackend.h"
#include "core/schedule/ilpmodel.h"
#include "core/schedule/listscheduler.h"
#include "core/schedule/scheduleilp.h"
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

int countRows(const IlpModel &m, const std::string &prefix)
{
    int n = 0;
    for (const IlpRow &r : m.rows())
        n += r.name.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
}

// max 5a + 4b + 3c  s.t.  2a + 3b + c <= 5,  4a + b + 2c <= 11,  3a + 4b + 2c <= 8 (binary).
IlpModel knapsack()
{
    IlpModel m;
    for (double value : {5.0, 4.0, 3.0})
        m.addColumn({"v", 0.0, 1.0, true, -value});
    m.addRow({"r1", {{0, 2}, {1, 3}, {2, 1}}, -kIlpInfinity, 5});
    m.addRow({"r2", {{0, 4}, {1, 1}, {2, 2}}, -kIlpInfinity, 11});
    m.addRow({"r3", {{0, 3}, {1, 4}, {2, 2}}, -kIlpInfinity, 8});
    return m;
}

} // namespace

class TestScheduleIlp : public QObject
{
    Q_OBJECT

private slots:
    void chainNeedsNoOrderVariables()
    {
        ScheduleProblem p;
        p.numTc = p.numVc = 1;
        p.ops = {op(ScheduleOpKind::TC, 4, 1), op(ScheduleOpKind::VC, 2, 3),
                 op(ScheduleOpKind::TC, 3, 3)};
        p.edges = {{0, 1}, {1, 2}, {0, 2}};
        const ScheduleIlp ilp(p, 9.0, 6.0);
        QCOMPARE(ilp.orderVariables(), 0);
        // T, three starts, one mode (only op 0 is faster intra).
        QCOMPARE(int(ilp.model().columns().size()), 5);
        QVERIFY(ilp.modeColumn(0) >= 0);
        QCOMPARE(ilp.modeColumn(1), -1);
        QCOMPARE(ilp.modeColumn(2), -1);
        // The redundant edge 0 -> 2 gets no row; one end row for the single sink.
        QCOMPARE(countRows(ilp.model(), "prec"), 2);
        QCOMPARE(countRows(ilp.model(), "end"), 1);
        QVERIFY(ilp.model().validate().empty());
    }

    void pairVariablesOnlyWhereOperatorsCanClash()
    {
        ScheduleProblem p;
        p.numTc = 2;
        p.numVc = 1;
        // 0, 1: VC operators sharing the only VC -> one complemented binary.
        // 2: TC operator, never faster intra -> no pair with VC operators 0 and 1.
        // 3: collective -> clashes with nothing on cores.
        p.ops = {op(ScheduleOpKind::VC, 2, 3), op(ScheduleOpKind::VC, 2, 3),
                 op(ScheduleOpKind::TC, 2, 3), op(ScheduleOpKind::Collective, 2, 2)};
        const ScheduleIlp ilp(p, 4.0, 2.0);
        bool complemented = false;
        QVERIFY(ilp.orderColumn(0, 1) >= 0);
        QCOMPARE(ilp.orderColumn(1, 0, &complemented), ilp.orderColumn(0, 1));
        QVERIFY(complemented);
        QCOMPARE(ilp.orderColumn(0, 2), -1);
        QCOMPARE(ilp.orderColumn(2, 3), -1);
        QCOMPARE(ilp.orderVariables(), 1);
        QCOMPARE(countRows(ilp.model(), "anti"), 0);
    }

    void intraOperatorsGetOrderingRows()
    {
        ScheduleProblem p;
        p.numTc = 2;
        p.numVc = 2;
        p.ops = {op(ScheduleOpKind::TC, 4, 1), op(ScheduleOpKind::VC, 3, 5)};
        const ScheduleIlp ilp(p, 4.0, 3.0);
        QCOMPARE(ilp.orderVariables(), 2);
        QCOMPARE(countRows(ilp.model(), "anti"), 1);
        QCOMPARE(countRows(ilp.model(), "alone"), 1); // only op 0 can go intra
    }

    void symmetryFixesTheOrderOfInterchangeableOperators()
    {
        ScheduleProblem p;
        p.numTc = 1;
        p.numVc = 1;
        p.ops = {op(ScheduleOpKind::TC, 3, 2), op(ScheduleOpKind::TC, 3, 2),
                 op(ScheduleOpKind::TC, 3, 2)};
        const ScheduleIlp ilp(p, 6.0, 6.0);
        QCOMPARE(countRows(ilp.model(), "sym"), 2);
        // Always-ordered pairs: x_01 is fixed to 1.
        QCOMPARE(ilp.model().columns()[std::size_t(ilp.orderColumn(0, 1))].lower, 1.0);
    }

    void capacityRowsOnlyWhenTheWidthExceedsTheCores()
    {
        ScheduleProblem p;
        p.numTc = 2;
        p.numVc = 1;
        p.ops = {op(ScheduleOpKind::TC, 3, 5), op(ScheduleOpKind::TC, 4, 5)};
        QCOMPARE(ScheduleIlp(p, 4.0, 4.0).orderVariables(), 0); // two TCs, two operators
        p.ops.push_back(op(ScheduleOpKind::TC, 5, 6));
        ScheduleIlp ilp(p, 8.0, 6.0);
        QCOMPARE(ilp.orderVariables(), 6);
        // A point where all three run at once violates capacity: one row per violated set.
        std::vector<double> point(ilp.model().columns().size(), 0.0);
        point[std::size_t(ilp.makespanColumn())] = 5.0 * ilp.timeScale();
        QCOMPARE(ilp.addCapacityRows(point), 3); // found from each operator's start
        QCOMPARE(ilp.capacityRows(), 1);         // the same set each time
        QCOMPARE(countRows(ilp.model(), "cap"), 1);
    }

    void heuristicPointSatisfiesTheModel()
    {
        std::mt19937 rng(testsupport::testSeed("random problems", 11));
        for (int c = 0; c < 60; ++c) {
            testing::RandomProblemSpec spec;
            spec.maxOps = 12;
            const ScheduleProblem p = testing::randomProblem(rng, spec);
            const Schedule s = ListScheduler(p).heuristic();
            const ScheduleIlp ilp(p, s.makespan, 0.0);
            QVERIFY(ilp.model().validate().empty());
            const std::vector<double> point = ilp.pointOf(s);
            QVERIFY2(
                ilp.model().maxViolation(point) <= 1e-6,
                qPrintable(u"case %1: violation %2"_s.arg(c).arg(ilp.model().maxViolation(point))));
            QCOMPARE(ilp.model().objectiveValue(point), s.makespan * ilp.timeScale());
        }
    }

    void modelValidationCatchesBadNumbers()
    {
        IlpModel m = knapsack();
        QVERIFY(m.validate().empty());
        m.addRow({"bad", {{0, std::nan("")}}, 0.0, 1.0});
        QVERIFY(!m.validate().empty());
        IlpModel n = knapsack();
        n.addRow({"bad", {{7, 1.0}}, 0.0, 1.0});
        QVERIFY(QString::fromStdString(n.validate()).contains(u"does not exist"_s));
        IlpModel o = knapsack();
        o.addColumn({"x", 2.0, 1.0, false, 0.0});
        QVERIFY(!o.validate().empty());
        // GLPK never sees such a model.
        const IlpSolution s = GlpkBackend::solve(m);
        QCOMPARE(s.status, IlpStatus::Error);
        QVERIFY(QString::fromStdString(s.message).contains(u"invalid model"_s));
    }

    void glpkSolvesAKnapsack()
    {
        const IlpSolution s = GlpkBackend::solve(knapsack());
        QCOMPARE(s.status, IlpStatus::Optimal);
        QCOMPARE(s.objective, -9.0); // a + b
        QCOMPARE(s.values, (std::vector<double>{1.0, 1.0, 0.0}));
        QCOMPARE(s.bound, -9.0);
    }

    void glpkTakesACheckedIncumbent()
    {
        IlpSolveOptions options;
        options.incumbent = {1.0, 0.0, 1.0}; // value 8, feasible
        IlpSolution s = GlpkBackend::solve(knapsack(), options);
        QCOMPARE(s.status, IlpStatus::Optimal);
        QCOMPARE(s.objective, -9.0);
        options.incumbent = {1.0, 1.0, 1.0}; // infeasible: never handed to GLPK
        s = GlpkBackend::solve(knapsack(), options);
        QCOMPARE(s.status, IlpStatus::Optimal);
        QVERIFY(!s.incumbentUsed);
        QCOMPARE(s.objective, -9.0);
    }

    void glpkReportsInfeasibility()
    {
        IlpModel m;
        m.addColumn({"x", 0.0, 1.0, true, 1.0});
        m.addColumn({"y", 0.0, 1.0, true, 1.0});
        m.addRow({"odd", {{0, 2.0}, {1, 2.0}}, 1.0, 1.0}); // 2x + 2y = 1 has no integer solution
        QCOMPARE(GlpkBackend::solve(m).status, IlpStatus::Infeasible);
        m.addRow({"lp", {{0, 1.0}}, 2.0, kIlpInfinity}); // x >= 2 > its upper bound
        QCOMPARE(GlpkBackend::solve(m).status, IlpStatus::Infeasible);
    }

    void glpkHonoursAPreCancelledToken()
    {
        IlpSolveOptions options;
        options.cancel = CancelToken::create();
        options.cancel.cancel();
        QCOMPARE(GlpkBackend::solve(knapsack(), options).status, IlpStatus::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestScheduleIlp)
#include "test_schedule_ilp.moc"
