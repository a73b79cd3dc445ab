// Per-core costs and power (docs/cost-model.md, "Per-core costs" and "Power"): what every core
// carries in area, the static power that follows, the on-chip mesh an operator spread over the
// chip pays for, the power at peak by hand, the power budget of the space and the power front;
// and PHAZE's profile without any of it.

#include <QtTest>

#include <cmath>

#include "core/arch/archspace.h"
#include "core/arch/areamodel.h"
#include "core/arch/onchipnetwork.h"
#include "core/arch/powermodel.h"
#include "core/cost/costmodel.h"
#include "core/search/pareto.h"

#include "tests/support/operatorparts.h"

using namespace phaze;
using testsupport::linearPart;

namespace {

bool close(double a, double b, double rel = 1e-12)
{
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

// `cores` tensor cores of side x side (the same MACs for cores x side^2 fixed), one vector core.
AcceleratorConfig squareCores(int cores, int side)
{
    AcceleratorConfig c; // tpuv4's memory, clock and links
    c.numTc = cores;
    c.tcWidth = side;
    c.tcDepth = side;
    c.numVc = 1;
    c.vcWidth = 128;
    return c;
}

} // namespace

class TestChipCosts : public QObject
{
    Q_OBJECT

private slots:
    void manySmallCoresPayExactlyTheirPerCoreOverhead()
    {
        // One 64x64 core against 16 of 16x16: the same MACs, registers, scratchpads, vector
        // core and GLB, so the areas differ by the per-core terms alone. The mesh links are as
        // wide as the widest port, the vector core's 2 x 128 lanes x 2 B = 512 B, in both.
        const TechnologyTable &t = defaultTechnology();
        const AcceleratorConfig one = squareCores(1, 64), many = squareCores(16, 16);
        QCOMPARE(onChipNetworkOf(one).linkBytes, 512.0);
        QCOMPARE(onChipNetworkOf(many).linkBytes, 512.0);
        const AreaBreakdown a = areaBreakdown(one, t), b = areaBreakdown(many, t);
        QCOMPARE(a.tcMacs, b.tcMacs);
        QCOMPARE(a.tcScratchpads, b.tcScratchpads);
        const double perCore = t.coreControlArea + t.coreDmaArea +
                               t.instructionStoreBytes * t.scratchpadAreaPerByte +
                               512.0 * t.nocRouterAreaPerLinkByte;
        // 2 and 17 routers (the vector core has one too).
        QVERIFY(close(a.perCoreOverhead(), 2 * perCore));
        QVERIFY(close(b.perCoreOverhead(), 17 * perCore));
        QVERIFY(close(b.total() - a.total(), 15 * perCore, 1e-9));
        // 0.02 + 0.01 + 0.016384 + 0.128 mm2 a core.
        QVERIFY(close(perCore, 0.174384));
        // Static power follows the area: 0.1 W/mm2 of the 15 cores' overhead.
        const double staticA = peakPowerBreakdown(one, t).staticPower;
        const double staticB = peakPowerBreakdown(many, t).staticPower;
        QVERIFY(close(staticB - staticA, 15 * perCore * t.staticPowerPerMm2, 1e-9));
        // The dynamic power at peak does not depend on how the MACs are grouped, except for
        // the operand feeds at each array's edge (16 edges of 16 against one of 64).
        QVERIFY(peakPowerBreakdown(many, t).tensorCores > peakPowerBreakdown(one, t).tensorCores);
    }

    void phazeProfileChargesNothingPerCore()
    {
        const TechnologyTable phaze = technologyForProfile(defaultTechnology(), ModelProfile::Phaze);
        const TechnologyTable system =
            technologyForProfile(defaultTechnology(), ModelProfile::System);
        QVERIFY(system == defaultTechnology());
        for (const AcceleratorPreset &p : acceleratorPresets()) {
            const AreaBreakdown a = areaBreakdown(p.config, phaze);
            QCOMPARE(a.coreControl, 0.0);
            QCOMPARE(a.nocRouters, 0.0);
            // Bit for bit PHAZE's sum of its own terms.
            QCOMPARE(a.total(), a.tcMacs + a.tcRegisters + a.tcScratchpads + a.vcLanes +
                                    a.vcRegisters + a.glb + a.uncore);
            QCOMPARE(peakPowerBreakdown(p.config, phaze).staticPower, 0.0);
            QVERIFY(chipArea(p.config, system) > chipArea(p.config, phaze));
        }
        // The tpuv4 preset, PHAZE's area budget, is unchanged: about 375 mm2.
        const double budget = chipArea(findAcceleratorPreset("tpuv4")->config, phaze);
        QVERIFY(budget > 370 && budget < 380);
        // An ideal cost model has no on-chip network.
        QVERIFY(!CostModel().effects().onChipNetwork);
        QVERIFY(CostModel::realistic(defaultTechnology()).effects().onChipNetwork);
    }

