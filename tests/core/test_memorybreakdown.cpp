// The per-stage memory breakdown (weights, gradients, optimizer state, activations, stash of the
// other in-flight microbatches): its parts add up to the stage's memoryBytes exactly, on PHAZE's
// known-answer instances and on a zoo model; recomputation shrinks only the stash; and a small
// case matches the formula of algorithms.md §4 worked by hand.

#include <QtTest>

#include "core/io/modelloader.h"
#include "core/placement/memorymodel.h"
#include "core/placement/placement.h"
#include "core/placement/placementevaluator.h"
#include "test_placement_support.h"

using namespace phaze;

namespace {

// Exact: the breakdown is the terms of the memory formula, summed in the same order.
void checkSums(const Placement &p)
{
    for (const PlacedStage &s : p.stages) {
        QCOMPARE(s.memory.total(), s.memoryBytes);
        QCOMPARE(s.memory.weights, s.parameterBytes);
        QCOMPARE(s.memory.gradients, s.parameterBytes);
        QVERIFY(s.memory.activations > 0.0);
        QVERIFY(s.memory.stash >= 0.0);
    }
    if (p.fixed)
        for (const PlacedStage &s : p.fixed->stages)
            QCOMPARE(s.memory.total(), s.memoryBytes);
}

// gpt2-xl at width 1 with made-up latencies (1 ms forward, 2 ms backward per layer): the
// bytes are the model's own, which is all the memory model looks at.
PlacementInput zooInput(bool recomputation, Optimizer optimizer)
{
    GraphBuildOptions build;
    build.microbatch = 1;
    const Result<ModelGraph> load = loadModelByName("gpt2-xl", build);
    if (!load.value)
        qFatal("cannot build gpt2-xl");
    const std::size_t n = load.value->layers.size();
    PlacementInput in;
    in.graphs.push_back(placementGraphFromModel(*load.value, std::vector<double>(n, 1e-3),
                                                std::vector<double>(n, 2e-3)));
    in.devices = 64;
    in.memoryPerDevice = 8.0 * (1ll << 30);
    in.bandwidth = 4.0 * (1ll << 30);
    in.microbatches = 256;
    in.recomputation = recomputation;
    in.optimizer = optimizer;
    return in;
}

// Layers 0 -> 1 -> 2 with 10/20/30 parameter bytes, 100/200/300 activation bytes and 50/70
// bytes on the edges, one layer per stage.
PlacementInput smallChain(bool recomputation)
{
    PlacementInput in;
    PlacementGraph g;
    g.layers = {{0, 10, 100, 1, 2, false}, {1, 20, 200, 1, 2, false}, {2, 30, 300, 1, 2, false}};
    g.edges = {{0, 1, 50}, {1, 2, 70}};
    in.graphs.push_back(g);
    in.devices = 3;
    in.memoryPerDevice = 1e6;
    in.bandwidth = 10.0;
    in.microbatches = 4;
    in.recomputation = recomputation;
    in.optimizer = Optimizer::Adam;
    return in;
}

const std::vector<StagePlan> kOneLayerPerStage = {{{0}, 1}, {{1}, 1}, {{2}, 1}};

} // namespace

