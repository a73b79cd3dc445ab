// Fused (FlashAttention-style) attention under the system profile (training.attention: fused):
// one kernel whose scores never reach HBM, by hand; its backward replaying the scores; the
// activations without the s^2 terms; and a training estimate against the materialised kernels.

#include <QtTest>

#include "core/arch/onchipnetwork.h"
#include "core/cost/costmodel.h"
#include "core/model/modelzoo.h"
#include "core/model/operatordag.h"
#include "core/model/transformerbuilder.h"
#include "core/spec/clusterspec.h"
#include "core/system/activationmemory.h"
#include "core/system/trainingestimate.h"
#include "tests/support/systemproblems.h"

using namespace phaze;
using testsupport::findOperator;

namespace {

double gemmFlops(const Operator &op)
{
    double f = 0.0;
    for (const PrimitiveOp &p : op.parts)
        f += isGemmKind(p.kind) ? p.flops() : 0.0;
    return f;
}

OperatorDag llamaBlock(bool fused)
{
    GraphBuildOptions options;
    options.sequence = 1024;
    options.fusion = false;
    options.fusedAttention = fused;
    const Result<ModelGraph> g = buildTransformer(*findZooModel("llama3-8b"), options);
    if (!g.ok())
        qFatal("%s", g.message.c_str());
    return g.value->layers[1].body->forward;
}

TrainingProblem llamaOnOneNode(AttentionKernel attention, Recomputation recomputation)
{
    TrainingProblem p = testsupport::onDgxH100("llama3-8b", {8, 1, 1, 1, 16, 1, 1});
    p.recipe.attention = attention;
    p.recipe.recomputation = recomputation;
    return p;
}

} // namespace

class TestFusedAttention : public QObject
{
    Q_OBJECT

private slots:
    void oneKernelByHand()
    {
        // Llama 3 8B, one sequence of 1,024 tokens, t = 1: 32 query heads of 128, 8 kv heads.
        const OperatorDag fused = llamaBlock(true);
        QVERIFY(!findOperator(fused, "attn.scores") && !findOperator(fused, "attn.softmax"));
        const Operator *core = findOperator(fused, "attn.core");
        QVERIFY(core);
        const std::int64_t q = 1024 * 4096 * 2, kv = 1024 * 1024 * 2, lse = 32 * 1024 * 4;
        QCOMPARE(core->fusedHbmBytes, q + 2 * kv + q + lse);
        // Causal: each query sees 512 keys on average, half the score and context FLOPs.
        QCOMPARE(gemmFlops(*core), 2 * (2.0 * 32 * 1024 * 128 * 512));
        const OperatorDag materialised = llamaBlock(false);
        const Operator *scores = findOperator(materialised, "attn.scores");
        QVERIFY(scores);
        QCOMPARE(gemmFlops(*scores), gemmFlops(*core)); // all 1,024 keys, one of the two GEMMs
        // The cost model moves exactly those bytes: the scores stay on chip.
        const AcceleratorConfig h100 = findAcceleratorPreset("h100-sxm5-80gb")->config;
        const CostModel costs = CostModel::realistic(defaultTechnology());
        const OperatorCost c = costs.estimate(*core, h100);
        QCOMPARE(c.intra.hbmBytes, double(core->fusedHbmBytes));
        QVERIFY(c.intra.latency >= gemmFlops(*core) / h100.peakFlops());
        QVERIFY(c.intra.latency >= c.intra.hbmBytes / costs.achievedHbmBandwidth(h100));
        // One kernel: one overhead and one barrier across the mesh, although it holds two
        // GEMMs (its backward five).
        // (At the peak matmul rate, so that the ideal chip's compute time is the reference;
        // at the sustained rate the kernel is slower.)
        ExecutionEffects peakRate = ExecutionEffects::of(defaultTechnology());
        peakRate.matmulEfficiency = 1.0;
        const OperatorCost p = CostModel(defaultTechnology(), true, peakRate).estimate(*core, h100);
        const OperatorCost ideal = CostModel().estimate(*core, h100);
        const double barrier =
            onChipNetworkOf(h100).barrierCycles(defaultTechnology()) / h100.frequency;
        QVERIFY(std::abs(p.intra.latency -
                         (std::max(ideal.intra.computeTime + barrier,
                                   p.intra.hbmBytes / costs.achievedHbmBandwidth(h100)) +
                          1e-6)) < 1e-15);
        QVERIFY(c.intra.latency > p.intra.latency);
        // Fusion never absorbs anything into it.
        const OperatorDag fusedAgain = fuseOperators(fused);
        const Operator *kept = findOperator(fusedAgain, "attn.core");
        QVERIFY(kept);
        QVERIFY(*kept == *core);
    }

