// The chip breakdown bars: one stacked bar per chip whose segments are the components of
// core/arch's area and power breakdowns (PHAZE's chip without its zero per-core terms), and an
// export that carries them.

#include <QtTest>

#include <QComboBox>
#include <QImage>
#include <QTemporaryDir>

#include <qcustomplot.h>

#include "core/arch/technology.h"
#include "widgets/breakdownplot.h"
#include "widgets/plotexport.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

ChipBreakdown chipOf(const char *preset, ModelProfile profile)
{
    const TechnologyTable tech = technologyForProfile(defaultTechnology(), profile);
    const AcceleratorConfig &c = findAcceleratorPreset(preset)->config;
    const AreaBreakdown area = areaBreakdown(c, tech);
    return {QString::fromUtf8(preset), area, peakPowerBreakdown(c, tech, area.total())};
}

} // namespace

class TestBreakdownPlot : public QObject
{
    Q_OBJECT

private slots:
    void barsStackTheBreakdowns()
    {
        BreakdownPlot plot;
        plot.resize(800, 500);
        const std::vector<ChipBreakdown> chips = {chipOf("tpuv4", ModelProfile::System),
                                                  chipOf("a100-sxm4-80gb", ModelProfile::System),
                                                  chipOf("tpuv4", ModelProfile::Phaze)};
        plot.setChips(chips);
        // Every area component is non-zero in some chip: all nine are drawn, in order.
        QCOMPARE(plot.componentLabels(),
                 QStringList({u"TC MACs"_s, u"TC registers"_s, u"TC scratchpads"_s,
                              u"VC lanes"_s, u"VC registers"_s, u"GLB"_s, u"uncore"_s,
                              u"core control"_s, u"NoC routers"_s}));
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(plot.drawnTotal(i) - chips[std::size_t(i)].area.total()) < 1e-9);
        // The PHAZE chip is the system's less its per-core terms.
        QVERIFY(std::abs(plot.drawnTotal(0) - plot.drawnTotal(2) -
                         chips[0].area.perCoreOverhead()) < 1e-9);
        QCOMPARE(plot.plot()->xAxis->range().upper, 3.6);
        QVERIFY(plot.plot()->yAxis->range().upper >= chips[1].area.total());

        // Power, from the combo box as a user picks it.
        auto *combo = plot.findChild<QComboBox *>(u"breakdownQuantity"_s);
        QVERIFY(combo);
        combo->setCurrentIndex(combo->findData(int(BreakdownPlot::Quantity::Power)));
        QCOMPARE(plot.quantity(), BreakdownPlot::Quantity::Power);
        QCOMPARE(plot.componentLabels(),
                 QStringList({u"static"_s, u"tensor cores"_s, u"vector cores"_s, u"HBM"_s,
                              u"links"_s}));
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(plot.drawnTotal(i) - chips[std::size_t(i)].power.total()) < 1e-9);

        // PHAZE's chips alone: no per-core segments, no static power.
        plot.setChips({chips[2]});
        QVERIFY(!plot.componentLabels().contains(u"static"_s));
        plot.setQuantity(BreakdownPlot::Quantity::Area);
        QVERIFY(!plot.componentLabels().contains(u"NoC routers"_s));
        QCOMPARE(plot.componentLabels().size(), 7);
        // Long chip names are broken into lines.
        plot.setChips({{u"decoupled (architecture first)"_s, chips[2].area, chips[2].power}});
        const auto ticker =
            plot.plot()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(1.0), u"decoupled\n(architecture\nfirst)"_s);

        plot.setChips({});
        QCOMPARE(plot.drawnTotal(0), 0.0);
        QVERIFY(!plot.plot()->legend->visible());
    }

    void exportCarriesTheSegments()
    {
        BreakdownPlot plot;
        plot.resize(800, 500);
        plot.setChips({chipOf("tpuv4", ModelProfile::System),
                       chipOf("h100-sxm5-80gb", ModelProfile::System)});
        QTemporaryDir dir;
        const QString path = dir.filePath(u"breakdown.png"_s);
        QCOMPARE(exportCustomPlot(plot.plot(), path, 700, 450), QString());
        QImage image(path);
        QCOMPARE(image.size(), QSize(700, 450));
        // The global buffer's colour (the sixth segment, Okabe-Ito vermillion) is in the figure.
        bool found = false;
        for (int y = 0; y < image.height() && !found; ++y)
            for (int x = 0; x < image.width() && !found; ++x)
                found = image.pixelColor(x, y) == QColor(213, 94, 0);
        QVERIFY(found);
    }
};

QTEST_MAIN(TestBreakdownPlot)
#include "test_breakdownplot.moc"
