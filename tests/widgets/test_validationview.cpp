// The Validation tab: a file of published training runs predicted off the GUI thread and drawn
// as a parity plot, each point the run's measurement and the model's prediction exactly as
// `phaze validate` reports them, with the diagonal and the error band; a file that cannot be
// read is reported and the plot keeps what it showed; the figure exports.

#include <QtTest>

#include <QImage>
#include <QTemporaryDir>

#include <algorithm>

#include <qcustomplot.h>

#include "core/cost/costmodel.h"
#include "core/io/validationfile.h"
#include "core/io/validationreport.h"
#include "tests/support/testtiming.h"
#include "widgets/plotexport.h"
#include "widgets/validationview.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

const QString kSelene = QStringLiteral(PHAZE_SOURCE_DIR
                                       "/tests/data/validation/korthikanti2022-selene.yaml");

ValidationReport reference()
{
    const Result<ValidationSuite> suite = loadValidationFile(kSelene.toStdString());
    return validateSuites({*suite.value}, defaultTechnology());
}

} // namespace

class TestValidationView : public QObject
{
    Q_OBJECT

private slots:
    void parityPlotHoldsTheReportsNumbers()
    {
        ValidationView view;
        view.resize(900, 600);
        QSignalSpy changed(&view, &ValidationView::reportChanged);
        view.openFile(kSelene);
        QVERIFY(changed.wait(testsupport::scaledMs(60000)));
        QVERIFY(view.report());
        const ValidationReport expected = reference();
        QCOMPARE(view.report()->entries.size(), expected.entries.size());

        // Iteration time: one point per run, at (measured, predicted) in seconds.
        std::vector<QPointF> points;
        for (const ValidationEntry &e : expected.entries)
            if (e.quantity == ValidationQuantity::IterationTime)
                points.emplace_back(e.measured, e.predicted);
        QCOMPARE(points.size(), std::size_t(8));
        // The plot keeps its points sorted by the measured value.
        const auto byX = [](const QPointF &a, const QPointF &b) {
            return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
        };
        std::sort(points.begin(), points.end(), byX);
        std::vector<QPointF> drawn = view.drawnPoints();
        std::sort(drawn.begin(), drawn.end(), byX);
        QCOMPARE(drawn, points);
        QVERIFY2(view.statusText().startsWith(u"8 runs, mean |error| "_s),
                 qPrintable(view.statusText()));
        for (const ValidationSummary &s : expected.summary)
            if (s.quantity == ValidationQuantity::IterationTime)
                QVERIFY(view.statusText().contains(u"%1%"_s.arg(100 * s.meanAbsError, 0, 'f', 2)));
        // Log axes by default; linear ones start at the origin.
        QVERIFY(view.logAxes());
        QCOMPARE(view.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        view.setLogAxes(false);
        QCOMPARE(view.plot()->xAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(view.plot()->xAxis->range().lower, 0.0);
        // The diagonal and the ±10% band, through the origin, over every point.
        QCustomPlot *plot = view.plot();
        QCOMPARE(plot->graphCount(), 4);
        const double end = plot->graph(1)->data()->at(1)->key;
        for (const QPointF &p : points)
            QVERIFY(p.x() < end && p.y() < end);
        QCOMPARE(plot->graph(1)->data()->at(1)->value, end);
        QCOMPARE(plot->graph(2)->data()->at(1)->value, 1.1 * end);
        QCOMPARE(plot->graph(3)->data()->at(1)->value, 0.9 * end);
        view.setBand(0.05);
        QCOMPARE(view.plot()->graph(2)->data()->at(1)->value, 1.05 * end);

        // Activation memory in GiB.
        view.setQuantity(ValidationQuantity::MemoryActivations);
        const std::vector<QPointF> memory = view.drawnPoints();
        QVERIFY(!memory.empty());
        for (const ValidationEntry &e : expected.entries)
            if (e.quantity == ValidationQuantity::MemoryActivations) {
                const QPointF p(e.measured / (1u << 30), e.predicted / (1u << 30));
                QVERIFY(std::find(memory.begin(), memory.end(), p) != memory.end());
            }
        QVERIFY(plot->xAxis->label().contains(u"(GiB)"_s));

        // Exported like every figure.
        QTemporaryDir dir;
        const QString png = dir.filePath(u"validation.png"_s);
        QCOMPARE(exportCustomPlot(plot, png, 700, 500), QString());
        QCOMPARE(QImage(png).size(), QSize(700, 500));
    }

    void unreadableFileKeepsWhatWasShown()
    {
        ValidationView view;
        QSignalSpy changed(&view, &ValidationView::reportChanged);
        view.openFile(kSelene);
        QVERIFY(changed.wait(testsupport::scaledMs(60000)));
        const std::vector<QPointF> before = view.drawnPoints();
        QTemporaryDir dir;
        const QString bad = dir.filePath(u"bad.yaml"_s);
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("format: phaze-validation/1\nruns: [\n");
        f.close();
        view.openFile(bad);
        QVERIFY(changed.wait(testsupport::scaledMs(60000)));
        QVERIFY2(view.statusText().contains(u"bad.yaml"_s), qPrintable(view.statusText()));
        QVERIFY(view.statusText().contains(u"Still shown"_s));
        QCOMPARE(view.drawnPoints(), before);
    }
};

QTEST_MAIN(TestValidationView)
#include "test_validationview.moc"
