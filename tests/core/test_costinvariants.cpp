// Invariants of the cost model over thousands of random GEMM and vector shapes on random
// configurations (seeded): latency bounds, intra-operator never above single-core, monotonicity
// in cores, array size, GLB and bandwidth; >= 70% of peak for large GEMMs on tpuv4; finite and
// positive costs for every zoo operator on every candidate of the default space.

#include <QtTest>

#include <chrono>
#include <cmath>
#include <random>
#include <tuple>

#include "core/arch/archspace.h"
#include "core/arch/onchipnetwork.h"
#include "core/cost/costmodel.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"
#include "tests/support/testseed.h"

using namespace phaze;

namespace {

constexpr int kCases = 3000;
constexpr double kTolerance = 1e-12; // relative, for floating-point noise only

class Random
{
public:
    explicit Random(std::uint64_t seed) : m_rng(seed) {}
    int pow2(int lo, int hi) { return 1 << std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    std::int64_t logUniform(double lo, double hi)
    {
        const double x = std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(m_rng);
        return std::max<std::int64_t>(1, std::llround(std::exp(x)));
    }
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
    double real(double lo, double hi)
    {
        return std::uniform_real_distribution<double>(lo, hi)(m_rng);
    }

    AcceleratorConfig config()
    {
        AcceleratorConfig c;
        c.numTc = pow2(0, 12);
        c.tcWidth = pow2(1, 8);
        c.tcDepth = pow2(1, 8);
        c.numVc = pow2(0, 12);
        c.vcWidth = pick(2) ? c.tcWidth : pow2(1, 10);
        c.glbBytes = double(pow2(16, 30));
        c.hbmBandwidth = std::exp(real(std::log(1e10), std::log(1e13)));
        c.frequency = real(0.5e9, 2e9);
        return c;
    }

    PrimitiveOp gemm()
    {
        static const OpKind kinds[] = {OpKind::Linear, OpKind::MatMul, OpKind::BatchedMatMul};
        PrimitiveOp op;
        op.kind = kinds[pick(3)];
        op.backward = pick(2) == 1;
        op.gemm = GemmShape{op.kind == OpKind::BatchedMatMul ? logUniform(1, 256) : 1,
                            logUniform(1, 16384), logUniform(1, 16384), logUniform(1, 16384)};
        const GemmShape &s = op.gemm;
        const std::int64_t b = s.batch;
        op.inputBytes = b * s.m * s.k * 2 + (op.kind == OpKind::Linear ? 0 : b * s.k * s.n * 2);
        op.weightBytes = op.kind == OpKind::Linear ? s.k * s.n * 2 : 0;
        op.outputBytes = b * s.m * s.n * 2;
        return op;
    }

    PrimitiveOp vector()
    {
        PrimitiveOp op;
        op.kind = OpKind(int(OpKind::Add) + pick(kVectorKindCount));
        op.backward = pick(2) == 1;
        op.elements = logUniform(1, 1e8);
        op.inputBytes = op.elements * 2 * (1 + pick(2));
        op.outputBytes = op.elements * 2;
        return op;
    }

private:
    std::mt19937_64 m_rng;
};

bool notAbove(double a, double b)
{
    return a <= b * (1 + kTolerance) + 1e-300;
}

bool finitePositive(const ModeCost &m)
{
    return std::isfinite(m.latency) && m.latency > 0 && std::isfinite(m.energy) && m.energy > 0 &&
           std::isfinite(m.hbmBytes) && m.hbmBytes > 0;
}

std::string describe(const PrimitiveOp &op, const AcceleratorConfig &c)
{
    return std::string(opKindName(op.kind)) + " b" + std::to_string(op.gemm.batch) + " m" +
           std::to_string(op.gemm.m) + " k" + std::to_string(op.gemm.k) + " n" +
           std::to_string(op.gemm.n) + " e" + std::to_string(op.elements) + " on tc" +
           std::to_string(c.numTc) + " " + std::to_string(c.tcWidth) + "x" +
           std::to_string(c.tcDepth) + " vc" + std::to_string(c.numVc) + "x" +
           std::to_string(c.vcWidth) + " glb" + std::to_string(c.glbBytes);
}

// Collects every distinct operator (forward and backward, fused and unfused) of every zoo model
// at each of its tensor-parallel widths.
std::vector<Operator> zooOperators()
{
    std::vector<Operator> out;
    auto add = [&](const Operator &op) {
        for (const Operator &o : out)
            if (o.parts == op.parts)
                return;
        out.push_back(op);
    };
    for (const TransformerSpec &spec : modelZoo())
        for (int t : spec.tensorParallelWidths)
            for (bool fusion : {true, false}) {
                GraphBuildOptions options;
                options.tensorParallel = t;
                options.fusion = fusion;
                const Result<ModelGraph> g = buildTransformer(spec, options);
                if (!g.ok())
                    qFatal("cannot build %s", spec.key.c_str());
                for (int index : g.value->distinctLayers())
                    for (const Operator &op :
                         g.value->layers[std::size_t(index)].body->forward.ops) {
                        add(op);
                        add(backwardOperator(op));
                    }
            }
    return out;
}

} // namespace

class TestCostInvariants : public QObject
{
    Q_OBJECT

private slots:
    void gemmBoundsAndModes()
    {
        Random rnd(testsupport::testSeed("random GEMMs and configurations", 0xC0FFEE));
        const CostModel model;
        for (int i = 0; i < kCases; ++i) {
            const AcceleratorConfig c = rnd.config();
            const PrimitiveOp op = rnd.gemm();
            const OperatorCost cost = model.estimate(op, c);
            const std::string what = describe(op, c);
            QVERIFY2(finitePositive(cost.single) && finitePositive(cost.intra), what.c_str());
            const double compulsory = double(op.inputBytes + op.weightBytes + op.outputBytes);
            const double onePeak = 2.0 * c.tcWidth * c.tcDepth * c.frequency;
            QVERIFY2(notAbove(op.flops() / onePeak, cost.single.latency), what.c_str());
            QVERIFY2(notAbove(op.flops() / c.peakFlops(), cost.intra.latency), what.c_str());
            for (const ModeCost &m : {cost.single, cost.intra}) {
                QVERIFY2(notAbove(compulsory, m.hbmBytes), what.c_str());
                QVERIFY2(notAbove(compulsory / c.hbmBandwidth, m.latency), what.c_str());
                QVERIFY2(notAbove(m.hbmBytes / c.hbmBandwidth, m.latency), what.c_str());
            }
            // Documented overhead of intra over single: zero (one core holding the whole chip
            // is one of the intra-operator schedules).
            QVERIFY2(notAbove(cost.intra.latency, cost.single.latency), what.c_str());
        }
    }

