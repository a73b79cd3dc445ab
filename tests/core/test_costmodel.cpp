// The operator cost model on hand-computed cases: a GEMM that exactly fills the array, a GEMM
// that spills the GLB, vector and collective operators, fusion, the backward pass, energy, the
// content-keyed cache (identical to uncached, also across threads) and the layer helper.

#include <QtTest>

#include <thread>

#include "core/cost/collectivemodel.h"
#include "core/cost/costmodel.h"
#include "core/cost/tensorcoremodel.h"
#include "core/cost/vectorcoremodel.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

AcceleratorConfig oneCore()
{
    AcceleratorConfig c;
    c.numTc = 1;
    c.numVc = 1;
    c.tcWidth = c.tcDepth = c.vcWidth = 128;
    c.frequency = 1e9;
    c.hbmBandwidth = 1e15; // compute-bound unless a test says otherwise
    return c;
}

PrimitiveOp gemm(OpKind kind, std::int64_t batch, std::int64_t m, std::int64_t k, std::int64_t n)
{
    PrimitiveOp op;
    op.kind = kind;
    op.gemm = GemmShape{batch, m, k, n};
    const std::int64_t a = batch * m * k * 2, b = (kind == OpKind::Linear ? 1 : batch) * k * n * 2;
    op.inputBytes = kind == OpKind::Linear ? a : a + b;
    op.weightBytes = kind == OpKind::Linear ? b : 0;
    op.outputBytes = batch * m * n * 2;
    return op;
}

PrimitiveOp vector(OpKind kind, std::int64_t elements)
{
    PrimitiveOp op;
    op.kind = kind;
    op.elements = elements;
    op.inputBytes = op.outputBytes = elements * 2;
    return op;
}

bool close(double a, double b, double rel = 1e-12)
{
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

} // namespace

class TestCostModel : public QObject
{
    Q_OBJECT

private slots:
    void gemmThatFillsTheArray()
    {
        // 1024 rows through one 128x128 weight tile: 1024 stream cycles + 128 + 128 fill/drain.
        const CostModel model;
        const PrimitiveOp op = gemm(OpKind::MatMul, 1, 1024, 128, 128);
        const OperatorCost c = model.estimate(op, oneCore());
        QCOMPARE(c.coreClass, CoreClass::TC);
        QCOMPARE(c.single.computeTime, 1280e-9);
        QCOMPARE(c.single.latency, 1280e-9);
        QCOMPARE(c.intra.latency, 1280e-9); // one TC: intra is single
        QCOMPARE(c.single.hbmBytes, double(op.inputBytes + op.outputBytes));
        // Eight TCs: one strip, rows split 8 ways: 128 + 128 + 128 cycles + 200 sync.
        AcceleratorConfig eight = oneCore();
        eight.numTc = 8;
        const OperatorCost c8 = model.estimate(op, eight);
        QCOMPARE(c8.intra.latency, 584e-9);
        QCOMPARE(c8.single.latency, 1280e-9);
    }

    void gemmThatSpillsTheGlb()
    {
        // 1024 x 256 x 1024 with 1 MiB of GLB (768 KiB usable for output blocks): the best
        // blocking is 384 x 512, reading A twice and B three times: 1.5 MiB of re-reads.
        AcceleratorConfig c = oneCore();
        c.glbBytes = 1 * kMiB;
        c.hbmBandwidth = 1e9;
        const PrimitiveOp op = gemm(OpKind::MatMul, 1, 1024, 256, 1024);
        const GemmProblem g = GemmProblem::of(op, 2);
        QCOMPARE(gemmReReadBytes(g, c.glbBytes, defaultTechnology()), 1.5 * kMiB);
        const OperatorCost cost = CostModel().estimate(op, c);
        QCOMPARE(cost.single.hbmBytes, 4.5 * kMiB); // 3 MiB compulsory + 1.5 MiB re-read
        QCOMPARE(cost.single.latency, 4.5 * kMiB / 1e9);
        QCOMPARE(cost.single.computeTime, 20480e-9); // 8 strips x (2048 + 256 + 256)
        // With a GLB that holds the 4 MiB fp32 output block, nothing is re-read.
        QCOMPARE(gemmReReadBytes(g, 8 * kMiB, defaultTechnology()), 0.0);
    }

    void linearFoldsItsBatch()
    {
        const PrimitiveOp op = gemm(OpKind::Linear, 4, 256, 512, 512);
        const GemmProblem g = GemmProblem::of(op, 2);
        QCOMPARE(g.batch, 1.0);
        QCOMPARE(g.m, std::int64_t(1024));
        QCOMPARE(g.elementBytes, 2.0);
    }

