// The system model (docs/system-model.md): collectives on two tiers against their closed forms,
// activation bytes against Korthikanti et al. 2022's formulas, parameter-state bytes per
// recipe, the pipeline's in-flight memory, and the errors of layouts that cannot run.

#include <QtTest>

#include <cmath>

#include "core/model/modelzoo.h"
#include "core/system/activationmemory.h"
#include "core/system/collectives.h"
#include "core/system/trainingestimate.h"

using namespace phaze;

namespace {

ClusterSpec plainCluster(int perNode, double intra, double inter)
{
    ClusterSpec c;
    c.devicesPerNode = perNode;
    c.intraNode = {intra, 0.0, 1.0};
    c.interNode = {inter, 0.0, 1.0};
    return c;
}

bool close(double a, double b, double rel = 1e-12)
{
    return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

// GPT-3 175B as the validation file describes it.
TransformerSpec gpt3()
{
    TransformerSpec s;
    s.key = "gpt3-175b";
    s.layers = 96;
    s.hidden = 12288;
    s.heads = 96;
    s.ffn = 4 * 12288;
    s.sequence = 2048;
    s.vocab = 51200;
    s.maxPositions = 2048;
    return s;
}

TrainingProblem selene175b(Recomputation recomputation, bool sequenceParallel)
{
    TrainingProblem p;
    p.model = gpt3();
    p.chip = findAcceleratorPreset("a100-sxm4-80gb")->config;
    p.cluster = findClusterPreset("dgx-a100")->cluster;
    p.recipe.recomputation = recomputation;
    p.recipe.sequenceParallel = sequenceParallel;
    p.recipe.interleave = 3;
    p.layout = {8, 8, 1, 1, 64, 1, 1};
    return p;
}

} // namespace

class TestSystemModel : public QObject
{
    Q_OBJECT

private slots:
    void ringInsideOneNode()
    {
        const ClusterSpec c = plainCluster(8, 300e9, 25e9);
        const double bytes = 100e6;
        const GroupShape g = GroupShape::strided(8, 1, 8);
        QCOMPARE(g.perNode, 8);
        QVERIFY(close(allReduceTime(c, bytes, g), 2.0 * 7 / 8 * bytes / 300e9));
        QVERIFY(close(reduceScatterTime(c, bytes, g), 7.0 / 8 * bytes / 300e9));
        QVERIFY(close(allGatherTime(c, bytes, g) + reduceScatterTime(c, bytes, g),
                      allReduceTime(c, bytes, g)));
        QCOMPARE(allReduceTime(c, bytes, GroupShape::strided(1, 1, 8)), 0.0);
    }

    void hierarchicalAcrossNodes()
    {
        const ClusterSpec c = plainCluster(8, 300e9, 25e9);
        const double bytes = 100e6;
        // 32 adjacent devices: 8 per node over 4 nodes.
        const GroupShape g = GroupShape::strided(32, 1, 8);
        QCOMPARE(g.perNode, 8);
        const double expected = 2 * (7.0 / 8 * bytes / 300e9) + 2.0 * 3 / 4 * (bytes / 8) / 25e9;
        QVERIFY(close(allReduceTime(c, bytes, g), expected));
        // Data-parallel ranks 64 apart: one per node, a ring over the inter-node links.
        const GroupShape dp = GroupShape::strided(4, 64, 8);
        QCOMPARE(dp.perNode, 1);
        QVERIFY(close(allReduceTime(c, bytes, dp), 2.0 * 3 / 4 * bytes / 25e9));
        // Ranks 2 apart: 4 of them share a node.
        QCOMPARE(GroupShape::strided(8, 2, 8).perNode, 4);
        // Latency: 2 (n - 1) hops for an all-reduce, one per message.
        ClusterSpec slow = c;
        slow.intraNode.latency = 1e-6;
        QVERIFY(close(allReduceTime(slow, bytes, GroupShape::strided(8, 1, 8)),
                      2.0 * 7 / 8 * bytes / 300e9 + 14e-6));
        QVERIFY(close(pointToPointTime(slow, bytes, false), bytes / 300e9 + 1e-6));
        slow.interNode.efficiency = 0.5;
        QVERIFY(close(pointToPointTime(slow, bytes, true), bytes / 12.5e9));
    }