    void gemmMonotonicity()
    {
        Random rnd(testsupport::testSeed("random GEMMs and configurations", 0xBADA55));
        const CostModel model;
        for (int i = 0; i < kCases; ++i) {
            const AcceleratorConfig c = rnd.config();
            const PrimitiveOp op = rnd.gemm();
            const OperatorCost base = model.estimate(op, c);
            const std::string what = describe(op, c);
            auto check = [&](auto change, bool single, const char *label) {
                AcceleratorConfig d = c;
                change(d);
                const OperatorCost more = model.estimate(op, d);
                QVERIFY2(notAbove(more.intra.latency, base.intra.latency),
                         (what + " intra, " + label).c_str());
                if (single)
                    QVERIFY2(notAbove(more.single.latency, base.single.latency),
                             (what + " single, " + label).c_str());
            };
            // More TCs share the GLB in single-core mode (documented), so only intra is checked.
            check([](AcceleratorConfig &d) { d.numTc *= 2; }, false, "2x TCs");
            check([](AcceleratorConfig &d) { d.tcWidth *= 2; }, true, "2x width");
            check([](AcceleratorConfig &d) { d.tcDepth *= 2; }, true, "2x depth");
            check([](AcceleratorConfig &d) { d.glbBytes *= 2; }, true, "2x GLB");
            check([](AcceleratorConfig &d) { d.hbmBandwidth *= 2; }, true, "2x HBM bandwidth");
            check([](AcceleratorConfig &d) { d.numVc *= 2; }, true, "2x VCs (no effect)");
            // With the GLB share held constant, a single-core GEMM ignores the other cores.
            AcceleratorConfig d = c;
            d.numTc *= 2;
            d.glbBytes *= 2;
            QCOMPARE(model.estimate(op, d).single.latency, base.single.latency);
        }
    }

