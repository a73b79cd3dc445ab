// Mixture-of-experts models and expert parallelism: the zoo's total and active parameter
// counts against the published ones; training FLOPs per token equal to 6 x the active matrix
// parameters plus the attention scores, by hand; the expert-parallel all-to-all bytes and
// times, the sharded experts' memory and the load-imbalance factor by hand; the layout search
// choosing ep; the project and validation formats reading the new fields.

#include <QtTest>

#include "core/io/projectfile.h"
#include "core/io/validationfile.h"
#include "core/model/modelzoo.h"
#include "core/model/operatordag.h"
#include "core/model/transformerbuilder.h"
#include "core/spec/clusterspec.h"
#include "core/system/collectives.h"
#include "core/system/layoutsearch.h"
#include "core/system/trainingestimate.h"
#include "tests/support/systemproblems.h"

using namespace phaze;
using testsupport::estimateOrFail;
using testsupport::findOperator;

namespace {

ModelGraph build(const TransformerSpec &spec, int sequence, int t = 1, int ep = 1)
{
    GraphBuildOptions options;
    options.sequence = sequence;
    options.tensorParallel = t;
    options.expertParallel = ep;
    options.fusion = false;
    Result<ModelGraph> g = buildTransformer(spec, options);
    if (!g.ok())
        qFatal("%s", g.message.c_str());
    return std::move(*g.value);
}

// GEMM FLOPs of a graph's forward and backward passes (vector operators left out).
double gemmFlops(const ModelGraph &g)
{
    double total = 0.0;
    for (const Layer &layer : g.layers)
        for (const Operator &op : layer.body->forward.ops) {
            for (const PrimitiveOp &p : op.parts)
                total += isGemmKind(p.kind) ? p.flops() : 0.0;
            for (const PrimitiveOp &p : backwardOperator(op).parts)
                total += isGemmKind(p.kind) ? p.flops() : 0.0;
        }
    return total;
}

TrainingProblem mixtralOn(int devicesPerNode, ParallelLayout layout)
{
    TrainingProblem p = testsupport::onDgxH100("mixtral-8x7b", layout);
    p.cluster.devicesPerNode = devicesPerNode;
    return p;
}

} // namespace