class TestMemoryBreakdown : public QObject
{
    Q_OBJECT

private slots:
    void partsSumOnKnownAnswers_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"small-chain", "bert-like-tp", "gpt3-like-large"})
            QTest::newRow(n) << QString::fromUtf8(n);
    }

    void partsSumOnKnownAnswers()
    {
        QFETCH(QString, name);
        const PlacementInput in =
            testing::loadInstance("phaze-dp/" + name.toStdString() + ".input.json");
        for (PipelineSchedule schedule : {PipelineSchedule::OneFOneB, PipelineSchedule::GPipe}) {
            PlacementOptions options;
            options.schedule = schedule;
            const Result<Placement> r = place(in, options);
            // GPipe stashes every microbatch: some instances do not fit at all.
            if (schedule == PipelineSchedule::GPipe && r.status == Status::Infeasible)
                continue;
            QVERIFY2(r.hasValue(), r.message.c_str());
            checkSums(*r.value);
        }
    }

    void partsSumOnAZooModel_data()
    {
        QTest::addColumn<bool>("recomputation");
        QTest::addColumn<bool>("adam");
        QTest::newRow("sgd") << false << false;
        QTest::newRow("adam") << false << true;
        QTest::newRow("sgd, recomputation") << true << false;
        QTest::newRow("adam, recomputation") << true << true;
    }

    void partsSumOnAZooModel()
    {
        QFETCH(bool, recomputation);
        QFETCH(bool, adam);
        const PlacementInput in = zooInput(recomputation, adam ? Optimizer::Adam : Optimizer::Sgd);
        const Result<Placement> r = place(in);
        QVERIFY2(r.hasValue(), r.message.c_str());
        QVERIFY(r.value->stages.size() > 1); // 8 GiB does not hold gpt2-xl on one device
        checkSums(*r.value);
        for (const PlacedStage &s : r.value->stages) {
            QCOMPARE(s.memory.optimizer, adam ? s.parameterBytes : 0.0);
            QVERIFY(s.memoryBytes <= in.memoryPerDevice);
            if (s.position == 1)
                QCOMPARE(s.memory.stash, 0.0); // the last stage holds one microbatch
        }
    }

    // The same stages with and without recomputation: only the stash changes, and it shrinks
    // wherever more than one microbatch is in flight.
    void recomputationReducesTheStash()
    {
        const PlacementInput without = zooInput(false, Optimizer::Sgd);
        const Result<Placement> a = place(without);
        QVERIFY2(a.hasValue(), a.message.c_str());
        std::vector<StagePlan> plan;
        for (const PlacedStage &s : a.value->stages)
            plan.push_back({s.layers, s.devices});
        const PlacementInput with = zooInput(true, Optimizer::Sgd);
        const Result<Placement> b = evaluatePlacement(
            with, PipelineSchedule::OneFOneB, a.value->tensorParallel, plan, a.value->dataParallel);
        QVERIFY2(b.hasValue(), b.message.c_str());
        QCOMPARE(b.value->stages.size(), a.value->stages.size());
        for (std::size_t k = 0; k < plan.size(); ++k) {
            const MemoryBreakdown &off = a.value->stages[k].memory;
            const MemoryBreakdown &on = b.value->stages[k].memory;
            QCOMPARE(on.weights, off.weights);
            QCOMPARE(on.activations, off.activations);
            if (a.value->stages[k].position > 1)
                QVERIFY(on.stash < off.stash);
            else
                QCOMPARE(on.stash, off.stash);
        }
    }

    void smallCaseByHand_data()
    {
        QTest::addColumn<bool>("recomputation");
        QTest::addColumn<bool>("gpipe");
        // Per stage (first first): the stash, as (in flight - 1) x K.
        QTest::addColumn<QList<double>>("stash");
        // 1F1B: positions 3, 2, 1 hold 3, 2, 1 microbatches; K = A without recomputation.
        QTest::newRow("1F1B") << false << false << QList<double>{2 * 100.0, 1 * 200.0, 0.0};
        // With recomputation K is the bytes entering the stage: 0, 50, 70.
        QTest::newRow("1F1B, recomputation")
            << true << false << QList<double>{2 * 0.0, 1 * 50.0, 0.0};
        // GPipe: every stage holds all 4 microbatches.
        QTest::newRow("GPipe") << false << true << QList<double>{3 * 100.0, 3 * 200.0, 3 * 300.0};
        QTest::newRow("GPipe, recomputation")
            << true << true << QList<double>{3 * 0.0, 3 * 50.0, 3 * 70.0};
    }

    void smallCaseByHand()
    {
        QFETCH(bool, recomputation);
        QFETCH(bool, gpipe);
        QFETCH(QList<double>, stash);
        const Result<Placement> r = evaluatePlacement(
            smallChain(recomputation), gpipe ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB,
            1, kOneLayerPerStage, 1);
        QVERIFY2(r.hasValue(), r.message.c_str());
        QCOMPARE(r.value->stages.size(), std::size_t(3));
        const double parameters[] = {10, 20, 30}, activations[] = {100, 200, 300};
        for (std::size_t k = 0; k < 3; ++k) {
            const PlacedStage &s = r.value->stages[k];
            QCOMPARE(s.memory.weights, parameters[k]);
            QCOMPARE(s.memory.gradients, parameters[k]);
            QCOMPARE(s.memory.optimizer, parameters[k]); // Adam
            QCOMPARE(s.memory.activations, activations[k]);
            QCOMPARE(s.memory.stash, stash[qsizetype(k)]);
            QCOMPARE(s.memoryBytes, 3 * parameters[k] + activations[k] + stash[qsizetype(k)]);
        }
    }

    void breakdownMatchesBytes()
    {
        StageCost c;
        c.parameterBytes = 100;
        c.activationBytes = 30;
        c.inputBytes = 5;
        for (bool recomputation : {false, true})
            for (Optimizer o : {Optimizer::Sgd, Optimizer::Adam}) {
                const MemoryModel m(1000, 64, recomputation, o);
                for (long long inFlight : {1ll, 2ll, 7ll, 1024ll})
                    QCOMPARE(m.breakdown(c, inFlight).total(), m.bytes(c, inFlight));
            }
    }
};

QTEST_GUILESS_MAIN(TestMemoryBreakdown)
#include "test_memorybreakdown.moc"
