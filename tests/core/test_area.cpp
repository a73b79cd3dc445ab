// The area model: the tpuv4 preset's die area and breakdown, monotonicity and linearity in the
// technology table.

#include <QtTest>

#include "core/arch/areamodel.h"

using namespace phaze;

namespace {

// PHAZE's chip: no per-core costs (the known answers below are PHAZE's areas).
const TechnologyTable &phazeChip()
{
    static const TechnologyTable table =
        technologyForProfile(defaultTechnology(), ModelProfile::Phaze);
    return table;
}

} // namespace

class TestArea : public QObject
{
    Q_OBJECT

private slots:
    void tpuv4Breakdown()
    {
        const AcceleratorConfig c = findAcceleratorPreset("tpuv4")->config;
        const AreaBreakdown a = areaBreakdown(c, phazeChip());
        const double pes = 8.0 * 128 * 128;
        QCOMPARE(a.tcMacs, pes * 600e-6);              // 78.6 mm2
        QCOMPARE(a.tcRegisters, pes * 10 * 3e-6);      // 3.9 mm2
        QCOMPARE(a.tcScratchpads, pes * 256 * 1e-6);   // 32 MiB of scratchpad: 33.6 mm2
        QCOMPARE(a.vcLanes, 256 * 6000e-6);            // 1.5 mm2
        QCOMPARE(a.glb, 128.0 * 1024 * 1024 * 0.8e-6); // 107.4 mm2
        QCOMPARE(a.uncore, 150.0);
        // A plausible TPUv4-class die: TPU v4 is < 600 mm2, TPU v4i (same CMEM) 400 mm2.
        QVERIFY(std::abs(a.total() - 375.433) < 0.01);
        double sum = 0.0;
        for (const AreaBreakdown::Item &item : a.items())
            sum += item.mm2;
        QCOMPARE(sum, a.total());
        QCOMPARE(chipArea(c, phazeChip()), a.total());
        QCOMPARE(a.perCoreOverhead(), 0.0);
        // The system profile adds what its 10 cores carry: control, DMA and 16 KiB of
        // instructions (0.046384 mm2 each) and a router for links of 512 B (0.128 mm2 each).
        const AreaBreakdown s = areaBreakdown(c, defaultTechnology());
        QVERIFY(std::abs(s.coreControl - 10 * 0.046384) < 1e-12);
        QVERIFY(std::abs(s.nocRouters - 10 * 0.128) < 1e-12);
        QVERIFY(std::abs(s.total() - (a.total() + 1.74384)) < 1e-9);
    }

    void largestPresetHasTheTpuv4Area()
    {
        // Same MACs, lanes and GLB in fewer, larger arrays.
        const double tpu = chipArea(findAcceleratorPreset("tpuv4")->config, phazeChip());
        const double largest =
            chipArea(findAcceleratorPreset("phaze-largest")->config, phazeChip());
        QVERIFY(std::abs(tpu - largest) < 1e-9);
        // With per-core costs, 3 cores cost less than 10.
        QVERIFY(chipArea(findAcceleratorPreset("phaze-largest")->config, defaultTechnology()) <
                chipArea(findAcceleratorPreset("tpuv4")->config, defaultTechnology()));
    }

    void monotoneInEveryParameter()
    {
        const TechnologyTable &t = defaultTechnology();
        const AcceleratorConfig base = findAcceleratorPreset("tpuv4")->config;
        const double a0 = chipArea(base, t);
        auto bigger = [&](auto change) {
            AcceleratorConfig c = base;
            change(c);
            return chipArea(c, t) > a0;
        };
        QVERIFY(bigger([](AcceleratorConfig &c) { c.numTc *= 2; }));
        QVERIFY(bigger([](AcceleratorConfig &c) { c.tcWidth *= 2; }));
        QVERIFY(bigger([](AcceleratorConfig &c) { c.tcDepth *= 2; }));
        QVERIFY(bigger([](AcceleratorConfig &c) { c.numVc *= 2; }));
        QVERIFY(bigger([](AcceleratorConfig &c) { c.vcWidth *= 2; }));
        QVERIFY(bigger([](AcceleratorConfig &c) { c.glbBytes *= 2; }));
        // HBM size, bandwidth and the clock are off chip or free in this model.
        AcceleratorConfig c = base;
        c.hbmBytes *= 2;
        c.hbmBandwidth *= 2;
        c.frequency *= 2;
        QCOMPARE(chipArea(c, t), a0);
    }

    void linearInTheTechnologyTable()
    {
        const AcceleratorConfig c = findAcceleratorPreset("tpuv4")->config;
        TechnologyTable t = defaultTechnology();
        const AreaBreakdown before = areaBreakdown(c, t);
        t.glbAreaPerByte *= 2;
        t.uncoreArea = 0;
        const AreaBreakdown after = areaBreakdown(c, t);
        QCOMPARE(after.glb, 2 * before.glb);
        QCOMPARE(after.uncore, 0.0);
        QCOMPARE(after.tcMacs, before.tcMacs);
    }
};

QTEST_APPLESS_MAIN(TestArea)
#include "test_area.moc"