    void vectorOperator()
    {
        const PrimitiveOp op = vector(OpKind::Softmax, 1000000);
        const OperatorCost c = CostModel().estimate(op, oneCore());
        QCOMPARE(c.coreClass, CoreClass::VC);
        QCOMPARE(c.single.latency, 46878e-9); // ceil(1e6 / 128) x 6 cycles
        AcceleratorConfig four = oneCore();
        four.numVc = 4;
        QCOMPARE(CostModel().estimate(op, four).intra.latency, 11924e-9); // 1954 x 6 + 200
        PrimitiveOp back = op;
        back.backward = true;
        QCOMPARE(CostModel().estimate(back, oneCore()).single.latency, 31252e-9); // x 4 cycles
        // Memory-bound at a low bandwidth: 4 MB at 1 GB/s.
        AcceleratorConfig slow = oneCore();
        slow.hbmBandwidth = 1e9;
        QCOMPARE(CostModel().estimate(op, slow).single.latency, 4e6 / 1e9);
    }

    void ringAllReduce()
    {
        PrimitiveOp op;
        op.kind = OpKind::AllReduce;
        op.group = 8;
        op.elements = 32 * 1024 * 1024;
        op.inputBytes = op.outputBytes = 64 * 1024 * 1024;
        AcceleratorConfig c = findAcceleratorPreset("tpuv4")->config; // 4 GiB/s links
        const OperatorCost cost = CostModel().estimate(op, c);
        QCOMPARE(cost.coreClass, CoreClass::Collective);
        QCOMPARE(cost.single.latency, 0.02734375); // 2 x 7/8 x 64 MiB / 4 GiB/s
        QCOMPARE(cost.intra.latency, cost.single.latency);
        QCOMPARE(ringAllReduceLinkBytes(100.0, 4), 150.0);
        c.numTc = 1; // cores do not matter
        QCOMPARE(CostModel().estimate(op, c).single.latency, 0.02734375);
        op.group = 1;
        QCOMPARE(CostModel().estimate(op, c).single.latency, 0.0);
    }

    void noOpsAreFree()
    {
        for (OpKind kind : {OpKind::View, OpKind::Transpose, OpKind::Split, OpKind::Concat,
                            OpKind::Embedding, OpKind::TpIdentity}) {
            PrimitiveOp op = vector(kind, 4096);
            const OperatorCost c = CostModel().estimate(op, oneCore());
            QCOMPARE(c.single, ModeCost{});
            QCOMPARE(c.intra, ModeCost{});
        }
    }

    void fusedGemmWithEpilogue()
    {
        Operator op;
        op.parts = {gemm(OpKind::Linear, 1, 512, 1024, 1024), vector(OpKind::Gelu, 512 * 1024)};
        const OperatorCost c = CostModel().estimate(op, oneCore());
        QCOMPARE(c.coreClass, CoreClass::TCVC);
        // TC 8 strips x 6144 cycles; VC 4096 x 4 cycles pipelined behind it, tail of one row.
        QCOMPARE(c.single.computeTime, (49152 + 16384.0 / 512) * 1e-9);
        // The GEMM output stays on chip: input, weights and the final output only.
        QCOMPARE(c.single.hbmBytes, 4.0 * kMiB);
        // When the VC dominates, the TC hides behind it.
        AcceleratorConfig narrow = oneCore();
        narrow.vcWidth = 8;
        const OperatorCost n = CostModel().estimate(op, narrow);
        QCOMPARE(n.single.computeTime, (262144 + 262144.0 / 512) * 1e-9);
    }

    void backwardGemmIsTwoGemms()
    {
        Operator fwd;
        fwd.name = "fc";
        fwd.parts = {gemm(OpKind::Linear, 1, 512, 1024, 4096)};
        const Operator bwd = backwardOperator(fwd);
        QCOMPARE(int(bwd.parts.size()), 2);
        const CostModel model;
        const OperatorCost f = model.estimate(fwd, oneCore());
        const OperatorCost b = model.estimate(bwd, oneCore());
        QCOMPARE(b.flops, 2 * f.flops);
        const double expected = (gemmCyclesOneCore(GemmProblem::of(bwd.parts[0], 2), 128, 128) +
                                 gemmCyclesOneCore(GemmProblem::of(bwd.parts[1], 2), 128, 128)) /
                                1e9;
        QVERIFY(close(b.single.computeTime, expected));
        QVERIFY(b.single.latency > f.single.latency);
    }

