// The exact scheduler against exhaustive enumeration on random small DAGs (n <= 7, with every
// kind of operator, collectives included, and 1-3 TCs / 1-2 VCs).
//
// Why the enumeration is exhaustive. The problem is a multi-mode resource-constrained project
// schedule: renewable resources TC (capacity num_tc), VC (num_vc) and the links (1); a
// single-mode operator needs one unit of each core kind it uses (a collective one link unit),
// an intra-mode operator needs every TC and every VC unit. The serial schedule-generation
// scheme takes a precedence-feasible list and modes and starts each operator at the earliest
// time its predecessors and the already placed operators allow. Take any optimal schedule S and
// list its operators by start time (ties by precedence). Placing them in that order with S's
// modes, by induction every operator starts no later than in S: its predecessors end no later,
// and at any time at or after its S start the placed operators that run are a subset of those
// running in S then (each placed operator started no later than in S and keeps its duration,
// so its interval restricted to times after its S start shrinks), so its S start is feasible.
// Hence the schedule generated from that list has makespan <= S's, i.e. optimal, and the
// minimum over all topological lists and all mode vectors is the optimum. The search below
// enumerates exactly those (each operator in both modes, even when intra is slower) with a
// branch-and-bound cut that only drops partial lists whose makespan already reaches the best
// found (placing more operators never lowers it). It shares no code with the scheduler.

#include <QtTest>

#include <algorithm>
#include <random>

#include "core/schedule/exactscheduler.h"
#include "core/schedule/schedulevalidator.h"
#include "tests/support/testseed.h"
#include "test_schedule_random.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

struct Interval {
    double start, end;
    int tc, vc, link;
};

class BruteForce
{
public:
    explicit BruteForce(const ScheduleProblem &p) : m_p(p), m_n(int(p.ops.size()))
    {
        m_preds.resize(std::size_t(m_n));
        for (const auto &[a, b] : p.edges)
            m_preds[std::size_t(b)].push_back(a);
        m_end.assign(std::size_t(m_n), 0.0);
        m_done.assign(std::size_t(m_n), false);
    }

    double optimum()
    {
        m_best = 1e300;
        search(0, 0.0);
        return m_best;
    }

private:
    bool fits(double t, double p, int tc, int vc, int link) const
    {
        std::vector<double> points{t};
        for (const Interval &a : m_placed)
            if (a.start > t && a.start < t + p)
                points.push_back(a.start);
        for (double tau : points) {
            int usedTc = tc, usedVc = vc, usedLink = link;
            for (const Interval &a : m_placed)
                if (a.start <= tau && tau < a.end) {
                    usedTc += a.tc;
                    usedVc += a.vc;
                    usedLink += a.link;
                }
            if (usedTc > m_p.numTc || usedVc > m_p.numVc || usedLink > 1)
                return false;
        }
        return true;
    }

    void search(int placed, double makespan)
    {
        if (makespan >= m_best)
            return;
        if (placed == m_n) {
            m_best = makespan;
            return;
        }
        for (int j = 0; j < m_n; ++j) {
            if (m_done[std::size_t(j)])
                continue;
            double release = 0.0;
            bool ready = true;
            for (int q : m_preds[std::size_t(j)]) {
                ready = ready && m_done[std::size_t(q)];
                release = std::max(release, m_end[std::size_t(q)]);
            }
            if (!ready)
                continue;
            const ScheduleOp &op = m_p.ops[std::size_t(j)];
            const bool collective = op.kind == ScheduleOpKind::Collective;
            for (int intra = 0; intra <= (collective ? 0 : 1); ++intra) {
                const double p = intra ? op.intraLatency : op.latency;
                const int tc = intra ? m_p.numTc : (op.usesTc() ? 1 : 0);
                const int vc = intra ? m_p.numVc : (op.usesVc() ? 1 : 0);
                const int link = collective ? 1 : 0;
                std::vector<double> candidates{release};
                for (const Interval &a : m_placed)
                    if (a.end > release)
                        candidates.push_back(a.end);
                std::sort(candidates.begin(), candidates.end());
                double start = candidates.back();
                for (double t : candidates)
                    if (fits(t, p, tc, vc, link)) {
                        start = t;
                        break;
                    }
                m_placed.push_back({start, start + p, tc, vc, link});
                m_done[std::size_t(j)] = true;
                m_end[std::size_t(j)] = start + p;
                search(placed + 1, std::max(makespan, start + p));
                m_done[std::size_t(j)] = false;
                m_placed.pop_back();
            }
        }
    }