    void activationsFollowKorthikanti_data()
    {
        QTest::addColumn<int>("recomputation");
        QTest::addColumn<bool>("sequenceParallel");
        QTest::addColumn<double>("factor"); // bytes / (s b h)
        const double t = 8, a = 96, s = 2048, h = 12288;
        QTest::newRow("none") << int(Recomputation::None) << false
                              << 10 + 24 / t + 5 * a * s / (h * t);
        QTest::newRow("selective") << int(Recomputation::Selective) << false << 10 + 24 / t;
        QTest::newRow("none+sp") << int(Recomputation::None) << true << (34 + 5 * a * s / h) / t;
        QTest::newRow("selective+sp") << int(Recomputation::Selective) << true << 34 / t;
        QTest::newRow("full") << int(Recomputation::Full) << false << 2.0;
        QTest::newRow("full+sp") << int(Recomputation::Full) << true << 2.0 / t;
    }

    void activationsFollowKorthikanti()
    {
        QFETCH(int, recomputation);
        QFETCH(bool, sequenceParallel);
        QFETCH(double, factor);
        TrainingRecipe r;
        r.recomputation = Recomputation(recomputation);
        r.sequenceParallel = sequenceParallel;
        const double sbh = 2048.0 * 1 * 12288;
        QVERIFY(close(blockActivationBytes(gpt3(), 1, 2048, 8, r, 2), factor * sbh));
    }

    void parameterStatePerRecipe()
    {
        TrainingRecipe r; // bf16 mixed, Adam, fp32 gradients: Megatron's 18 bytes
        ParameterStateBytes b = parameterStateBytes(r);
        QCOMPARE(b.weights + b.gradients + b.optimizer, 18.0);
        r.fp32Gradients = false;
        QCOMPARE(parameterStateBytes(r).gradients, 2.0);
        r.optimizer = Optimizer::Sgd;
        QCOMPARE(parameterStateBytes(r).optimizer, 4.0); // the fp32 master copy
        r.precision = Precision::Fp32;
        r.optimizer = Optimizer::Adam;
        b = parameterStateBytes(r);
        QCOMPARE(b.weights, 4.0);
        QCOMPARE(b.gradients, 4.0);
        QCOMPARE(b.optimizer, 8.0);
    }

    void interleavedInFlightMemory()
    {
        // Korthikanti et al. 2022, section 4.2.3: the first stage holds L layers' activations, times
        // 1 + (p - 1) / (p v) under the interleaved schedule.
        const TrainingProblem p = selene175b(Recomputation::Selective, true);
        const Result<TrainingEstimate> e = estimateTraining(p, CostModel());
        QVERIFY2(e.ok(), e.message.c_str());
        QCOMPARE(e.value->fullestStage, 0);
        const StageEstimate &first = e.value->stages.front();
        QCOMPARE(first.inFlight, 8LL * 3 + 8 - 1);
        const double perLayer = blockActivationBytes(p.model, 1, 2048, 8, p.recipe, 2);
        const double layers = 96.0 * (1.0 + 7.0 / 24);
        const double extra = e.value->memory.activationTotal() - layers * perLayer;
        QVERIFY2(extra >= 0 && extra < 0.01 * layers * perLayer, qPrintable(QString::number(extra)));
        // Plain 1F1B: stage i holds p - i microbatches.
        TrainingProblem plain = p;
        plain.recipe.interleave = 1;
        const Result<TrainingEstimate> q = estimateTraining(plain, CostModel());
        QVERIFY(q.ok());
        for (int s = 0; s < 8; ++s)
            QCOMPARE(q.value->stages[std::size_t(s)].inFlight, 8LL - s);
    }

