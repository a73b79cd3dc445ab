// The architecture space: the default PHAZE space's size and window (with PHAZE's chip), its
// order, the largest candidate preset, user-defined ranges and budgets.

#include <QtTest>

#include <algorithm>
#include <tuple>

#include "core/arch/archspace.h"
#include "core/arch/areamodel.h"

using namespace phaze;

namespace {

// PHAZE's chip (no per-core costs): the space's known answers are PHAZE's.
const TechnologyTable &phazeChip()
{
    static const TechnologyTable table =
        technologyForProfile(defaultTechnology(), ModelProfile::Phaze);
    return table;
}

const AcceleratorConfig &tpuv4()
{
    return findAcceleratorPreset("tpuv4")->config;
}

ArchSpace enumerate(const ArchSpaceSpec &spec, const TechnologyTable &t = phazeChip())
{
    Result<ArchSpace> r = enumerateArchSpace(spec, tpuv4(), t);
    if (!r.ok())
        qFatal("enumeration failed: %s", r.message.c_str());
    return std::move(*r.value);
}

auto orderKey(const AcceleratorConfig &c)
{
    return std::make_tuple(c.numTc, c.tcWidth, c.tcDepth, c.numVc, c.vcWidth, c.glbBytes);
}

} // namespace

class TestArchSpace : public QObject
{
    Q_OBJECT

private slots:
    void defaultSpaceCount()
    {
        const ArchSpace s = enumerate(ArchSpaceSpec{});
        // 13 TC counts x 8 widths x 8 depths x 13 VC counts x 7 GLB sizes.
        QCOMPARE(s.crossProduct, std::size_t(13 * 8 * 8 * 13 * 7));
        QCOMPARE(s.count(), std::size_t(23142)); // documented in docs/cost-model.md
        QCOMPARE(s.budget, chipArea(tpuv4(), phazeChip()));
        QCOMPARE(s.areaMax, s.budget); // the budget chip itself is a candidate
        QVERIFY(std::abs(s.areaMin - 151.70) < 0.01);
        QVERIFY(std::find(s.candidates.begin(), s.candidates.end(), tpuv4()) != s.candidates.end());
    }

    void windowAndExceptionHold()
    {
        const ArchSpace s = enumerate(ArchSpaceSpec{});
        const double fixed = phazeChip().uncoreArea;
        const double lower = fixed + 0.3 * (s.budget - fixed);
        QCOMPARE(s.areaLowerBound, lower);
        int exempt = 0;
        for (std::size_t i = 0; i < s.count(); ++i) {
            const AcceleratorConfig &c = s.candidates[i];
            QCOMPARE(s.areas[i], chipArea(c, phazeChip()));
            QVERIFY(s.areas[i] <= s.budget * (1 + 1e-12));
            QCOMPARE(c.vcWidth, c.tcWidth); // tied
            if (c.numTc == 1 || c.numVc == 1)
                exempt += s.areas[i] < lower ? 1 : 0;
            else
                QVERIFY(s.areas[i] >= lower * (1 - 1e-12));
        }
        QVERIFY(exempt > 0); // the exception matters
        // Independent count over the whole cross product.
        std::size_t count = 0;
        AcceleratorConfig c = tpuv4();
        for (int tc = 1; tc <= 4096; tc *= 2)
            for (int w = 2; w <= 256; w *= 2)
                for (int d = 2; d <= 256; d *= 2)
                    for (int vc = 1; vc <= 4096; vc *= 2)
                        for (double glb = 2 << 20; glb <= 128 << 20; glb *= 2) {
                            c.numTc = tc;
                            c.tcWidth = c.vcWidth = w;
                            c.tcDepth = d;
                            c.numVc = vc;
                            c.glbBytes = glb;
                            const double a = chipArea(c, phazeChip());
                            const bool small = tc == 1 || vc == 1;
                            count += a <= s.budget * (1 + 1e-12) &&
                                     (small || a - fixed >= 0.3 * (s.budget - fixed) * (1 - 1e-12));
                        }
        QCOMPARE(s.count(), count);
    }