    const ScheduleProblem &m_p;
    int m_n;
    std::vector<std::vector<int>> m_preds;
    std::vector<double> m_end;
    std::vector<bool> m_done;
    std::vector<Interval> m_placed;
    double m_best = 0.0;
};

} // namespace

class TestScheduleBruteForce : public QObject
{
    Q_OBJECT

private slots:
    void randomDagsMatchExhaustiveSearch_data()
    {
        QTest::addColumn<int>("seed");
        QTest::addColumn<double>("edgeProbability");
        QTest::addColumn<bool>("integerLatencies");
        QTest::addColumn<int>("cases");
        QTest::newRow("sparse") << 1 << 0.15 << false << 90;
        QTest::newRow("medium") << 2 << 0.35 << false << 70;
        QTest::newRow("dense") << 3 << 0.6 << false << 40;
        // Integer latencies make ties (equal ends and starts) common.
        QTest::newRow("integer ties") << 4 << 0.25 << true << 60;
    }
    void randomDagsMatchExhaustiveSearch()
    {
        QFETCH(int, seed);
        QFETCH(double, edgeProbability);
        QFETCH(bool, integerLatencies);
        QFETCH(int, cases);
        std::mt19937 rng(testsupport::testSeed("random DAGs", std::uint32_t(seed) * 7919u));
        testing::RandomProblemSpec spec;
        spec.edgeProbability = edgeProbability;
        spec.integerLatencies = integerLatencies;
        const ExactScheduler scheduler;
        const ScheduleValidator validator;
        int ilpCases = 0;
        for (int c = 0; c < cases; ++c) {
            const ScheduleProblem p = testing::randomProblem(rng, spec);
            const double expected = BruteForce(p).optimum();
            const Result<ScheduleSolution> r = scheduler.solve(p);
            const QString where = u"case %1 (n=%2, %3 TC, %4 VC)"_s.arg(c)
                                      .arg(p.ops.size())
                                      .arg(p.numTc)
                                      .arg(p.numVc);
            QVERIFY2(r.status == Status::Optimal,
                     qPrintable(where + u": "_s + QString::fromStdString(r.message)));
            QVERIFY2(std::abs(r.value->schedule.makespan - expected) <= 1e-6,
                     qPrintable(where + u": ILP %1, exhaustive %2"_s
                                            .arg(r.value->schedule.makespan, 0, 'g', 12)
                                            .arg(expected, 0, 'g', 12)));
            const auto errors = validator.check(p, r.value->schedule);
            QVERIFY2(errors.empty(),
                     qPrintable(where + u": "_s +
                                QString::fromStdString(errors.empty() ? "" : errors[0])));
            QVERIFY(r.value->lowerBound <= expected + 1e-9);
            ilpCases += r.value->ilpSolves > 0 ? 1 : 0;
            m_capacityCases += r.value->capacityRows > 0 ? 1 : 0;
            ++m_cases;
        }
        // The heuristic alone must not be what is being tested.
        QVERIFY2(ilpCases >= cases / 5,
                 qPrintable(u"only %1 cases needed the ILP"_s.arg(ilpCases)));
    }

    // Runs after the table above: the lazily added capacity rows must have been needed.
    void capacityRowsWereExercised()
    {
        QVERIFY(m_cases >= 200);
        QVERIFY2(m_capacityCases > 0, "no case needed a capacity row");
        qInfo("%d random cases, %d needed capacity rows", m_cases, m_capacityCases);
    }

private:
    int m_cases = 0;
    int m_capacityCases = 0;
};

QTEST_GUILESS_MAIN(TestScheduleBruteForce)
#include "test_schedule_bruteforce.moc"
