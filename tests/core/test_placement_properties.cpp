// Properties of the placement: more memory or more devices never lower throughput, higher
// latencies never raise it, recomputation never raises memory, results are deterministic.

#include <QtTest>

#include "core/placement/layerdag.h"
#include "core/placement/memorymodel.h"
#include "core/placement/stageload.h"
#include "tests/support/testseed.h"
#include "test_placement_support.h"

using namespace phaze;

namespace {

double timeOf(const PlacementInput &in)
{
    const Result<Placement> r = place(in);
    return r.hasValue() ? r.value->timePerBatch : std::numeric_limits<double>::infinity();
}

} // namespace

class TestPlacementProperties : public QObject
{
    Q_OBJECT

private slots:
    void moreResourcesNeverHurt()
    {
        std::mt19937 rng(testsupport::testSeed("random instances", 5));
        for (int trial = 0; trial < 200; ++trial) {
            PlacementInput in = testing::randomInstance(rng, 3 + int(rng() % 6), trial % 2);
            const double base = timeOf(in);
            PlacementInput moreMemory = in;
            moreMemory.memoryPerDevice *= 1.5;
            QVERIFY(timeOf(moreMemory) <= base);
            PlacementInput moreDevices = in;
            moreDevices.devices += 1 + int(rng() % 8);
            QVERIFY(timeOf(moreDevices) <= base);
            PlacementInput slower = in;
            for (PlacementGraph &g : slower.graphs)
                g.layers[rng() % g.layers.size()].backward *= 1.7;
            QVERIFY(timeOf(slower) >= base);
        }
    }

    void recomputationNeverRaisesMemory()
    {
        std::mt19937 rng(testsupport::testSeed("random DAGs", 9));
        for (int trial = 0; trial < 100; ++trial) {
            const PlacementInput in = testing::randomInstance(rng, 2 + int(rng() % 6), true);
            LayerDag dag;
            QVERIFY(LayerDag::build(in.graphs.front(), dag).empty());
            const StageLoad loads(dag, in.bandwidth);
            const MemoryModel off(in.memoryPerDevice, in.devices, false, in.optimizer);
            const MemoryModel on(in.memoryPerDevice, in.devices, true, in.optimizer);
            // Every stage that ends the model's prefix [k, n).
            for (int k = 0; k < dag.size(); ++k) {
                std::vector<int> stage;
                for (int v = k; v < dag.size(); ++v)
                    stage.push_back(v);
                const StageCost c = loads.evaluate(stage);
                for (int s = 1; s <= 8; ++s)
                    QVERIFY(on.bytes(c, s) <= off.bytes(c, s));
                QVERIFY(on.maxInFlight(c) >= off.maxInFlight(c));
            }
        }
        // And on a real instance: with recomputation the optimum fits at least as well.
        PlacementInput gpt = testing::loadInstance("phaze-dp/small-chain.input.json");
        const Result<Placement> without = place(gpt);
        gpt.recomputation = true;
        const Result<Placement> with = place(gpt);
        QVERIFY(with.hasValue() && without.hasValue());
        double worstWith = 0, worstWithout = 0;
        for (const PlacedStage &s : with.value->stages)
            worstWith = std::max(worstWith, s.memoryBytes);
        for (const PlacedStage &s : without.value->stages)
            worstWithout = std::max(worstWithout, s.memoryBytes);
        QVERIFY(worstWith <= gpt.memoryPerDevice && worstWithout <= gpt.memoryPerDevice);
    }

    void deterministic()
    {
        const PlacementInput in = testing::loadInstance("phaze-dp/bert-like-tp.input.json");
        const Result<Placement> a = place(in), b = place(in);
        QCOMPARE(a.value->timePerBatch, b.value->timePerBatch);
        QCOMPARE(a.value->stages.size(), b.value->stages.size());
        for (std::size_t i = 0; i < a.value->stages.size(); ++i)
            QCOMPARE(a.value->stages[i].layers, b.value->stages[i].layers);
    }

    void cancellation()
    {
        const PlacementInput in = testing::loadInstance("phaze-dp/gpt3-like-large.input.json");
        const CancelToken token = CancelToken::create();
        token.cancel();
        QCOMPARE(place(in, {}, {}, token).status, Status::Cancelled);
        int reports = 0;
        const Result<Placement> r =
            place(in, {}, ProgressSink([&](const Progress &) { ++reports; }));
        QCOMPARE(r.status, Status::Optimal);
        QVERIFY(reports > 0);
    }
};

QTEST_GUILESS_MAIN(TestPlacementProperties)
#include "test_placement_properties.moc"