    void deterministicOrder()
    {
        const ArchSpace a = enumerate(ArchSpaceSpec{});
        const ArchSpace b = enumerate(ArchSpaceSpec{});
        QVERIFY(a.candidates == b.candidates);
        for (std::size_t i = 1; i < a.count(); ++i)
            QVERIFY(orderKey(a.candidates[i - 1]) < orderKey(a.candidates[i]));
    }

    void largestCandidatePreset()
    {
        const ArchSpace s = enumerate(ArchSpaceSpec{});
        const AcceleratorConfig *best = &s.candidates.front();
        auto better = [](const AcceleratorConfig &x, const AcceleratorConfig &y) {
            return std::make_tuple(x.peakFlops(), x.tcWidth * x.tcDepth, x.glbBytes,
                                   x.numVc * x.vcWidth) >
                   std::make_tuple(y.peakFlops(), y.tcWidth * y.tcDepth, y.glbBytes,
                                   y.numVc * y.vcWidth);
        };
        for (const AcceleratorConfig &c : s.candidates)
            if (better(c, *best))
                best = &c;
        const AcceleratorPreset *preset = findAcceleratorPreset("phaze-largest");
        QVERIFY(preset);
        QVERIFY(preset->config == *best);
        QCOMPARE(preset->config.peakFlops(), tpuv4().peakFlops());
    }

    void userRangesAndBudget()
    {
        ArchSpaceSpec spec;
        spec.numTc = ValueRange::list({1, 2, 4});
        spec.tcWidth = ValueRange::list({64, 128});
        spec.tcDepth = ValueRange::list({128});
        spec.numVc = ValueRange::list({2});
        spec.vcWidth = {64, 256};
        spec.glbSize = ValueRange::list({32.0 * (1 << 20)});
        spec.areaBudgetPreset.clear();
        spec.areaBudget = 1000.0;
        spec.areaMinFraction = 0.0;
        const ArchSpace s = enumerate(spec);
        QCOMPARE(s.crossProduct, std::size_t(3 * 2 * 1 * 1 * 2 * 1));
        QCOMPARE(s.count(), s.crossProduct); // a generous budget keeps everything
        QCOMPARE(s.budget, 1000.0);
        QCOMPARE(s.candidates[1].vcWidth, 256);

        spec.areaBudget = 200.0; // uncore 150 + small GLB: only the smaller chips fit
        const ArchSpace tight = enumerate(spec);
        QVERIFY(tight.count() < s.count());
        for (double a : tight.areas)
            QVERIFY(a <= 200.0);
    }

    void errors()
    {
        ArchSpaceSpec spec;
        spec.areaBudgetPreset = "tpuv9";
        Result<ArchSpace> r = enumerateArchSpace(spec, tpuv4(), phazeChip());
        QCOMPARE(r.status, Status::Error);
        QVERIFY(r.message.find("tpuv9") != std::string::npos);
        spec = ArchSpaceSpec{};
        spec.numTc = ValueRange::powersOfTwo(8, 4);
        r = enumerateArchSpace(spec, tpuv4(), phazeChip());
        QCOMPARE(r.status, Status::Error);
        spec = ArchSpaceSpec{};
        spec.areaBudgetPreset.clear();
        spec.areaBudget = 0;
        QCOMPARE(enumerateArchSpace(spec, tpuv4(), phazeChip()).status, Status::Error);
    }

    void technologyChangesTheSpace()
    {
        TechnologyTable t = phazeChip();
        t.uncoreArea = 0; // the budget shrinks with it, the window on the varied area does not
        const ArchSpace s = enumerate(ArchSpaceSpec{}, t);
        QCOMPARE(s.count(), enumerate(ArchSpaceSpec{}).count());
        t.glbAreaPerByte *= 4; // GLB dominates: the budget moves, so does the mix
        QVERIFY(enumerate(ArchSpaceSpec{}, t).count() != s.count());
    }
};

QTEST_APPLESS_MAIN(TestArchSpace)
#include "test_archspace.moc"
