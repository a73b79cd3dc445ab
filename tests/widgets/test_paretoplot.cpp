// The Explore plot: the drawn front is paretoFront() on every axis, baselines are drawn, a
// click selects the nearest point in the store, and PNG/PDF/SVG exports are written. Colouring
// by a parameter puts every point in the graph of its value, log axes leave out what they cannot
// draw (and it cannot be clicked), Reset zoom shows every drawn point. The exported files'
// sizes, formats and legends are test_paretoexport's.

#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>

#include <map>
#include <random>
#include <set>
#include <tuple>

#include <qcustomplot.h>

#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"
#include "core/search/pareto.h"
#include "tests/support/quicksearch.h"
#include "tests/support/testseed.h"
#include "tests/support/testtiming.h"
#include "widgets/paretoplot.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::quickResult;
using testsupport::scaledMs;

namespace {

// The quick search's evaluations replaced by one per (numTc, area, throughput).
CodesignResult syntheticResult(const std::vector<std::tuple<int, double, double>> &points)
{
    CodesignResult result = quickResult();
    const Evaluation model = result.search.evaluations.front();
    result.search.evaluations.clear();
    for (const auto &[numTc, area, throughput] : points) {
        Evaluation e = model;
        e.candidate = result.search.evaluations.size();
        e.status = Status::Optimal;
        e.config.numTc = numTc;
        e.areaMm2 = area;
        e.throughput = throughput;
        result.search.evaluations.push_back(e);
    }
    result.search.best = 0;
    return result;
}

// The graphs of the colour legend, in its order.
std::vector<QCPGraph *> legendGraphs(QCPLegend *legend)
{
    std::vector<QCPGraph *> graphs;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i)))
            graphs.push_back(qobject_cast<QCPGraph *>(item->plottable()));
    return graphs;
}

bool graphHas(QCPGraph *g, double x, double y)
{
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
        if (it->key == x && it->value == y)
            return true;
    return false;
}

// The parameter's value of an evaluation, as the test sees it (sorted like the legend).
std::pair<double, double> valueOf(const Evaluation &e, ColourBy by)
{
    const ModelOutcome &m = e.models.front();
    switch (by) {
    case ColourBy::TcCount:
        return {e.config.numTc, 0};
    case ColourBy::TcArray:
        return {double(e.config.tcWidth) * e.config.tcDepth, e.config.tcWidth};
    case ColourBy::VcCount:
        return {e.config.numVc, 0};
    case ColourBy::GlbSize:
        return {e.config.glbBytes, 0};
    case ColourBy::HbmSize:
        return {e.config.hbmBytes, 0};
    case ColourBy::TensorParallel:
        return {m.tensorParallel, 0};
    case ColourBy::PipelineStages:
        return {m.pipelineStages, 0};
    case ColourBy::DataParallel:
        return {m.dataParallel, 0};
    case ColourBy::None:
        break;
    }
    return {0, 0};
}

// Whether every drawn point, baseline and the current architecture lies inside the axes.
bool everythingInView(QCustomPlot *plot)
{
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph *g = plot->graph(i);
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            if (!plot->xAxis->range().contains(it->key) ||
                !plot->yAxis->range().contains(it->value))
                return false;
    }
    return true;
}

} // namespace

class TestParetoPlot : public QObject
{
    Q_OBJECT

private slots:
    void frontMatchesParetoFront_data()
    {
        QTest::addColumn<int>("axis");
        QTest::newRow("area") << int(ParetoAxis::Area);
        QTest::newRow("hbm") << int(ParetoAxis::HbmSize);
        QTest::newRow("energy") << int(ParetoAxis::EnergyPerSample);
        QTest::newRow("power") << int(ParetoAxis::PeakPower);
    }

    void frontMatchesParetoFront()
    {
        QFETCH(int, axis);
        ResultStore store;
        ParetoPlot plot(&store);
        store.setResult(quickResult());
        plot.setAxis(ParetoAxis(axis));
        QCOMPARE(plot.frontRows(), paretoFront(store.evaluations(), ParetoAxis(axis)));
        QVERIFY(!plot.frontRows().empty());
        std::size_t feasible = 0;
        for (const Evaluation &e : store.evaluations())
            feasible += e.feasible();
        QCOMPARE(plot.pointRows().size(), feasible);
        QVERIFY(plot.baselineCount() >= 2); // tpuv4 + DP and decoupled have throughputs
        auto *combo = plot.findChild<QComboBox *>(u"paretoAxis"_s);
        QCOMPARE(combo->currentData().toInt(), axis);
    }