    void breakdownAddsUp()
    {
        for (Recomputation r : {Recomputation::None, Recomputation::Selective, Recomputation::Full}) {
            const Result<TrainingEstimate> e = estimateTraining(selene175b(r, false), CostModel());
            QVERIFY(e.ok());
            const TimeBreakdown &t = e.value->time;
            QVERIFY(close(t.total(), e.value->iterationTime));
            QVERIFY(t.forward > 0 && t.backward > t.forward && t.tensorParallel > 0);
            QVERIFY(t.bubble > 0 && t.pipelineTransfers > 0 && t.optimizerStep > 0);
            QCOMPARE(t.dataParallel, 0.0); // dp = 1
            QCOMPARE(t.recomputation > 0, r != Recomputation::None);
        }
        // Full recomputation replays every block's forward, collectives included.
        const Result<TrainingEstimate> none = estimateTraining(selene175b(Recomputation::None, false), CostModel());
        const Result<TrainingEstimate> full = estimateTraining(selene175b(Recomputation::Full, false), CostModel());
        QVERIFY(full.value->time.recomputation > 0.9 * none.value->time.forward);
    }

    void dataParallelReductionIsCharged()
    {
        TrainingProblem p = selene175b(Recomputation::Selective, true);
        p.layout = {8, 8, 4, 1, 256, 1, 1};
        p.recipe.overlapGradientReduction = false;
        // With model chunks each chunk reduces its own gradients: the same bytes over the same
        // ring, a few latencies more than one all-reduce of the stage.
        const int chunks = p.recipe.interleave;
        QVERIFY(chunks > 1);
        const Result<TrainingEstimate> chunked = estimateTraining(p, CostModel());
        p.recipe.interleave = 1;
        const Result<TrainingEstimate> e = estimateTraining(p, CostModel());
        QVERIFY(e.ok());
        const double params = e.value->stages[std::size_t(e.value->criticalStage)].parameters;
        // One device per node in each data-parallel group: a ring over the InfiniBand links.
        const double expected =
            allReduceTime(p.cluster, params * 4.0, GroupShape::strided(4, 64, 8));
        QVERIFY(close(e.value->time.dataParallel, expected));
        const double stageParams =
            chunked.value->stages[std::size_t(chunked.value->criticalStage)].parameters;
        const double single = allReduceTime(p.cluster, stageParams * 4.0, GroupShape::strided(4, 64, 8));
        QVERIFY(chunked.value->time.dataParallel > single);
        QVERIFY(chunked.value->time.dataParallel < 1.01 * single);
        p.recipe.overlapGradientReduction = true;
        QVERIFY(estimateTraining(p, CostModel()).value->time.dataParallel < expected);
        // The distributed optimizer divides the optimizer state by dp.
        p.recipe.optimizerSharding = true;
        const Result<TrainingEstimate> sharded = estimateTraining(p, CostModel());
        QVERIFY(close(sharded.value->memory.optimizer * 4, e.value->memory.optimizer));
    }

    void impossibleLayoutsAreErrors_data()
    {
        QTest::addColumn<int>("variant");
        QTest::addColumn<QString>("expected");
        QTest::newRow("layers") << 0 << "do not split evenly";
        QTest::newRow("tp beyond node") << 1 << "tensor-parallel groups stay inside a node";
        QTest::newRow("batch") << 2 << "global_batch";
        QTest::newRow("gqa") << 3 << "does not divide the key/value heads 4";
        QTest::newRow("interleave gpipe") << 4 << "1F1B";
    }

    void impossibleLayoutsAreErrors()
    {
        QFETCH(int, variant);
        QFETCH(QString, expected);
        TrainingProblem p = selene175b(Recomputation::Full, false);
        if (variant == 0)
            p.layout.pipeline = 7;
        if (variant == 1)
            p.layout.tensor = 16;
        if (variant == 2)
            p.layout = {8, 8, 1, 2, 65, 1, 1};
        if (variant == 3)
            p.model.kvHeads = 4; // t = 8 cannot split 4 key/value heads
        if (variant == 4)
            p.recipe.schedule = PipelineSchedule::GPipe;
        const Result<TrainingEstimate> e = estimateTraining(p, CostModel());
        QCOMPARE(e.status, Status::Error);
        QVERIFY2(QString::fromStdString(e.message).contains(expected), e.message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestSystemModel)
#include "test_systemmodel.moc"