    void vectorBoundsAndMonotonicity()
    {
        Random rnd(testsupport::testSeed("random vector operators and configurations", 0x5EED));
        const CostModel model;
        for (int i = 0; i < kCases; ++i) {
            const AcceleratorConfig c = rnd.config();
            const PrimitiveOp op = rnd.vector();
            const OperatorCost base = model.estimate(op, c);
            const std::string what = describe(op, c);
            QVERIFY2(finitePositive(base.single) && finitePositive(base.intra), what.c_str());
            const double work =
                double(op.elements) * model.technology().vectorCyclesFor(op.kind, op.backward);
            QVERIFY2(notAbove(work / (c.vcWidth * c.frequency), base.single.latency), what.c_str());
            QVERIFY2(
                notAbove(work / (double(c.numVc) * c.vcWidth * c.frequency), base.intra.latency),
                what.c_str());
            QVERIFY2(notAbove(base.single.hbmBytes / c.hbmBandwidth, base.single.latency),
                     what.c_str());
            QVERIFY2(notAbove(base.intra.latency, base.single.latency), what.c_str());
            for (auto change : {+[](AcceleratorConfig &d) { d.numVc *= 2; },
                                +[](AcceleratorConfig &d) { d.vcWidth *= 2; },
                                +[](AcceleratorConfig &d) { d.hbmBandwidth *= 2; },
                                +[](AcceleratorConfig &d) {
                                    d.numTc *= 2;
                                }}) {
                AcceleratorConfig d = c;
                change(d);
                const OperatorCost more = model.estimate(op, d);
                QVERIFY2(notAbove(more.intra.latency, base.intra.latency), what.c_str());
            }
            AcceleratorConfig wider = c;
            wider.vcWidth *= 2;
            QVERIFY2(notAbove(model.estimate(op, wider).single.latency, base.single.latency),
                     what.c_str());
        }
    }

    void zooOperatorsOnRandomConfigs()
    {
        // Operator-level bounds, fused operators included.
        const std::vector<Operator> ops = zooOperators();
        Random rnd(testsupport::testSeed("random configurations", 0xFACADE));
        const CostModel model;
        for (int i = 0; i < kCases; ++i) {
            const AcceleratorConfig c = rnd.config();
            const Operator &op = ops[std::size_t(rnd.pick(int(ops.size())))];
            const OperatorCost cost = model.estimate(op, c);
            double gemmFlops = 0;
            for (const PrimitiveOp &p : op.parts)
                gemmFlops += isGemmKind(p.kind) ? p.flops() : 0.0;
            QVERIFY(notAbove(gemmFlops / c.peakFlops(), cost.intra.latency));
            QVERIFY(notAbove(cost.single.hbmBytes / c.hbmBandwidth, cost.single.latency));
            QVERIFY(notAbove(cost.intra.latency, cost.single.latency));
            AcceleratorConfig more = c;
            more.numTc *= 2;
            more.numVc *= 2;
            more.tcWidth *= 2;
            more.vcWidth *= 2;
            QVERIFY2(notAbove(model.estimate(op, more).intra.latency, cost.intra.latency),
                     op.name.c_str());
        }
    }

    void executionEffectsKeepTheRoofline()
    {
        // The system profile's costs (per-kernel overhead, achievable HBM bandwidth, sustained
        // matmul rate) on every
        // distinct zoo operator, on the GPU presets, tpuv4 and random configurations: still
        // above both roofs, never faster than the ideal chip, by at most what the effects add.
        const std::vector<Operator> ops = zooOperators();
        const CostModel ideal;
        const CostModel real = CostModel::realistic(defaultTechnology());
        const ExecutionEffects &e = real.effects();
        std::vector<AcceleratorConfig> configs;
        for (const char *name : {"a100-sxm4-80gb", "h100-sxm5-80gb", "tpuv4"})
            configs.push_back(findAcceleratorPreset(name)->config);
        Random rnd(testsupport::testSeed("execution-effect configurations", 0xE4EC));
        for (int i = 0; i < 20; ++i)
            configs.push_back(rnd.config());
        for (const AcceleratorConfig &c : configs) {
            for (const Operator &op : ops) {
                const OperatorCost r = real.estimate(op, c);
                const OperatorCost i = ideal.estimate(op, c);
                double gemmFlops = 0;
                int gemms = 0;
                for (const PrimitiveOp &p : op.parts) {
                    gemmFlops += isGemmKind(p.kind) ? p.flops() : 0.0;
                    gemms += isGemmKind(p.kind) ? 1 : 0;
                }
                const std::string what = op.name + " on " + describe(op.parts.front(), c);
                QVERIFY2(notAbove(gemmFlops / c.peakFlops(), r.intra.latency), what.c_str());
                // Spread over the chip, an operator also waits for a barrier across the mesh
                // per kernel (at most one per part) and streams its GLB feeds over the
                // bisection.
                const OnChipNetwork noc = onChipNetworkOf(c);
                double feeds = 0.0;
                int parts = 0;
                for (const PrimitiveOp &p : op.parts) {
                    const PartCost pc = CostModel::computePartCost(p, c, defaultTechnology());
                    if ((isGemmKind(p.kind) || isVectorKind(p.kind)) && pc.intra.computeTime > 0) {
                        feeds += pc.glbFeedBytes;
                        ++parts;
                    }
                }
                const double network = double(parts) * noc.barrierCycles(defaultTechnology()) /
                                           c.frequency +
                                       noc.transferTime(feeds);
                for (const auto &[rm, im, spread] :
                     {std::tuple{r.single, i.single, false}, {r.intra, i.intra, true}}) {
                    QCOMPARE(rm.hbmBytes, im.hbmBytes);
                    QVERIFY2(notAbove(rm.hbmBytes / (c.hbmBandwidth * e.hbmEfficiency),
                                      rm.latency),
                             what.c_str());
                    QVERIFY2(notAbove(im.latency, rm.latency), what.c_str());
                    // GEMMs run at the sustained share of the tiling model's rate, streams at
                    // the achievable share of the bandwidth: the slower of the two bounds both.
                    const double most =
                        im.latency / std::min(e.hbmEfficiency, e.matmulEfficiency) +
                                        e.operatorOverhead * std::max(1, gemms) +
                                        (spread ? network : 0.0);
                    QVERIFY2(notAbove(rm.latency, most), what.c_str());
                }
            }
        }
    }