    // A baseline known by its time alone (the fixed strategy) is drawn at its chip: its area,
    // HBM size or power; it has no energy per sample, so that plot leaves it out.
    void aChipOnlyBaselineIsDrawnAtItsChip()
    {
        CodesignResult result = quickResult();
        Candidate chip;
        chip.config.hbmBytes = 64.0 * 1024 * 1024 * 1024;
        chip.areaMm2 = 321.0;
        chip.peakPowerW = 234.0;
        result.baselines.push_back({"fixed layout", std::nullopt, 1500.0, {}, chip});
        ResultStore store;
        ParetoPlot plot(&store);
        store.setResult(result);
        const auto pointOf = [&plot]() -> std::optional<QPointF> {
            for (int g = 0; g < plot.plot()->graphCount(); ++g) {
                QCPGraph *graph = plot.plot()->graph(g);
                if (graph->name() == u"fixed layout"_s && graph->dataCount() == 1)
                    return QPointF(graph->data()->begin()->key, graph->data()->begin()->value);
            }
            return std::nullopt;
        };
        const std::pair<ParetoAxis, double> expected[] = {
            {ParetoAxis::Area, 321.0}, {ParetoAxis::HbmSize, 64.0}, {ParetoAxis::PeakPower, 234.0}};
        for (const auto &[axis, x] : expected) {
            plot.setAxis(axis);
            const std::optional<QPointF> p = pointOf();
            QVERIFY(p);
            QCOMPARE(p->x(), x);
            QCOMPARE(p->y(), 1500.0);
        }
        plot.setAxis(ParetoAxis::EnergyPerSample);
        QVERIFY(!pointOf());
        QVERIFY(plot.findChild<QLabel *>(u"paretoLogNote"_s) == nullptr ||
                !plot.findChild<QLabel *>(u"paretoLogNote"_s)->text().contains(u"baseline"_s));
    }

    void streamedPointsAreCoalesced()
    {
        const CodesignResult result = quickResult();
        ResultStore store;
        ParetoPlot plot(&store);
        for (const Evaluation &e : result.search.evaluations)
            store.addEvaluation(e);
        QTRY_COMPARE_WITH_TIMEOUT(
            plot.frontRows(), paretoFront(store.evaluations(), ParetoAxis::Area), scaledMs(5000));
    }

