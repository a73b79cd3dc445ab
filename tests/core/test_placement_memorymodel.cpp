// The memory model and the stage load by hand: SGD/Adam, recomputation on/off, 1F1B positions,
// GPipe, and the longest-path load of a branching stage.

#include <QtTest>

#include "core/placement/layerdag.h"
#include "core/placement/memorymodel.h"
#include "core/placement/stageload.h"
#include "test_placement_support.h"

using namespace phaze;

namespace {

// a -> b, a -> c, b -> d, c -> d (ids 0..3), plus an input from outside into a.
PlacementGraph diamond()
{
    PlacementGraph g;
    g.layers = {{0, 10, 100, 1, 2, false},
                {1, 20, 200, 5, 10, false},
                {2, 30, 300, 2, 4, false},
                {3, 40, 400, 1, 2, false}};
    g.edges = {{0, 1, 50}, {0, 2, 60}, {1, 3, 70}, {2, 3, 80}};
    return g;
}

} // namespace

class TestPlacementMemoryModel : public QObject
{
    Q_OBJECT

private slots:
    void memoryFormula()
    {
        StageCost c;
        c.parameterBytes = 100;
        c.activationBytes = 30;
        c.inputBytes = 5;
        const MemoryModel sgd(1000, 64, false, Optimizer::Sgd);
        const MemoryModel adam(1000, 64, false, Optimizer::Adam);
        const MemoryModel sgdRecompute(1000, 64, true, Optimizer::Sgd);
        QCOMPARE(sgd.bytes(c, 1), 230.0);                     // 2P + A
        QCOMPARE(adam.bytes(c, 1), 330.0);                    // 2P + P + A
        QCOMPARE(sgd.bytes(c, 4), 230.0 + 3 * 30.0);          // + (s - 1) A
        QCOMPARE(sgdRecompute.bytes(c, 4), 230.0 + 3 * 5.0);  // + (s - 1) inputs
        QCOMPARE(sgd.maxInFlight(c), 1 + (1000 - 230) / 30);  // 26
        QCOMPARE(adam.maxInFlight(c), 1 + (1000 - 330) / 30); // 23
        QCOMPARE(sgdRecompute.maxInFlight(c), 64);            // capped at N
        QCOMPARE(sgdRecompute.maxInFlightUnbounded(c), 1 + (1000 - 230) / 5);
        c.parameterBytes = 600;
        QCOMPARE(sgd.maxInFlight(c), 0);
    }

    void branchingStageLoadIsTheLongestPath()
    {
        LayerDag dag;
        QVERIFY(LayerDag::build(diamond(), dag).empty());
        QVERIFY(!dag.isChain());
        const StageLoad loads(dag, 10.0);
        const StageCost all = loads.evaluate(std::vector<int>{0, 1, 2, 3});
        QCOMPARE(all.forward, 1.0 + 5 + 1); // a, b (the longer branch), d
        QCOMPARE(all.backward, 2.0 + 10 + 2);
        QCOMPARE(all.recomputeBackward, 7.0 + 14); // replay, then backward
        QCOMPARE(all.parameterBytes, 100.0);
        QCOMPARE(all.inputBytes, 0.0);
        // Stage {b, c, d}: inputs arrive at 50/10 and 60/10.
        const StageCost tail = loads.evaluate(std::vector<int>{1, 2, 3});
        QCOMPARE(tail.forward, std::max(5.0 + 5, 6.0 + 2) + 1);
        QCOMPARE(tail.inputBytes, 110.0);
        QCOMPARE(tail.loadWithRecompute(), tail.forward + (std::max(5.0, 2.0) + 1) + 2 + 10);
        // Stage {a}: gradients from b and c arrive at 5 and 6.
        const StageCost head = loads.evaluate(std::vector<int>{0});
        QCOMPARE(head.backward, 6.0 + 2);
        QCOMPARE(head.load(true, 1), head.loadWithoutRecompute()); // last stage: no replay
        QCOMPARE(head.load(true, 2), 1.0 + std::max(1.0, 6.0) + 2);
    }

    void gpipeStashesEveryMicrobatch()
    {
        PlacementInput in = testing::loadInstance("phaze-dp/bert-like-tp.input.json");
        PlacementOptions gpipe;
        gpipe.schedule = PipelineSchedule::GPipe;
        const Result<Placement> a = place(in), g = place(in, gpipe);
        QVERIFY(a.hasValue() && g.hasValue());
        QVERIFY(g.value->timePerBatch >= a.value->timePerBatch);
        for (const PlacedStage &s : g.value->stages)
            QVERIFY(s.memoryBytes <= in.memoryPerDevice);
        // GPipe's memory counts ceil(n_mb / d) microbatches: with d = 1 all 1024 are in flight.
        std::vector<StagePlan> plan;
        for (const PlacedStage &s : g.value->stages)
            plan.push_back({s.layers, s.devices});
        const Result<Placement> one =
            evaluatePlacement(in, PipelineSchedule::GPipe, g.value->tensorParallel, plan, 1);
        QCOMPARE(one.status, Status::Infeasible);
        QVERIFY2(one.message.find("1024 microbatches in flight") != std::string::npos,
                 one.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPlacementMemoryModel)
#include "test_placement_memorymodel.moc"