    void backwardReplaysTheScores()
    {
        const OperatorDag block = llamaBlock(true);
        const Operator *core = findOperator(block, "attn.core");
        QVERIFY(core);
        const Operator back = backwardOperator(*core);
        QVERIFY(back.keepsIntermediates());
        QCOMPARE(back.fusedHbmBytes, 2 * core->fusedHbmBytes); // Q K V O dO in, dQ dK dV out
        // The scores once more, then two GEMMs for each forward GEMM: 2.5x the forward's.
        QCOMPARE(gemmFlops(back), 2.5 * gemmFlops(*core));
        QCOMPARE(back.parts.front().kind, OpKind::BatchedMatMul);
        QVERIFY(!back.parts.front().backward);
        QVERIFY(back.parts.back().backward);
    }

    void activationsWithoutTheScores()
    {
        const TransformerSpec &m = *findZooModel("llama3-8b");
        const LayerActivationTerms a = blockActivationTerms(m, 2, 8192, 2);
        const LayerActivationTerms f = blockActivationTerms(m, 2, 8192, 2, AttentionKernel::Fused);
        QCOMPARE(f.replicated, a.replicated);
        QCOMPARE(f.split, a.split);
        QCOMPARE(a.attentionCore, 32.0 * 8192 * 8192 * 2 * 2); // softmax output, no dropout
        QCOMPARE(f.attentionCore, 32.0 * 8192 * 2 * 4);         // fp32 log-sum-exp per row
        TrainingRecipe r;
        r.attention = AttentionKernel::Fused;
        QCOMPARE(blockActivationBytes(m, 2, 8192, 8, r, 2),
                 a.replicated + (a.split + f.attentionCore) / 8);
    }

    void trainingEstimate()
    {
        const CostModel costs = CostModel::realistic(defaultTechnology());
        const Result<TrainingEstimate> materialised =
            estimateTraining(llamaOnOneNode(AttentionKernel::Materialized, Recomputation::None),
                             costs);
        const Result<TrainingEstimate> fused =
            estimateTraining(llamaOnOneNode(AttentionKernel::Fused, Recomputation::None), costs);
        QVERIFY2(materialised.ok() && fused.ok(), fused.message.c_str());
        // At 8,192 tokens the materialised scores dominate memory and cost time.
        QVERIFY(fused.value->memory.total() < 0.7 * materialised.value->memory.total());
        QVERIFY(fused.value->iterationTime < materialised.value->iterationTime);
        qInfo("llama3-8b on 8 H100s, t = 8: %.3f s materialised, %.3f s fused",
              materialised.value->iterationTime, fused.value->iterationTime);
        // Model FLOPs do not depend on the kernel (the full scores, no replay), so neither does
        // the TFLOP/s per device for the same time.
        QVERIFY(std::abs(fused.value->modelFlops / materialised.value->modelFlops - 1.0) < 1e-9);
        // Selective recomputation has nothing to replay under a fused kernel.
        const Result<TrainingEstimate> selective = estimateTraining(
            llamaOnOneNode(AttentionKernel::Fused, Recomputation::Selective), costs);
        QCOMPARE(selective.status, Status::Error);
        QVERIFY2(selective.message.find("training.attention: fused") != std::string::npos,
                 selective.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestFusedAttention)
#include "test_fusedattention.moc"