    void energyByHand()
    {
        const TechnologyTable &t = defaultTechnology();
        const PrimitiveOp op = gemm(OpKind::MatMul, 1, 1024, 128, 128);
        const OperatorCost c = CostModel().estimate(op, oneCore());
        const double macs = 1024.0 * 128 * 128;
        const double aFeeds = 1024.0 * 128 * 2, bFeeds = 128.0 * 128 * 2;
        const double partials = 1024.0 * 128 * 2 * 4, outputs = 1024.0 * 128 * 2;
        const double hbm = double(op.inputBytes + op.outputBytes);
        const double expected = macs * t.macEnergy + macs * 12 * t.registerEnergyPerByte +
                                (aFeeds + bFeeds + partials) * t.scratchpadEnergyPerByte +
                                (aFeeds + bFeeds + outputs) * t.glbEnergyPerByte +
                                hbm * (t.hbmEnergyPerByte + t.glbEnergyPerByte);
        QVERIFY(close(c.single.energy, expected));
        // Per MAC, everything included: a plausible fraction of a picojoule to a few pJ.
        QVERIFY(c.single.energy / macs > 0.25e-12 && c.single.energy / macs < 5e-12);
    }

    void cacheMatchesUncachedAcrossThreads()
    {
        std::vector<std::pair<Operator, AcceleratorConfig>> work;
        GraphBuildOptions options;
        options.tensorParallel = 2;
        const ModelGraph g = *buildTransformer(*findZooModel("megatron-bert"), options).value;
        AcceleratorConfig c = findAcceleratorPreset("tpuv4")->config;
        for (int tc : {1, 4, 8})
            for (int w : {32, 128}) {
                c.numTc = tc;
                c.tcWidth = c.vcWidth = w;
                for (const Layer &layer : g.layers)
                    for (const Operator &op : layer.body->forward.ops) {
                        work.emplace_back(op, c);
                        work.emplace_back(backwardOperator(op), c);
                    }
            }
        const CostModel uncached(defaultTechnology(), false);
        std::vector<OperatorCost> reference;
        for (const auto &[op, config] : work)
            reference.push_back(uncached.estimate(op, config));
        QCOMPARE(uncached.cacheStats().misses, std::uint64_t(0));

        const CostModel cached;
        std::vector<std::vector<OperatorCost>> results(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int pass = 0; pass < 2; ++pass) {
                    results[t].clear();
                    for (const auto &[op, config] : work)
                        results[t].push_back(cached.estimate(op, config));
                }
            });
        for (std::thread &t : threads)
            t.join();
        for (const auto &r : results)
            QVERIFY(r == reference);
        const CostCacheStats s = cached.cacheStats();
        QVERIFY(s.misses > 0);
        QVERIFY(s.hits > 3 * s.misses); // 8 passes over the same work
        QVERIFY(s.entries <= s.misses);
        cached.clearCache();
        QCOMPARE(cached.cacheStats().entries, std::size_t(0));
    }

    void cacheKeyIgnoresIrrelevantFields()
    {
        const PrimitiveOp v = vector(OpKind::Add, 1000);
        AcceleratorConfig a = oneCore(), b = oneCore();
        b.numTc = 64;
        b.tcDepth = 8;
        b.glbBytes = 2 * kMiB;
        QVERIFY(CostKey::of(v, a) == CostKey::of(v, b)); // a vector part ignores the TCs
        const PrimitiveOp m = gemm(OpKind::MatMul, 1, 64, 64, 64);
        QVERIFY(!(CostKey::of(m, a) == CostKey::of(m, b)));
        b = a;
        b.numVc = 16;
        QVERIFY(CostKey::of(m, a) == CostKey::of(m, b)); // a GEMM part ignores the VCs
        QCOMPARE(CostKey::of(m, a).hash(), CostKey::of(m, b).hash());
    }

    void layerHelperCostsForwardAndBackward()
    {
        const ModelGraph g = *buildTransformer(*findZooModel("gpt2-xl"), {}).value;
        const LayerBody &block = *g.layers[1].body;
        const LayerCost cost =
            CostModel().estimateLayer(block, findAcceleratorPreset("tpuv4")->config);
        QCOMPARE(cost.forwardOps.size(), block.forward.ops.size());
        QCOMPARE(cost.backwardOps.size(), block.forward.ops.size());
        QCOMPARE(cost.backward.ops.size(), block.forward.ops.size());
        double fwdFlops = 0, bwdFlops = 0;
        for (const OperatorCost &c : cost.forwardOps)
            fwdFlops += c.flops;
        for (const OperatorCost &c : cost.backwardOps)
            bwdFlops += c.flops;
        QCOMPARE(fwdFlops, block.forward.flops());
        QVERIFY(close(bwdFlops, block.flopsBackward, 1e-9));
    }

    void validation()
    {
        AcceleratorConfig c = oneCore();
        QCOMPARE(validateConfig(c), std::string());
        c.numVc = 0;
        QVERIFY(!validateConfig(c).empty());
        c = oneCore();
        c.hbmBandwidth = 0;
        QVERIFY(!validateConfig(c).empty());
    }
};

QTEST_APPLESS_MAIN(TestCostModel)
#include "test_costmodel.moc"