    void meshGeometry()
    {
        // tpuv4: 8 + 2 cores on a 4 x 4 mesh, links of 128 + 128 bf16 operands (512 B).
        const OnChipNetwork t = onChipNetworkOf(AcceleratorConfig{});
        QCOMPARE(t.cores, 10);
        QCOMPARE(t.side, 4);
        QCOMPARE(t.diameterHops, 6);
        QCOMPARE(t.linkBytes, 512.0);
        QCOMPARE(t.bisectionBandwidth, 2.0 * 4 * 512 * 1.05e9);
        QCOMPARE(t.barrierCycles(defaultTechnology()), 2.0 * 6 * 2);
        // Exact squares: 16 cores on 4 x 4, 17 on 5 x 5.
        QCOMPARE(onChipNetworkOf(squareCores(15, 8)).side, 4);
        QCOMPARE(onChipNetworkOf(squareCores(16, 8)).side, 5);
        // Half of a transfer crosses the bisection.
        QCOMPARE(t.transferTime(t.bisectionBandwidth), 0.5);
    }

    void spreadingOverMoreCoresCostsMoreAtFixedMacs()
    {
        // A 4096 x 4096 x 4096 GEMM spread over the chip, 16,384 MACs grouped in 1, 4, 16, 64
        // and 256 arrays: the barrier grows with the mesh's diameter and the GLB feeds grow as
        // the arrays (and their scratchpads) shrink, while the bisection grows only with the
        // square root of the core count. The network's share of the intra-operator time rises.
        const CostModel real = CostModel::realistic(defaultTechnology());
        const PrimitiveOp gemm = linearPart(4096, 4096, 4096);
        double previousBarrier = -1.0, previousNetwork = -1.0;
        for (const auto &[cores, side] :
             {std::pair{1, 128}, {4, 64}, {16, 32}, {64, 16}, {256, 8}}) {
            const AcceleratorConfig c = squareCores(cores, side);
            const OnChipNetwork noc = onChipNetworkOf(c);
            const PartCost part = CostModel::computePartCost(gemm, c, defaultTechnology());
            const double barrier = noc.barrierCycles(defaultTechnology()) / c.frequency;
            const double network = noc.transferTime(part.glbFeedBytes);
            const std::string what = std::to_string(cores) + " cores of " + std::to_string(side);
            QVERIFY2(barrier > previousBarrier, what.c_str());
            QVERIFY2(network > previousNetwork, what.c_str());
            previousBarrier = barrier;
            previousNetwork = network;
            // The operator's intra latency charges both: at least the network time, and the
            // compute plus the barrier.
            const OperatorCost cost = real.estimate(gemm, c);
            QVERIFY2(cost.intra.latency >= network, what.c_str());
            QVERIFY2(cost.intra.latency >= part.intra.computeTime + barrier, what.c_str());
        }
        // On this compute-bound GEMM the network stays well below the compute, even for 256
        // arrays of 8x8: what many small cores pay is above all area (and its static power).
        const AcceleratorConfig small = squareCores(256, 8);
        const PartCost part = CostModel::computePartCost(gemm, small, defaultTechnology());
        QVERIFY(onChipNetworkOf(small).transferTime(part.glbFeedBytes) <
                0.1 * part.intra.computeTime);
    }

    void feedsFollowTheScratchpadBlocking()
    {
        // A GEMM whose fp32 output fits a core's scratchpad (75% of 64 x 64 x 256 B) is fed
        // once: inputs, weights and output. One that does not re-reads its panels.
        const AcceleratorConfig c = squareCores(1, 64);
        const PrimitiveOp small = linearPart(64, 64, 64);
        const PartCost s = CostModel::computePartCost(small, c, defaultTechnology());
        QCOMPARE(s.glbFeedBytes, 3.0 * 64 * 64 * 2);
        const PrimitiveOp large = linearPart(4096, 4096, 4096);
        const PartCost l = CostModel::computePartCost(large, c, defaultTechnology());
        QVERIFY(l.glbFeedBytes > 3.0 * 4096 * 4096 * 2);
        // Ideal costs ignore the feeds: PHAZE's latency of the intra mode is unchanged.
        const CostModel ideal;
        QCOMPARE(ideal.estimate(large, c).intra.latency,
                 std::max(l.intra.computeTime,
                          (l.compulsoryBytes + l.intra.reReadBytes) / c.hbmBandwidth));
    }

