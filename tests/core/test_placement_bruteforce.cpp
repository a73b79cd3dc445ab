// The DP against exhaustive enumeration on small instances: every chain of nested downsets
// (contiguous partitions), every data-parallel degree and width, 1F1B and GPipe.

#include <QtTest>

#include "test_placement_support.h"
#include "tests/support/testseed.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestPlacementBruteForce : public QObject
{
    Q_OBJECT

private slots:
    void randomInstances_data()
    {
        QTest::addColumn<bool>("branching");
        QTest::addColumn<bool>("gpipe");
        QTest::newRow("chain 1f1b") << false << false;
        QTest::newRow("chain gpipe") << false << true;
        QTest::newRow("dag 1f1b") << true << false;
        QTest::newRow("dag gpipe") << true << true;
    }

    void randomInstances()
    {
        QFETCH(bool, branching);
        QFETCH(bool, gpipe);
        std::mt19937 rng(testsupport::testSeed("random instances", 17 + branching * 2 + gpipe));
        PlacementOptions options;
        options.schedule = gpipe ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB;
        int feasible = 0, infeasible = 0;
        for (int trial = 0; trial < 150; ++trial) {
            const PlacementInput in = testing::randomInstance(rng, 2 + int(rng() % 6), branching);
            const testing::BruteForce want = testing::bruteForce(in, options.schedule);
            const Result<Placement> got = place(in, options);
            if (!want.found) {
                QCOMPARE(got.status, Status::Infeasible);
                ++infeasible;
                continue;
            }
            QVERIFY2(got.status == Status::Optimal, got.message.c_str());
            QVERIFY2(std::abs(got.value->timePerBatch - want.timePerBatch) <=
                         1e-12 * want.timePerBatch,
                     qPrintable(u"trial %1: %2 vs %3"_s.arg(trial)
                                    .arg(got.value->timePerBatch, 0, 'g', 17)
                                    .arg(want.timePerBatch, 0, 'g', 17)));
            ++feasible;
        }
        // The generator must exercise both outcomes.
        QVERIFY(feasible > 20);
        QVERIFY(infeasible > 0);
    }

    void branchingInstances_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("diamond") << "placement/diamond.json";
        QTest::newRow("two-tower") << "placement/two-tower.json";
    }

    void branchingInstances()
    {
        QFETCH(QString, file);
        const PlacementInput in = testing::loadInstance(file.toStdString());
        const testing::BruteForce want = testing::bruteForce(in, PipelineSchedule::OneFOneB);
        const Result<Placement> got = place(in);
        QVERIFY(want.found);
        QCOMPARE(got.status, Status::Optimal);
        QVERIFY(std::abs(got.value->timePerBatch - want.timePerBatch) <= 1e-12 * want.timePerBatch);
    }
};

QTEST_GUILESS_MAIN(TestPlacementBruteForce)
#include "test_placement_bruteforce.moc"
