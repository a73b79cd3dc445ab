// Context parallelism (strategy.cp): each sequence split over cp devices, K and V passed round a
// ring under fused attention. The graph's shapes by hand, the model FLOPs unchanged, the exposed
// ring time and the reduction over d x cp ranks by hand, the activations of s / cp tokens, and
// the refusals.

#include <QtTest>

#include <cmath>

#include "core/io/validationfile.h"
#include "core/model/modelzoo.h"
#include "core/model/operatordag.h"
#include "core/model/transformerbuilder.h"
#include "core/spec/clusterspec.h"
#include "core/system/activationmemory.h"
#include "core/system/collectives.h"
#include "core/system/layoutsearch.h"
#include "core/system/trainingestimate.h"
#include "tests/support/systemproblems.h"

using namespace phaze;
using testsupport::estimateOrFail;
using testsupport::findOperator;

namespace {

Result<ModelGraph> build(int cp, bool fused, int sequence = 8192)
{
    GraphBuildOptions options;
    options.sequence = sequence;
    options.fusion = false;
    options.fusedAttention = fused;
    options.contextParallel = cp;
    return buildTransformer(*findZooModel("llama3-8b"), options);
}

TrainingProblem llama(ParallelLayout layout)
{
    return testsupport::onDgxH100("llama3-8b", layout);
}

bool close(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

} // namespace

class TestContextParallel : public QObject
{
    Q_OBJECT

private slots:
    void graphShapesByHand()
    {
        // Llama 3 8B, 8,192 tokens over cp = 2: a device runs 4,096 tokens through its GEMMs,
        // its queries attend to all 8,192 keys (causal: 4,096 on average).
        const Result<ModelGraph> g = build(2, true);
        QVERIFY2(g.ok(), g.message.c_str());
        const OperatorDag &block = g.value->layers[1].body->forward;
        QCOMPARE(findOperator(block, "attn.qkv")->parts.front().gemm, (GemmShape{1, 4096, 4096, 6144}));
        const Operator *core = findOperator(block, "attn.core");
        QCOMPARE(core->parts.front().gemm, (GemmShape{32, 4096, 128, 4096}));
        // Q and O of the device's tokens, K and V of all 8,192 (its own and the ring's), the
        // fp32 log-sum-exp per query row.
        const std::int64_t q = 4096LL * 4096 * 2;
        const std::int64_t kv = 8192LL * 1024 * 2;
        QCOMPARE(core->fusedHbmBytes, q + 2 * kv + q + 32LL * 4096 * 4);
        // Materialised scores would be 4,096 x 8,192 per head.
        const Result<ModelGraph> m = build(2, false);
        QCOMPARE(findOperator(m.value->layers[1].body->forward, "attn.scores")->parts.front().gemm,
                 (GemmShape{32, 4096, 128, 8192}));
        // The layers pass the device's part of the hidden state on.
        QCOMPARE(g.value->edges.front().bytes, 4096LL * 4096 * 2);
        // s must split into 2 cp equal chunks (load-balanced causal attention).
        const Result<ModelGraph> odd = build(3, true, 8192);
        QCOMPARE(odd.status, Status::Error);
        QVERIFY2(odd.message.find("must be a multiple of 2 x cp") != std::string::npos,
                 odd.message.c_str());
    }

    void modelFlopsAreUnchanged()
    {
        // The same 16 sequences on 16 devices, as cp 2 x dp 1 or dp 2: the same model FLOPs.
        const TrainingEstimate split = estimateOrFail(llama({8, 1, 1, 1, 16, 1, 2}));
        const TrainingEstimate data = estimateOrFail(llama({8, 1, 2, 1, 16, 1, 1}));
        QVERIFY(close(split.modelFlops, data.modelFlops));
        QCOMPARE(split.microbatches, 16LL);
        QCOMPARE(data.microbatches, 8LL);
    }

    void ringTimeByHand()
    {
        // One device per node and a slow inter-node link: the ring cannot hide behind the
        // attention. Per block and microbatch: cp - 1 = 1 step of K and V (4,096 tokens x 1,024
        // x 2 bytes each) forward, twice that backward, less the attention over the chunk in
        // hand, (cp - 1) / cp of the fused kernel's time.
        TrainingProblem p = llama({1, 1, 1, 1, 2, 1, 2});
        p.cluster.devicesPerNode = 1;
        p.cluster.interNode.bandwidth = 1e9;
        const TrainingEstimate e = estimateOrFail(p);
        const CostModel costs = CostModel::realistic(defaultTechnology());
        const Result<ModelGraph> g = build(2, true);
        const Operator &core = *findOperator(g.value->layers[1].body->forward, "attn.core");
        const double forwardCore = costs.estimate(core, p.chip).intra.latency;
        const double backwardCore = costs.estimate(backwardOperator(core), p.chip).intra.latency;
        const double chunk = 2.0 * 4096 * 1024 * 2;
        const double forwardRing = pointToPointTime(p.cluster, chunk, true) - forwardCore / 2;
        const double backwardRing =
            pointToPointTime(p.cluster, 2 * chunk, true) - backwardCore / 2;
        QVERIFY(forwardRing > 0 && backwardRing > 0);
        QVERIFY2(close(e.time.contextParallel, 2.0 * 32 * (forwardRing + backwardRing)),
                 (std::to_string(e.time.contextParallel) + " vs " +
                  std::to_string(2.0 * 32 * (forwardRing + backwardRing)) + " f " +
                  std::to_string(forwardRing) + " b " + std::to_string(backwardRing))
                     .c_str());
        // On NVLink the ring hides behind the attention: nothing is charged.
        const TrainingEstimate fast = estimateOrFail(llama({1, 1, 1, 1, 2, 1, 2}));
        QCOMPARE(fast.time.contextParallel, 0.0);
    }