class TestExperts : public QObject
{
    Q_OBJECT

private slots:
    void zooCountsArePublished_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("total");  // the checkpoint's count
        QTest::addColumn<qint64>("active"); // counted by hand: total less the unrouted experts
        QTest::addColumn<double>("publishedActive");
        QTest::addColumn<double>("precision"); // half a unit of the published figure's last digit
        // Mixtral 8x7B: 46.7 B total, 12.9 B active (Jiang et al. 2024).
        QTest::newRow("mixtral-8x7b") << "mixtral-8x7b" << qint64(46702792704)
                                      << qint64(12879925248) << 12.9e9 << 0.05e9;
        // Qwen3-235B-A22B: 235 B total, 22 B active (Qwen3 technical report); the active count
        // is published to two digits, so it is held to them.
        QTest::newRow("qwen3-235b-a22b") << "qwen3-235b-a22b" << qint64(235093634560)
                                         << qint64(22190763520) << 22e9 << 0.5e9;
    }

    void zooCountsArePublished()
    {
        QFETCH(QString, key);
        QFETCH(qint64, total);
        QFETCH(qint64, active);
        QFETCH(double, publishedActive);
        QFETCH(double, precision);
        const TransformerSpec &spec = *findZooModel(key.toStdString());
        const ModelGraph g = build(spec, spec.sequence);
        QCOMPARE(qint64(g.totalParameters()), total);
        QCOMPARE(qint64(g.activeParameters()), active);
        QVERIFY(std::abs(double(total) / spec.referenceParameters - 1.0) < 0.005);
        QVERIFY(std::abs(double(active) - publishedActive) < precision);
        QCOMPARE(spec.referenceActiveParameters, publishedActive);
        // Sliced over t = 2 and ep = 4, the same model: every parameter counted once.
        const ModelGraph sliced = build(spec, spec.sequence, 2, 4);
        QCOMPARE(qint64(sliced.totalParameters()), total);
        QCOMPARE(qint64(sliced.activeParameters()), active);
    }

    void expertBlocksSplitExactly()
    {
        // Sliced over t and ep, an expert block's parts add up to the whole block: the dense
        // parts over t (replicated ones whole), the experts over t x ep.
        for (const char *key : {"mixtral-8x7b", "qwen3-235b-a22b"}) {
            const TransformerSpec &spec = *findZooModel(key);
            const ModelGraph wholeGraph = build(spec, 512);
            const LayerBody &whole = *wholeGraph.layers[1].body;
            for (int t : spec.tensorParallelWidths)
                for (int ep : {1, 2, 8}) {
                    const ModelGraph sliceGraph = build(spec, 512, t, ep);
                    const LayerBody &slice = *sliceGraph.layers[1].body;
                    QCOMPARE(slice.shardedParameters * t + slice.replicatedParameters +
                                 slice.expertParameters * t * ep,
                             whole.sliceParameters());
                    QCOMPARE(slice.replicatedParameters, whole.replicatedParameters);
                    QCOMPARE(slice.expertGroup, ep);
                    QCOMPARE(slice.expertParameters * t * ep,
                             std::int64_t(spec.moe.experts) * 3 * spec.hidden *
                                 spec.moe.expertFfn);
                }
        }
    }

    void denseLeadingBlocks()
    {
        // Two dense leading blocks (DeepSeek's first_k_dense_replace): a body of their own,
        // the dense MLP's parameters instead of the experts', and no unrouted experts there.
        TransformerSpec spec = *findZooModel("mixtral-8x7b");
        const std::int64_t h = spec.hidden, f = spec.ffn, e = spec.moe.experts;
        const ModelGraph all = build(spec, 512);
        spec.moe.denseLayers = 2;
        const ModelGraph mixed = build(spec, 512);
        QCOMPARE(mixed.distinctLayers().size(), std::size_t(4)); // embedding, dense, experts, head
        QVERIFY(mixed.layers[1].body != mixed.layers[3].body);
        const std::int64_t expertMlp = h * e + e * 3 * h * f; // router and experts
        const std::int64_t denseMlp = 3 * h * f;
        QCOMPARE(mixed.totalParameters(), all.totalParameters() - 2 * (expertMlp - denseMlp));
        QCOMPARE(mixed.inactiveParameters, all.inactiveParameters / 32 * 30);
    }

    void flopsPerTokenAreSixTimesTheActiveMatrices_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("sequence"); // s k divisible by E: the experts' tokens are exact
        QTest::newRow("mixtral-8x7b") << "mixtral-8x7b" << 4096;
        QTest::newRow("qwen3-235b-a22b") << "qwen3-235b-a22b" << 2048;
    }

    void flopsPerTokenAreSixTimesTheActiveMatrices()
    {
        QFETCH(QString, key);
        QFETCH(int, sequence);
        const TransformerSpec &spec = *findZooModel(key.toStdString());
        const double s = sequence, h = spec.hidden, a = spec.heads, d = spec.headWidth();
        const double kv = spec.keyValueHeads(), L = spec.layers, V = double(spec.vocab);
        const double E = spec.moe.experts, k = spec.moe.expertsPerToken, f = spec.moe.expertFfn;
        // Matrices a token passes through: Q, K, V, O, the router, k experts' three matrices,
        // and the output layer (the input embedding is a lookup).
        const double attention = h * a * d + 2 * h * kv * d + a * d * h;
        const double activeMatrices = L * (attention + h * E + k * 3 * h * f) + V * h;
        // QK^T and the attention over V: 2 x 2 s a d FLOPs per token forward, x3 with backward.
        const double scores = L * 3 * 4 * s * a * d;
        for (int ep : {1, 2}) {
            const ModelGraph g = build(spec, sequence, 1, ep);
            // The graph is one device's work: with ep > 1 its experts serve the group's tokens,
            // b s k ep / E per local expert, the same total per device.
            QCOMPARE(gemmFlops(g) / s, 6 * activeMatrices + scores);
        }
    }

    void expertDispatchByHand()
    {
        // Mixtral at s = 4096 on an ep = 4 group: each device sends b s k h = 4096 x 2 x 4096
        // bf16 values to the group and gets as many back, in the dispatch and the combine.
        const ModelGraph g = build(*findZooModel("mixtral-8x7b"), 4096, 1, 4);
        const OperatorDag &block = g.layers[1].body->forward;
        for (const char *name : {"moe.dispatch", "moe.combine"}) {
            const Operator *op = findOperator(block, name);
            QVERIFY(op);
            QCOMPARE(op->parts.front().kind, OpKind::AllToAll);
            QCOMPARE(op->parts.front().group, 4);
            QCOMPARE(op->parts.front().inputBytes, std::int64_t(4096) * 2 * 4096 * 2);
            QCOMPARE(backwardOperator(*op).coreClass(), CoreClass::Collective);
        }
        // Two local experts of 2 x 4096 x 4 / 8 = 4096 tokens each, 14,336 wide.
        const Operator *gate = findOperator(block, "moe.expert.gate");
        QCOMPARE(gate->parts.front().gemm, (GemmShape{2, 4096, 4096, 14336}));
        // ep = 1: the experts are local, nothing crosses a link.
        const ModelGraph local = build(*findZooModel("mixtral-8x7b"), 4096);
        QVERIFY(!findOperator(local.layers[1].body->forward, "moe.dispatch"));
    }

    void allToAllTimeByHand()
    {
        ClusterSpec c = findClusterPreset("dgx-h100")->cluster;
        const double bytes = 64e6;
        const double intra = c.intraNode.effectiveBandwidth();
        const double inter = c.interNode.effectiveBandwidth();
        // Four devices in one node: 3/4 of the buffer leaves each over NVLink.
        QCOMPARE(allToAllTime(c, bytes, GroupShape::strided(4, 1, 8)),
                 bytes * 3 / 4 / intra + c.intraNode.latency);
        // Eight devices, two per node: 1/8 to the node's other device, 6/8 over InfiniBand at
        // the same time; the slower decides.
        QCOMPARE(allToAllTime(c, bytes, GroupShape::strided(8, 4, 8)),
                 std::max(bytes / 8 / intra + c.intraNode.latency,
                          bytes * 6 / 8 / inter + c.interNode.latency));
        QCOMPARE(allToAllTime(c, bytes, GroupShape::strided(1, 1, 8)), 0.0);
    }

    void expertParallelTimeAndMemory()
    {
        // Mixtral, t = 1, p = 1, dp = ep = 4 in one node, one microbatch of 4,096 tokens each.
        const TrainingProblem p = mixtralOn(8, {1, 1, 4, 1, 4, 4});
        const TrainingEstimate e = estimateOrFail(p);
        const double bytes = 4096.0 * 2 * 4096 * 2;
        const double perAllToAll = allToAllTime(p.cluster, bytes, GroupShape::strided(4, 1, 8));
        // 32 blocks x (dispatch + combine) x (forward + backward), one microbatch.
        QVERIFY(std::abs(e.time.expertParallel / (32 * 4 * perAllToAll) - 1.0) < 1e-12);
        // The experts are sharded 4 ways, everything else is whole: bf16 weights by hand.
        const TransformerSpec &m = p.model;
        const double experts = 32.0 * 8 * 3 * m.hidden * double(m.moe.expertFfn);
        const double rest = 46702792704.0 - experts;
        QCOMPARE(e.memory.weights, 2.0 * (rest + experts / 4));
        QCOMPARE(e.stages.front().parameters, rest + experts / 4);

        // Uneven routing: the busiest device gets 1.5x the copies; its all-to-alls carry 1.5x
        // the bytes, and its experts run 1.5x longer. A capacity factor of 1.25 caps it.
        TrainingProblem uneven = p;
        uneven.recipe.expertLoadImbalance = 1.5;
        const TrainingEstimate u = estimateOrFail(uneven);
        const double slower =
            allToAllTime(p.cluster, 1.5 * bytes, GroupShape::strided(4, 1, 8));
        QVERIFY(std::abs(u.time.expertParallel / (32 * 4 * slower) - 1.0) < 1e-12);
        QVERIFY(u.time.forward > e.time.forward && u.time.backward > e.time.backward);
        QCOMPARE(u.modelFlops, e.modelFlops); // the model's FLOPs are the mean's
        uneven.recipe.expertCapacityFactor = 1.25;
        QCOMPARE(uneven.recipe.expertLoad(), 1.25);
        const TrainingEstimate capped = estimateOrFail(uneven);
        QVERIFY(capped.iterationTime < u.iterationTime && capped.iterationTime > e.iterationTime);
    }

    void expertRanksSitNextToTheTensorRanks()
    {
        // tp 2 x pp 2 x dp 4 with ep 4 on 8-GPU nodes: in Megatron-Core's order (tp-cp-ep-pp-dp)
        // the 4 expert ranks are 2 apart, so the group of 8 GPUs is one node and the all-to-alls
        // run on NVLink (ranks t p = 4 apart would span two nodes). Each tensor-parallel rank
        // dispatches the block's full b s k h copies. Two stages of 16 blocks, 2 microbatches.
        const TrainingProblem p = mixtralOn(8, {2, 2, 4, 1, 8, 4, 1});
        const TrainingEstimate e = estimateOrFail(p);
        const double bytes = 4096.0 * 2 * 4096 * 2;
        const GroupShape group = GroupShape::strided(4, 2, 8);
        QCOMPARE(group.perNode, 4);
        const double perAllToAll = allToAllTime(p.cluster, bytes, group);
        QVERIFY(std::abs(e.time.expertParallel / (2 * 16 * 4 * perAllToAll) - 1.0) < 1e-12);
    }

    void layoutSearchChoosesEp()
    {
        LayoutSearchProblem p;
        p.model = *findZooModel("mixtral-8x7b");
        p.chip = findAcceleratorPreset("h100-sxm5-80gb")->config;
        p.cluster = findClusterPreset("dgx-h100")->cluster;
        p.recipe.attention = AttentionKernel::Fused;
        p.devices = 16;
        p.globalBatch = 64;
        p.strategy.tensor = {2};
        p.strategy.pipeline = {1};
        p.strategy.microbatch = {1};
        p.strategy.recomputation = {Recomputation::Full};
        p.strategy.sequenceParallel = {true};
        const CostModel costs = CostModel::realistic(defaultTechnology());
        const Result<LayoutSearchResult> searched = searchLayouts(p, costs);
        QVERIFY2(searched.ok(), searched.message.c_str());
        // dp = 8: ep in 1, 2, 4, 8 (the divisors of 8 that divide the 8 experts).
        QCOMPARE(searched.value->evaluated, 4LL);
        LayoutSearchProblem fixed = p;
        fixed.strategy.expert = {1};
        // Every expert local: 23.4 B parameters per device at t = 2, 18 bytes each, cannot fit
        // 80 GiB; nor can ep 2 or 4 (12.1 B and 6.4 B). Only ep 8 (3.6 B, 61 GiB) fits.
        const Result<LayoutSearchResult> one = searchLayouts(fixed, costs);
        QCOMPARE(one.status, Status::Infeasible);
        QCOMPARE(searched.value->best.layout.expert, 8);
        QCOMPARE(searched.value->outOfMemory, 3LL);
        // A dense model takes no ep > 1; an ep that does not divide dp is refused.
        LayoutSearchProblem dense = p;
        dense.model = *findZooModel("llama3-8b");
        dense.strategy.expert = {2};
        const Result<LayoutSearchResult> refused = searchLayouts(dense, costs);
        QCOMPARE(refused.status, Status::Error);
        QVERIFY2(refused.message.find("needs a mixture-of-experts model") != std::string::npos,
                 refused.message.c_str());
        fixed.strategy.expert = {3};
        const Result<LayoutSearchResult> uneven = searchLayouts(fixed, costs);
        QCOMPARE(uneven.status, Status::Error);
        QVERIFY2(uneven.message.find("does not divide dp 8") != std::string::npos,
                 uneven.message.c_str());
    }

    void projectAndValidationFormats()
    {
        const std::string project =
            "models:\n"
            "  - transformer: {layers: 4, hidden: 512, heads: 8, ffn: 1024, sequence: 256,\n"
            "      vocabulary: 1000, kv_heads: 2, activation: swiglu, norm: rmsnorm,\n"
            "      tied_embeddings: false, head_dim: 128, qk_norm: true, experts: 8,\n"
            "      experts_per_token: 2, expert_ffn: 256, shared_expert_ffn: 512,\n"
            "      dense_layers: 1}\n"
            "    name: tiny-moe\n"
            "training: {expert_load_imbalance: 1.2, expert_capacity_factor: 1.5}\n"
            "strategy: {ep: [2, 4]}\n";
        const Result<ProjectSpec> p = loadProjectText(project, "p.yaml", ".");
        QVERIFY2(p.ok(), formatAll(p.diagnostics).c_str());
        const TransformerSpec &m = *p.value->models.front().transformer;
        QCOMPARE(m.moe, (MixtureOfExperts{8, 2, 256, 512, 1}));
        QCOMPARE(m.headDim, 128);
        QVERIFY(m.qkNorm);
        QCOMPARE(p.value->training.expertLoadImbalance, 1.2);
        QCOMPARE(p.value->training.expertCapacityFactor, 1.5);
        QCOMPARE(p.value->strategy.expert, (std::vector<int>{2, 4}));
        const Result<ProjectSpec> again = loadProjectText(saveProjectText(*p.value), "p.yaml", ".");
        QVERIFY2(again.ok(), formatAll(again.diagnostics).c_str());
        QVERIFY(*again.value == *p.value);
        // Bad expert settings are located errors.
        const Result<ProjectSpec> noTopK = loadProjectText(
            "models:\n  - transformer: {layers: 2, hidden: 64, heads: 4, ffn: 128, sequence: 16,"
            " vocabulary: 100, activation: swiglu, experts: 4, expert_ffn: 32}\n",
            "p.yaml", ".");
        QCOMPARE(noTopK.status, Status::Error);
        QVERIFY2(formatAll(noTopK.diagnostics).find("p.yaml:2:") != std::string::npos &&
                     formatAll(noTopK.diagnostics).find("experts_per_token") != std::string::npos,
                 formatAll(noTopK.diagnostics).c_str());

        // A validation run of an expert-parallel model reads ep and the routing recipe.
        const std::string validation =
            "format: phaze-validation/1\n"
            "name: moe\n"
            "systems:\n"
            "  s: {chip: h100-sxm5-80gb, devices_per_node: 8,\n"
            "      intra_node: {bandwidth: 450 GB/s}, inter_node: {bandwidth: 50 GB/s}}\n"
            "models:\n"
            "  m: {zoo: mixtral-8x7b}\n"
            "runs:\n"
            "  - name: r\n"
            "    model: m\n"
            "    system: s\n"
            "    training: {devices: 16, tp: 2, pp: 1, dp: 8, ep: 4, global_batch: 64,\n"
            "               microbatch: 1, recomputation: full, sequence_parallel: true,\n"
            "               attention: fused, expert_load_imbalance: 1.1}\n"
            "    measured: {iteration_time: 10 s}\n";
        const Result<ValidationSuite> v = loadValidationText(validation, "v.yaml");
        QVERIFY2(v.ok(), formatAll(v.diagnostics).c_str());
        const TrainingProblem &run = v.value->runs.front().problem;
        QCOMPARE(run.layout.expert, 4);
        QCOMPARE(run.recipe.expertLoadImbalance, 1.1);
        QVERIFY(run.model.hasExperts());
    }
};

QTEST_GUILESS_MAIN(TestExperts)
#include "test_experts.moc"