    void powerAtPeakByHand()
    {
        // tpuv4 (8 TCs of 128x128, 2 VCs of 128 lanes, 1.05 GHz, 1.2 TB/s HBM):
        const TechnologyTable &t = defaultTechnology();
        const AcceleratorConfig c;
        const PowerBreakdown p = peakPowerBreakdown(c, t);
        // per PE-cycle 0.25 pJ MAC + 2 x (2 + 4) B x 0.02 pJ registers = 0.49 pJ; per array
        // cycle 128 inputs x 2 B x (0.25 + 0.8) pJ + 128 partial sums x 8 B x 0.25 pJ.
        const double perTc = 128.0 * 128 * 0.49e-12 + 128 * 2 * 1.05e-12 + 128 * 8 * 0.25e-12;
        QVERIFY(close(p.tensorCores, 8 * perTc * 1.05e9, 1e-9));
        QVERIFY(close(p.vectorCores, 2 * 128 * (0.5e-12 + 4 * 0.25e-12) * 1.05e9, 1e-9));
        QVERIFY(close(p.hbm, c.hbmBandwidth * 31.8e-12, 1e-9));
        QVERIFY(close(p.staticPower, chipArea(c, t) * 0.1, 1e-12));
        QVERIFY(close(p.total(), p.staticPower + p.dynamic()));
        // About 150 W: below the 192 W TPU v4 draws at most (ISCA 2023), which also pays for
        // what the template does not model (clock tree, SparseCores, ICI routers).
        QVERIFY2(p.total() > 120 && p.total() < 192, std::to_string(p.total()).c_str());
    }

    void h200IsTheH100DieWithMoreHbm()
    {
        // The H200 preset, from its datasheet alone (no H200 was measured): the H100's die and
        // clock, 141 GB of HBM3e at 4.8 TB/s.
        const AcceleratorPreset *h200 = findAcceleratorPreset("h200-sxm-141gb");
        QVERIFY(h200);
        AcceleratorConfig c = h200->config;
        QVERIFY(close(c.peakFlops(), 989e12, 2e-3));
        QCOMPARE(c.hbmBytes, 141e9);
        QCOMPARE(c.hbmBandwidth, 4.8e12);
        const AcceleratorConfig h100 = findAcceleratorPreset("h100-sxm5-80gb")->config;
        c.hbmBytes = h100.hbmBytes;
        c.hbmBandwidth = h100.hbmBandwidth;
        QVERIFY(c == h100);
        // The same area; more power at peak, all of it HBM.
        const TechnologyTable &t = defaultTechnology();
        QCOMPARE(chipArea(h200->config, t), chipArea(h100, t));
        const PowerBreakdown a = peakPowerBreakdown(h200->config, t),
                             b = peakPowerBreakdown(h100, t);
        QVERIFY(close(a.total() - b.total(), a.hbm - b.hbm, 1e-9));
        QVERIFY(a.hbm > b.hbm);
    }

    void powerBudgetLeavesCandidatesOut()
    {
        const TechnologyTable &t = defaultTechnology();
        ArchSpaceSpec spec;
        spec.numTc = ValueRange::powersOfTwo(1, 64);
        spec.tcWidth = ValueRange::powersOfTwo(16, 128);
        spec.tcDepth = ValueRange::powersOfTwo(16, 128);
        spec.numVc = ValueRange::powersOfTwo(1, 8);
        spec.glbSize = ValueRange::powersOfTwo(32.0 * 1024 * 1024, 128.0 * 1024 * 1024);
        const Result<ArchSpace> all = enumerateArchSpace(spec, AcceleratorConfig{}, t);
        QVERIFY(all.ok());
        std::vector<double> powers;
        for (std::size_t i = 0; i < all.value->count(); ++i)
            powers.push_back(peakPower(all.value->candidates[i], t, all.value->areas[i]));
        std::sort(powers.begin(), powers.end());
        const double budget = powers[powers.size() / 2];
        spec.powerBudget = budget;
        const Result<ArchSpace> capped = enumerateArchSpace(spec, AcceleratorConfig{}, t);
        QVERIFY(capped.ok());
        const std::size_t kept = std::size_t(
            std::count_if(powers.begin(), powers.end(), [&](double w) { return w <= budget; }));
        QCOMPARE(capped.value->count(), kept);
        QCOMPARE(capped.value->overPowerBudget, all.value->count() - kept);
        QVERIFY(kept > 0 && kept < all.value->count());
        for (std::size_t i = 0; i < capped.value->count(); ++i)
            QVERIFY(peakPower(capped.value->candidates[i], t, capped.value->areas[i]) <= budget);
    }

    void powerFront()
    {
        // Throughput against power at peak: cheaper points first, each on the front beating
        // every cheaper one.
        std::vector<Evaluation> e(4);
        const double power[] = {300, 100, 200, 150};
        const double throughput[] = {40, 10, 30, 5};
        for (std::size_t i = 0; i < e.size(); ++i) {
            e[i].candidate = i;
            e[i].status = Status::Optimal;
            e[i].peakPowerW = power[i];
            e[i].throughput = throughput[i];
        }
        QCOMPARE(paretoFront(e, ParetoAxis::PeakPower), (std::vector<std::size_t>{1, 2, 0}));
        QCOMPARE(paretoValue(e[3], ParetoAxis::PeakPower), 150.0);
    }
};

QTEST_APPLESS_MAIN(TestChipCosts)
#include "test_chipcosts.moc"