    void gradientsReduceOverTheContextRanks()
    {
        // t = 8, cp = 2, dp = 1: the two cp ranks of each slice hold the same weights and
        // all-reduce their fp32 gradients, 8 ranks apart: across the two nodes.
        TrainingProblem p = llama({8, 1, 1, 1, 8, 1, 2});
        p.recipe.overlapGradientReduction = false;
        const TrainingEstimate e = estimateOrFail(p);
        const double bytes = e.stages.front().parameters * 4.0;
        QVERIFY(close(e.time.dataParallel, allReduceTime(p.cluster, bytes, GroupShape{2, 1})));
        // Activations are those of 4,096 tokens: 32 blocks, and the head's norm input, GEMM
        // input and fp32 logits (untied, vocabulary-parallel over t).
        const TransformerSpec &m = p.model;
        const double tokensHidden = 4096.0 * m.hidden;
        const double blocks = 32 * blockActivationBytes(m, 1, 4096, 8, p.recipe, 2);
        const double head = 2 * tokensHidden * 2 + 4096.0 * std::ceil(double(m.vocab) / 8) * 4;
        QVERIFY(close(e.memory.activations, blocks + head));
    }

    void refusalsAndSearch()
    {
        // Materialised attention has no ring: refused, naming the key.
        TrainingProblem p = llama({8, 1, 1, 1, 8, 1, 2});
        p.recipe.attention = AttentionKernel::Materialized;
        const Result<TrainingEstimate> refused =
            estimateTraining(p, CostModel::realistic(defaultTechnology()));
        QCOMPARE(refused.status, Status::Error);
        QVERIFY2(refused.message.find("strategy.cp 2: context parallelism runs ring attention "
                                      "on fused kernels") != std::string::npos,
                 refused.message.c_str());
        // The layout search offers cp only when listed, and counts its devices.
        LayoutSearchProblem s;
        s.model = *findZooModel("llama3-8b");
        s.chip = p.chip;
        s.cluster = p.cluster;
        s.recipe.attention = AttentionKernel::Fused;
        s.devices = 16;
        s.globalBatch = 16;
        s.strategy.tensor = {8};
        s.strategy.pipeline = {1};
        s.strategy.recomputation = {Recomputation::None};
        s.strategy.sequenceParallel = {true};
        const CostModel costs = CostModel::realistic(defaultTechnology());
        const Result<LayoutSearchResult> plain = searchLayouts(s, costs);
        s.strategy.context = {1, 2};
        const Result<LayoutSearchResult> both = searchLayouts(s, costs);
        QVERIFY(plain.ok() && both.ok());
        QCOMPARE(both.value->evaluated, 2 * plain.value->evaluated);
        QVERIFY(both.value->best.estimate.iterationTime <=
                plain.value->best.estimate.iterationTime);
        QCOMPARE(both.value->best.layout.devices(), 16LL);
    }

    void validationReadsCp()
    {
        const std::string text = "format: phaze-validation/1\n"
                                 "name: cp\n"
                                 "systems:\n"
                                 "  s: {chip: h100-sxm5-80gb, devices_per_node: 8,\n"
                                 "      intra_node: {bandwidth: 450 GB/s},\n"
                                 "      inter_node: {bandwidth: 50 GB/s}}\n"
                                 "models:\n"
                                 "  m: {zoo: llama3-8b}\n"
                                 "runs:\n"
                                 "  - name: r\n"
                                 "    model: m\n"
                                 "    system: s\n"
                                 "    training: {devices: 32, tp: 8, cp: 2, pp: 1, dp: 2,\n"
                                 "               global_batch: 16, attention: fused}\n"
                                 "    measured: {iteration_time: 1 s}\n";
        const Result<ValidationSuite> v = loadValidationText(text, "v.yaml");
        QVERIFY2(v.ok(), formatAll(v.diagnostics).c_str());
        QCOMPARE(v.value->runs.front().problem.layout.context, 2);
        std::string wrong = text;
        wrong.replace(wrong.find("devices: 32"), 11, "devices: 16");
        const Result<ValidationSuite> bad = loadValidationText(wrong, "v.yaml");
        QCOMPARE(bad.status, Status::Error);
        QVERIFY2(formatAll(bad.diagnostics).find("tp x cp x pp x dp = 32") != std::string::npos,
                 formatAll(bad.diagnostics).c_str());
    }
};

QTEST_GUILESS_MAIN(TestContextParallel)
#include "test_contextparallel.moc"
