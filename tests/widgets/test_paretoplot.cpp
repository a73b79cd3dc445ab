// The Explore plot: the drawn front is paretoFront() on every axis, baselines are drawn, a
// click selects the nearest point in the store, and PNG/PDF/SVG exports are written.

#include <QtTest>

#include <QComboBox>

#include <random>

#include <qcustomplot.h>

#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"
#include "core/search/pareto.h"
#include "tests/support/testseed.h"
#include "tests/support/testtiming.h"
#include "widgets/paretoplot.h"
#include "widgets/resultstore.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

namespace {

CodesignResult quickResult()
{
    const Result<ProjectSpec> load =
        loadProjectFile(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");
    auto result = runCodesign(*load.value, PHAZE_SOURCE_DIR "/examples", {});
    return std::move(*result.value);
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

    void exportsPngPdfSvg_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("png") << "plot.png";
        QTest::newRow("pdf") << "plot.pdf";
        QTest::newRow("svg") << "plot.svg";
    }

    void exportsPngPdfSvg()
    {
        QFETCH(QString, name);
        ResultStore store;
        ParetoPlot plot(&store);
        store.setResult(quickResult());
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        QCOMPARE(plot.exportPlot(path, 700, 450, 2.0), QString());
        QVERIFY(QFileInfo(path).size() > 1000);
        if (name.endsWith(u".png"_s)) {
            const QImage image(path);
            QCOMPARE(image.size(), QSize(1400, 900));
        }
        QVERIFY(!plot.exportPlot(dir.filePath(u"plot.xyz"_s), 700, 450).isEmpty());
    }
};

QTEST_MAIN(TestParetoPlot)
#include "test_paretoplot.moc"