    void largeGemmsReachSeventyPercentOfPeak_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("batch");
        QTest::addColumn<qint64>("m");
        QTest::addColumn<qint64>("k");
        QTest::addColumn<qint64>("n");
        QTest::newRow("8192^3") << int(OpKind::MatMul) << qint64(1) << qint64(8192) << qint64(8192)
                                << qint64(8192);
        QTest::newRow("4096^3") << int(OpKind::MatMul) << qint64(1) << qint64(4096) << qint64(4096)
                                << qint64(4096);
        QTest::newRow("gpt3 fc1 t8 b4")
            << int(OpKind::Linear) << qint64(4) << qint64(2048) << qint64(12288) << qint64(6144);
        QTest::newRow("batched 64x2048^3") << int(OpKind::BatchedMatMul) << qint64(64)
                                           << qint64(2048) << qint64(2048) << qint64(2048);
    }

    void largeGemmsReachSeventyPercentOfPeak()
    {
        QFETCH(int, kind);
        QFETCH(qint64, batch);
        QFETCH(qint64, m);
        QFETCH(qint64, k);
        QFETCH(qint64, n);
        PrimitiveOp op;
        op.kind = OpKind(kind);
        op.gemm = GemmShape{batch, m, k, n};
        op.inputBytes = batch * m * k * 2 + (op.kind == OpKind::Linear ? 0 : batch * k * n * 2);
        op.weightBytes = op.kind == OpKind::Linear ? k * n * 2 : 0;
        op.outputBytes = batch * m * n * 2;
        const AcceleratorConfig c = findAcceleratorPreset("tpuv4")->config;
        const OperatorCost cost = CostModel().estimate(op, c);
        const double efficiency = op.flops() / c.peakFlops() / cost.intra.latency;
        QVERIFY2(efficiency >= 0.70, std::to_string(efficiency).c_str());
        QVERIFY(efficiency <= 1.0);
    }

    void everyZooOperatorOnEveryCandidate()
    {
        const auto start = std::chrono::steady_clock::now();
        const std::vector<Operator> ops = zooOperators();
        // PHAZE's space with PHAZE's chip (no per-core costs): 23,142 candidates. The system
        // profile's per-core costs push 192 of them over the budget.
        const Result<ArchSpace> space = enumerateArchSpace(
            ArchSpaceSpec{}, findAcceleratorPreset("tpuv4")->config,
            technologyForProfile(defaultTechnology(), ModelProfile::Phaze));
        QVERIFY(space.ok());
        QCOMPARE(space.value->count(), std::size_t(23142));
        const Result<ArchSpace> system = enumerateArchSpace(
            ArchSpaceSpec{}, findAcceleratorPreset("tpuv4")->config, defaultTechnology());
        QVERIFY(system.ok());
        QCOMPARE(system.value->count(), std::size_t(22950));
        const CostModel model;
        std::size_t checked = 0, bad = 0;
        std::string firstBad;
        for (const AcceleratorConfig &c : space.value->candidates) {
            for (const Operator &op : ops) {
                const OperatorCost cost = model.estimate(op, c);
                bool zero = op.coreClass() == CoreClass::None;
                if (op.coreClass() == CoreClass::Collective)
                    zero = op.parts.front().group <= 1;
                const bool ok = zero ? cost.single == ModeCost{} && cost.intra == ModeCost{}
                                     : finitePositive(cost.single) && finitePositive(cost.intra);
                ++checked;
                if (!ok && bad++ == 0)
                    firstBad = op.name + " on " + describe(op.parts.front(), c);
            }
        }
        QVERIFY2(bad == 0, (std::to_string(bad) + " bad, first: " + firstBad).c_str());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        qInfo("%zu distinct zoo operators x %zu candidates = %zu estimates in %.1f s", ops.size(),
              space.value->count(), checked, seconds);
        QVERIFY(ops.size() > 100);
    }
};

QTEST_APPLESS_MAIN(TestCostInvariants)
#include "test_costinvariants.moc"