    void clickSelectsTheNearestPoint()
    {
        ResultStore store;
        ParetoPlot plot(&store);
        plot.resize(800, 600);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot, scaledMs(5000)));
        store.setResult(quickResult());
        const std::size_t row = plot.frontRows().back();
        const QPoint pixel = plot.pixelOf(row).toPoint();
        auto *surface = plot.findChild<QWidget *>(u"paretoCustomPlot"_s);
        QVERIFY(surface);
        QTest::mouseClick(surface, Qt::LeftButton, {}, pixel);
        // Another configuration may be drawn on the same spot (same area and throughput).
        QVERIFY(store.selectedRow() >= 0);
        const QPointF drawn = plot.pixelOf(std::size_t(store.selectedRow()));
        QVERIFY((drawn - plot.pixelOf(row)).manhattanLength() < 1.0);
        // A click far from every point keeps the selection.
        QTest::mouseClick(surface, Qt::LeftButton, {}, QPoint(2, 2));
        QVERIFY(store.selectedRow() >= 0);
    }

    // Colouring by a parameter: one legend entry per distinct value, in value order, and every
    // drawn point in the graph of its value (nowhere else); "none" is one graph again.
    void colourByPutsEveryPointInTheGraphOfItsValue_data()
    {
        QTest::addColumn<int>("by");
        for (ColourBy by : allColourBy())
            if (by != ColourBy::None)
                QTest::newRow(qPrintable(colourByKey(by))) << int(by);
    }

    void colourByPutsEveryPointInTheGraphOfItsValue()
    {
        QFETCH(int, by);
        const ColourBy colourBy = ColourBy(by);
        ResultStore store;
        ParetoPlot plot(&store);
        store.setResult(quickResult());
        auto *combo = plot.findChild<QComboBox *>(u"paretoColourBy"_s);
        QVERIFY(combo);
        combo->setCurrentIndex(combo->findData(by)); // as a user picks it
        QCOMPARE(plot.colourBy(), colourBy);

        const std::vector<Evaluation> &all = store.evaluations();
        std::map<std::pair<double, double>, std::vector<std::size_t>> expected;
        for (std::size_t row : plot.pointRows())
            expected[valueOf(all[row], colourBy)].push_back(row);
        const std::vector<QCPGraph *> graphs = legendGraphs(plot.colourLegend());
        QCOMPARE(graphs.size(), expected.size());
        QVERIFY(plot.colourLegend()->visible());
        std::size_t drawn = 0;
        std::set<QRgb> colours;
        std::size_t group = 0;
        for (const auto &[value, rows] : expected) {
            QCPGraph *g = graphs[group++];
            QCOMPARE(std::size_t(g->data()->size()), rows.size());
            for (std::size_t row : rows)
                QVERIFY2(graphHas(g, all[row].areaMm2, all[row].throughput), qPrintable(g->name()));
            drawn += rows.size();
            colours.insert(g->scatterStyle().brush().color().rgb());
        }
        QCOMPARE(drawn, plot.pointRows().size());
        QCOMPARE(colours.size(), expected.size()); // one colour per value
        // The main legend keeps the front and the baselines, without "Configurations".
        for (int i = 0; i < plot.plot()->legend->itemCount(); ++i)
            if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot.plot()->legend->item(i)))
                QVERIFY(item->plottable()->name() != u"Configurations"_s);

        if (colourBy == ColourBy::TcCount) {
            QStringList names;
            for (QCPGraph *g : graphs)
                names << g->name();
            QStringList want;
            for (const auto &entry : expected)
                want << u"TC count %1"_s.arg(int(entry.first.first));
            QCOMPARE(names, want);
            // The quick search's feasible designs have 4 or 8 tensor cores (2 are too small).
            QCOMPARE(names, (QStringList{u"TC count 4"_s, u"TC count 8"_s}));
        }
        if (colourBy == ColourBy::GlbSize) {
            QStringList names;
            for (QCPGraph *g : graphs)
                names << g->name();
            QCOMPARE(names, (QStringList{u"GLB 32 MiB"_s, u"GLB 128 MiB"_s}));
        }

        plot.setColourBy(ColourBy::None);
        QCOMPARE(combo->currentData().toInt(), int(ColourBy::None));
        QVERIFY(!plot.colourLegend()->visible());
        QCOMPARE(plot.colourLegend()->itemCount(), 0);
        QCOMPARE(plot.plot()->graph(0)->name(), u"Configurations"_s);
        QCOMPARE(std::size_t(plot.plot()->graph(0)->data()->size()), plot.pointRows().size());
    }

    // Up to eight values get the qualitative palette and a legend entry each; more get the
    // ramp, in numeric value order ("TC count 10" after "TC count 9"), and a colour bar whose
    // ticks are the values and whose colour at each tick is that value's points'.
    void manyValuesGetARampInValueOrder()
    {
        std::vector<std::tuple<int, double, double>> points;
        for (int tc = 1; tc <= 12; ++tc)
            points.emplace_back(tc, 100.0 + 10 * tc, 1000.0 + 50 * tc);
        ResultStore store;
        ParetoPlot plot(&store);
        store.setResult(syntheticResult(points));
        plot.setColourBy(ColourBy::TcCount);
        QCOMPARE(plot.colourLegend()->itemCount(), 0);
        QVERIFY(!plot.colourLegend()->visible());
        QCPColorScale *scale = plot.colourScale();
        QVERIFY(scale->visible());
        QCOMPARE(scale->axis()->label(), u"TC count"_s);
        const std::vector<QCPGraph *> &graphs = plot.groupGraphs();
        QCOMPARE(graphs.size(), std::size_t(12));
        std::set<QRgb> colours;
        for (std::size_t i = 0; i < graphs.size(); ++i) {
            QCOMPARE(graphs[i]->name(), u"TC count %1"_s.arg(i + 1));
            QCOMPARE(graphs[i]->data()->size(), 1);
            QCOMPARE(graphs[i]->data()->constBegin()->key, 100.0 + 10 * double(i + 1));
            const QColor drawn = graphs[i]->scatterStyle().brush().color();
            const QColor bar(scale->gradient().color(double(i), scale->dataRange()));
            QVERIFY2(std::abs(drawn.red() - bar.red()) <= 3 &&
                         std::abs(drawn.green() - bar.green()) <= 3 &&
                         std::abs(drawn.blue() - bar.blue()) <= 3,
                     qPrintable(u"%1: %2 vs %3"_s.arg(i).arg(drawn.name(), bar.name())));
            colours.insert(drawn.rgb());
        }
        QCOMPARE(colours.size(), std::size_t(12));
        for (int i = 0; i < kQualitativeColours; ++i) // the ramp is not the palette
            QVERIFY(groupColour(i, 12).rgb() != groupColour(i, kQualitativeColours).rgb());
        auto *ticker = dynamic_cast<QCPAxisTickerText *>(scale->axis()->ticker().data());
        QVERIFY(ticker);
        QVERIFY(ticker->ticks().size() >= 4);
        QCOMPARE(ticker->ticks().firstKey(), 0.0);
        for (auto it = ticker->ticks().constBegin(); it != ticker->ticks().constEnd(); ++it)
            QCOMPARE(it.value(), QString::number(int(it.key()) + 1));

        // A one-column export keeps the bar inside the figure and gives the layout back.
        QTemporaryDir dir;
        QCOMPARE(plot.exportPlot(dir.filePath(u"ramp.png"_s), 336, 250, 1.0), QString());
        {
            const NarrowExport narrow(plot.plot(), 336);
            plot.plot()->toPixmap(336, 250);
            QVERIFY(scale->outerRect().right() <= 336);
            QVERIFY(scale->outerRect().bottom() <= 250);
            QVERIFY(scale->axis()->tickLabelFont().pointSizeF() <
                    plot.plot()->legend->font().pointSizeF() + 0.01);
        }
        QCOMPARE(scale->axis()->tickLabelFont(), plot.plot()->legend->font());

        // A few values again: their legend is back, the bar gone.
        store.setResult(quickResult());
        QVERIFY(!scale->visible());
        QVERIFY(plot.colourLegend()->visible());
        QCOMPARE(std::size_t(plot.colourLegend()->itemCount()) >= plot.groupGraphs().size(), true);
    }

    // A log axis: its scale and ticker are logarithmic, points with a value <= 0 are in no graph
    // and not in pointRows (so no click selects them), and the note says how many were left out.
    void logAxesLeaveOutWhatTheyCannotDraw()
    {
        ResultStore store;
        ParetoPlot plot(&store);
        plot.resize(800, 600);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot, scaledMs(5000)));
        store.setResult(syntheticResult({{2, 0.0, 1500.0},
                                         {2, -5.0, 1800.0},
                                         {4, 150.0, 2000.0},
                                         {4, 200.0, 2600.0},
                                         {8, 300.0, 3300.0},
                                         {8, 380.0, 0.0}}));
        QCOMPARE(plot.pointRows().size(), std::size_t(6));
        auto *logX = plot.findChild<QCheckBox *>(u"paretoLogX"_s);
        QVERIFY(logX);
        logX->setChecked(true);
        QVERIFY(plot.logX());
        QCPAxis *x = plot.plot()->xAxis;
        QCOMPARE(x->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(dynamic_cast<QCPAxisTickerLog *>(x->ticker().data()));
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(plot.pointRows(), (std::vector<std::size_t>{2, 3, 4, 5}));
        QCOMPARE(plot.undrawnCount(), std::size_t(2));
        for (int i = 0; i < plot.plot()->graphCount(); ++i) {
            QCPGraph *g = plot.plot()->graph(i);
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                QVERIFY2(it->key > 0, qPrintable(g->name()));
        }
        for (std::size_t row : plot.frontRows())
            QVERIFY(store.evaluations()[row].areaMm2 > 0);
        auto *note = plot.findChild<QLabel *>(u"paretoLogNote"_s);
        QVERIFY(note && note->isVisible());
        QVERIFY2(note->text().startsWith(u"2 configurations not drawn"_s),
                 qPrintable(note->text()));
        QVERIFY(everythingInView(plot.plot()));

        // Clicks on every drawn point select drawn points only; the left-out rows never.
        auto *surface = plot.findChild<QWidget *>(u"paretoCustomPlot"_s);
        for (std::size_t row : plot.pointRows()) {
            QTest::mouseClick(surface, Qt::LeftButton, {}, plot.pixelOf(row).toPoint());
            QCOMPARE(store.selectedRow(), int(row));
        }
        for (int px = 0; px < surface->width(); px += 10) // along the left and bottom edges too
            for (int py : {2, surface->height() / 2, surface->height() - 3}) {
                QTest::mouseClick(surface, Qt::LeftButton, {}, QPoint(px, py));
                QVERIFY(store.selectedRow() >= 2);
            }

        // Log y as well: the zero throughput goes too.
        plot.setLogY(true);
        QVERIFY(plot.findChild<QCheckBox *>(u"paretoLogY"_s)->isChecked());
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(plot.pointRows(), (std::vector<std::size_t>{2, 3, 4}));
        QCOMPARE(plot.undrawnCount(), std::size_t(3));
        QVERIFY(everythingInView(plot.plot()));
        // With colouring: three graphs at most, none holding a left-out point.
        plot.setColourBy(ColourBy::TcCount);
        std::size_t drawn = 0;
        for (QCPGraph *g : legendGraphs(plot.colourLegend()))
            drawn += std::size_t(g->data()->size());
        QCOMPARE(drawn, std::size_t(3));
        QCOMPARE(legendGraphs(plot.colourLegend()).front()->name(), u"TC count 4"_s);

        // Back to linear: everything is drawn again and the note goes.
        plot.setLogX(false);
        plot.setLogY(false);
        QCOMPARE(x->scaleType(), QCPAxis::stLinear);
        QCOMPARE(plot.pointRows().size(), std::size_t(6));
        QCOMPARE(plot.undrawnCount(), std::size_t(0));
        QVERIFY(!note->isVisible());
    }

    // Reset zoom (the button, or a double-click) shows every drawn point again after a zoom, on
    // linear and on log axes.
    void resetZoomShowsEveryDrawnPoint()
    {
        ResultStore store;
        ParetoPlot plot(&store);
        plot.resize(800, 600);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot, scaledMs(5000)));
        store.setResult(quickResult());
        QCustomPlot *surface = plot.plot();
        QVERIFY(everythingInView(surface));
        auto *button = plot.findChild<QPushButton *>(u"paretoResetZoom"_s);
        QVERIFY(button);
        const auto zoomIn = [&] {
            const std::size_t row = plot.frontRows().front();
            const double x = store.evaluations()[row].areaMm2;
            const double y = store.evaluations()[row].throughput;
            surface->xAxis->setRange(x * 0.99, x * 1.01);
            surface->yAxis->setRange(y * 0.99, y * 1.01);
            surface->replot();
            QVERIFY(!everythingInView(surface));
        };
        for (bool log : {false, true}) {
            plot.setLogX(log);
            plot.setLogY(log);
            zoomIn();
            button->click();
            QVERIFY(everythingInView(surface));
            zoomIn();
            QTest::mouseDClick(surface, Qt::LeftButton, {}, QPoint(40, 40));
            QVERIFY(everythingInView(surface));
            // Not much more than the points: the range is the data's with a margin.
            double hi = 0;
            for (std::size_t row : plot.pointRows())
                hi = std::max(hi, store.evaluations()[row].throughput);
            QVERIFY(surface->yAxis->range().upper < hi * 1.5);
        }
    }

    // With the points coloured (several graphs) and a log x axis, a click on a point selects
    // that point's row; on the quick search, where designs share a spot (two HBM sizes of one
    // chip), a point drawn on the clicked spot.
    void clickSelectsThePointWhenColoured()
    {
        ResultStore store;
        ParetoPlot plot(&store);
        plot.resize(800, 600);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot, scaledMs(5000)));
        std::vector<std::tuple<int, double, double>> points;
        for (int i = 0; i < 9; ++i)
            points.emplace_back(2 << (i % 3), 100.0 * std::pow(1.25, i),
                                1000.0 + 300 * ((i * 5) % 9));
        store.setResult(syntheticResult(points));
        plot.setColourBy(ColourBy::TcCount);
        plot.setLogX(true);
        QCOMPARE(legendGraphs(plot.colourLegend()).size(), std::size_t(3));
        auto *surface = plot.findChild<QWidget *>(u"paretoCustomPlot"_s);
        QCOMPARE(plot.pointRows().size(), std::size_t(9));
        for (std::size_t row : plot.pointRows()) {
            QTest::mouseClick(surface, Qt::LeftButton, {},
                              (plot.pixelOf(row) + QPointF(2, 1)).toPoint());
            QCOMPARE(store.selectedRow(), int(row));
        }
        // The hover text names the point's value of the colouring parameter.
        for (std::size_t row : plot.pointRows()) {
            const QString tip = plot.tooltipFor(row);
            QVERIFY2(tip.endsWith(u"Coloured by TC count: %1"_s.arg(
                         store.evaluations()[row].config.numTc)),
                     qPrintable(tip));
        }

        store.setResult(quickResult());
        plot.setColourBy(ColourBy::TcArray);
        QVERIFY(legendGraphs(plot.colourLegend()).size() > 1);
        for (std::size_t row : plot.pointRows()) {
            QTest::mouseClick(surface, Qt::LeftButton, {}, plot.pixelOf(row).toPoint());
            QVERIFY(store.selectedRow() >= 0);
            const QPointF drawn = plot.pixelOf(std::size_t(store.selectedRow()));
            QVERIFY((drawn - plot.pixelOf(row)).manhattanLength() < 1.5);
        }
    }

    // Exports carry the colours and the colour legend; a one-column export fits the legend in
    // the figure's width and gives the on-screen layout back afterwards.
    void exportsCarryTheColours()
    {
        ResultStore store;
        ParetoPlot plot(&store);
        store.setResult(quickResult());
        plot.setColourBy(ColourBy::TcCount);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"coloured.png"_s);
        QCOMPARE(plot.exportPlot(path, 700, 450, 1.0), QString());
        const QImage image = QImage(path).convertToFormat(QImage::Format_RGB32);
        for (QCPGraph *g : legendGraphs(plot.colourLegend())) {
            // The fill over white, as in the legend's icon.
            const QColor fill = g->scatterStyle().brush().color();
            const double a = fill.alphaF();
            const QColor want(int(fill.red() * a + 255 * (1 - a)),
                              int(fill.green() * a + 255 * (1 - a)),
                              int(fill.blue() * a + 255 * (1 - a)));
            int found = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    found += std::abs(c.red() - want.red()) <= 4 &&
                             std::abs(c.green() - want.green()) <= 4 &&
                             std::abs(c.blue() - want.blue()) <= 4;
                }
            QVERIFY2(found >= 4, qPrintable(g->name()));
        }
        QCPLegend *legend = plot.colourLegend();
        const int wrap = legend->wrap();
        {
            const NarrowExport narrow(plot.plot(), 336);
            plot.plot()->toPixmap(336, 250);
            QVERIFY(legend->wrap() <= wrap);
            for (int i = 0; i < legend->itemCount(); ++i) // cells, some may be empty
                if (QCPAbstractLegendItem *item = legend->item(i))
                    QVERIFY2(item->outerRect().right() <= 336,
                             qPrintable(QString::number(item->outerRect().right())));
        }
        QCOMPARE(legend->wrap(), wrap);
    }

    // Every configuration is drawn: the pixel under each point is not the background. (The
    // scatter was once told its data were sorted by x when they were not, and drew a fraction.)
    void everyPointIsDrawn()
    {
        ResultStore store;
        ParetoPlot plot(&store);
        plot.resize(900, 650);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot, scaledMs(5000)));
        // 3,000 configurations in no particular order of area (as a search streams them).
        CodesignResult result = quickResult();
        const Evaluation model = result.search.evaluations.front();
        result.search.evaluations.clear();
        std::mt19937_64 random(testsupport::testSeed("scatter points", 20261201));
        std::uniform_real_distribution<double> area(150.0, 380.0), rate(1000.0, 8000.0);
        for (std::size_t i = 0; i < 3000; ++i) {
            Evaluation e = model;
            e.candidate = i;
            e.status = Status::Optimal;
            e.areaMm2 = area(random);
            e.throughput = rate(random);
            result.search.evaluations.push_back(e);
        }
        store.setResult(std::move(result));
        QCustomPlot *surface = plot.plot();
        QCPGraph *points = surface->graph(0);
        QCOMPARE(std::size_t(points->data()->size()), plot.pointRows().size());
        QVERIFY(!points->adaptiveSampling());
        // Only the configurations, drawn alone, so that no other symbol hides a missing one.
        for (int i = 1; i < surface->graphCount(); ++i)
            surface->graph(i)->setVisible(false);
        surface->legend->setVisible(false);
        const QImage image = surface->toPixmap(surface->width(), surface->height()).toImage();
        const QColor background = image.pixelColor(2, 2);
        std::size_t missing = 0;
        for (std::size_t row : plot.pointRows()) {
            const QPoint at = plot.pixelOf(row).toPoint();
            if (image.pixelColor(at) == background)
                ++missing;
        }
        QCOMPARE(missing, std::size_t(0));
        QCOMPARE(plot.pointRows().size(), std::size_t(3000));
    }

};

QTEST_MAIN(TestParetoPlot)
#include "test_paretoplot.moc"
