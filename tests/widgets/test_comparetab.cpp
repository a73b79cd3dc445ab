// The Compare tab: the focused configuration against the run's baselines. The table holds the
// evaluations' and baselines' own numbers and the throughput ratios; the bars are the same
// numbers relative to the focused configuration; a baseline without a placement shows why; a
// new focus rebuilds everything; the table exports to CSV and the chart to PNG, PDF and SVG.

#include <QtTest>

#include <qcustomplot.h>

#include <QTableWidget>
#include <QTemporaryDir>

#include <cmath>

#include "core/io/projectsearch.h"
#include "widgets/comparetab.h"
#include "widgets/exportdialog.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

CodesignResult whatIfOf(const Session &session)
{
    CodesignOptions options;
    options.architecture = session.project().architecture->config;
    Result<CodesignResult> r = runCodesign(session.project(), session.baseDir(), options);
    if (!r.hasValue())
        qFatal("what-if run failed: %s", r.message.c_str());
    return std::move(*r.value);
}

double cell(const CompareTab &tab, int row, int column)
{
    const QVariant v = tab.table()->item(row, column)->data(Qt::UserRole);
    return v.isValid() ? v.toDouble() : std::nan("");
}

Evaluation fakeEvaluation(std::size_t candidate, double throughput, int models)
{
    Evaluation e;
    e.candidate = candidate;
    e.config.numTc = 4;
    e.areaMm2 = 300.0 + double(candidate);
    e.status = Status::Optimal;
    e.throughput = throughput;
    e.energyPerSample = 0.5;
    for (int m = 0; m < models; ++m) {
        ModelOutcome o;
        o.model = "model " + std::to_string(m);
        o.status = Status::Optimal;
        o.throughput = throughput * (m + 1);
        e.models.push_back(o);
    }
    return e;
}

} // namespace

class TestCompareTab : public QObject
{
    Q_OBJECT

private slots:
    void tableAndBarsHoldTheRunsNumbers()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        CompareTab tab(&session);
        tab.resize(1000, 650);
        tab.show();
        QCOMPARE(tab.table()->rowCount(), 0);
        QVERIFY(tab.summaryText().contains(u"Select"_s));

        CodesignResult run = whatIfOf(session);
        // A baseline that did not fit, as an infeasible run reports it.
        run.baselines.push_back({"tiny chip", std::nullopt, std::nullopt, "stage 1 needs 90 GiB", std::nullopt});
        session.results()->setWhatIf(run);
        const Evaluation &focus = *session.results()->focused();
        const std::vector<Baseline> &baselines = session.results()->comparisonBaselines();
        QVERIFY(baselines.size() >= 3);
        QCOMPARE(tab.table()->rowCount(), int(baselines.size()) + 1);
        QCOMPARE(tab.table()->item(0, CompareTab::ConfigurationColumn)->text(),
                 u"Current architecture"_s);
        QCOMPARE(cell(tab, 0, CompareTab::ThroughputColumn), focus.throughput);
        QCOMPARE(cell(tab, 0, CompareTab::AreaColumn), focus.areaMm2);
        QCOMPARE(cell(tab, 0, CompareTab::HbmColumn), focus.config.hbmBytes / kGiB);
        QCOMPARE(cell(tab, 0, CompareTab::EnergyColumn), focus.energyPerSample);
        QCOMPARE(cell(tab, 0, CompareTab::ThroughputRatioColumn), 1.0);
        QCOMPARE(tab.comparePlot()->groupLabels(),
                 QStringList({u"Throughput"_s, u"Energy per sample"_s, u"Chip area"_s}));
        int chipOnly = 0;
        for (int i = 0; i < int(baselines.size()); ++i) {
            const Baseline &b = baselines[std::size_t(i)];
            const int row = i + 1;
            QCOMPARE(tab.table()->item(row, CompareTab::ConfigurationColumn)->text(),
                     QString::fromStdString(b.name));
            const int note = tab.table()->columnCount() - 1;
            if (!b.throughput) {
                QVERIFY(std::isnan(cell(tab, row, CompareTab::ThroughputColumn)));
                QVERIFY(std::isnan(cell(tab, row, CompareTab::ThroughputRatioColumn)));
                QCOMPARE(tab.table()->item(row, note)->text(), QString::fromStdString(b.message));
                QVERIFY(std::isnan(tab.comparePlot()->drawnValue(row, 0)));
                QVERIFY(tab.summaryText().contains(QString::fromStdString(b.name) +
                                                   u" has no placement"_s));
                continue;
            }
            QCOMPARE(cell(tab, row, CompareTab::ThroughputColumn), *b.throughput);
            QCOMPARE(cell(tab, row, CompareTab::ThroughputRatioColumn), *b.throughput / focus.throughput);
            // The table and the bars use one convention.
            QCOMPARE(cell(tab, row, CompareTab::ThroughputRatioColumn),
                     tab.comparePlot()->drawnValue(row, 0));
            QCOMPARE(tab.comparePlot()->drawnValue(row, 0), *b.throughput / focus.throughput);
            if (b.evaluation) {
                QCOMPARE(cell(tab, row, CompareTab::AreaColumn), b.evaluation->areaMm2);
                QCOMPARE(cell(tab, row, CompareTab::EnergyColumn), b.evaluation->energyPerSample);
                QCOMPARE(tab.comparePlot()->drawnValue(row, 1),
                         b.evaluation->energyPerSample / focus.energyPerSample);
                QCOMPARE(tab.comparePlot()->drawnValue(row, 2),
                         b.evaluation->areaMm2 / focus.areaMm2);
            } else {
                // Known by its time alone (the fixed strategy), on a chip the table names.
                QVERIFY2(b.chip, b.name.c_str());
                ++chipOnly;
                QCOMPARE(tab.table()->item(row, CompareTab::ArchitectureColumn)->text(),
                         CompareTab::architectureSummary(b.chip->config));
                QCOMPARE(cell(tab, row, CompareTab::AreaColumn), b.chip->areaMm2);
                QCOMPARE(cell(tab, row, CompareTab::HbmColumn), b.chip->config.hbmBytes / kGiB);
                QVERIFY(std::isnan(cell(tab, row, CompareTab::EnergyColumn)));
                QCOMPARE(tab.comparePlot()->drawnValue(row, 2), b.chip->areaMm2 / focus.areaMm2);
                QVERIFY(std::isnan(tab.comparePlot()->drawnValue(row, 1)));
            }
            QVERIFY(tab.summaryText().contains(
                u"%1x over %2"_s.arg(focus.throughput / *b.throughput, 0, 'f', 2)
                    .arg(QString::fromStdString(b.name))));
        }
        QCOMPARE(tab.comparePlot()->drawnValue(0, 0), 1.0);
        QCOMPARE(chipOnly, 1); // the fixed strategy

        // What each chip is made of: one stacked bar per row with a chip, as tall as the area
        // the table shows (the same table scored both), then as its power at peak. PHAZE's
        // profile (this project's) has no per-core terms and no static power: not drawn.
        BreakdownPlot *breakdown = tab.breakdownPlot();
        std::vector<const Evaluation *> chips = {&focus};
        for (const Baseline &b : baselines)
            if (b.evaluation)
                chips.push_back(&*b.evaluation);
        QCOMPARE(breakdown->chips().size(), chips.size());
        QCOMPARE(breakdown->chips().front().name, u"Current architecture"_s);
        for (int i = 0; i < int(chips.size()); ++i)
            QVERIFY(std::abs(breakdown->drawnTotal(i) - chips[std::size_t(i)]->areaMm2) <
                    1e-9 * chips[std::size_t(i)]->areaMm2);
        QVERIFY(!breakdown->componentLabels().contains(u"NoC routers"_s));
        QVERIFY(breakdown->componentLabels().contains(u"GLB"_s));
        breakdown->setQuantity(BreakdownPlot::Quantity::Power);
        QCOMPARE(breakdown->componentLabels(),
                 QStringList({u"tensor cores"_s, u"vector cores"_s, u"HBM"_s, u"links"_s}));
        for (int i = 0; i < int(chips.size()); ++i)
            QVERIFY(std::abs(breakdown->drawnTotal(i) -
                             breakdown->chips()[std::size_t(i)].power.total()) < 1e-9);
        QVERIFY(breakdown->plot()->yAxis->label().contains(u"(W)"_s));

        QTemporaryDir tmp;
        const QList<QPair<QString, QByteArray>> formats = {
            {u"png"_s, QByteArray("\x89PNG\r\n\x1a\n")}, {u"pdf"_s, "%PDF"}, {u"svg"_s, "<svg"}};
        for (const auto &[suffix, magic] : formats) {
            const QString path = tmp.filePath(u"compare."_s + suffix);
            QCOMPARE(tab.exportPlot(path, 1000, 500), QString());
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY(bytes.size() > 1000);
            QVERIFY2(suffix == u"svg"_s ? bytes.contains(magic) : bytes.startsWith(magic),
                     qPrintable(suffix));
        }

        // The CSV has the table's rows with the exact numbers.
        const QString csvPath = tmp.filePath(u"compare.csv"_s);
        QCOMPARE(tab.exportCsv(csvPath), QString());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(u'\n');
        QCOMPARE(lines.size(), tab.table()->rowCount() + 1);
        QVERIFY(lines[0].startsWith(u"Configuration,Architecture,Area (mm²),HBM (GiB),"_s));
        QVERIFY(lines[1].startsWith(u"Current architecture,\""_s));
        QVERIFY(lines[1].contains(QString::number(focus.throughput, 'g', 17)));
        QVERIFY(lines.last().endsWith(u"stage 1 needs 90 GiB"_s));

        // The screenshot for the documentation.
        session.results()->setWhatIf(whatIfOf(session));
        QVERIFY(tab.grab().save(QStringLiteral(PHAZE_BINARY_DIR "/compare.png")));
    }

    // At one column (3.5 in, 336 layout pixels) the legend's long baseline names were cut
    // ("tpuv4 + fixed strateg") and the values over neighbouring bars ran into each other: the
    // export lays the legend out in as many columns as its entries fit, and stands the values
    // upright; the plot on screen gets its own layout back.
    void oneColumnExportFitsTheLegendAndTheValues()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        CodesignResult run = whatIfOf(session);
        // The search's fourth baseline has the longest name.
        run.baselines.push_back({"decoupled (architecture first)", run.baselines.front().evaluation,
                                 run.baselines.front().throughput, {}, std::nullopt});
        session.results()->setWhatIf(run);
        CompareTab tab(&session);
        QCustomPlot *plot = tab.plot();
        const int wrapOnScreen = plot->legend->wrap();
        QVERIFY(wrapOnScreen >= 2);
        QVERIFY(plot->itemCount() > 3);
        const int oneColumn = int(3.5 * FigureSize::kLayoutPixelsPerInch + 0.5);
        {
            const NarrowExport narrow(plot, oneColumn);
            QVERIFY(plot->legend->wrap() < wrapOnScreen);
            int widest = 0;
            for (int i = 0; i < plot->legend->itemCount(); ++i)
                widest = std::max(widest, plot->legend->item(i)->minimumOuterSizeHint().width());
            QVERIFY2(plot->legend->wrap() * widest < oneColumn,
                     qPrintable(u"%1 columns of %2 px"_s.arg(plot->legend->wrap()).arg(widest)));
            // The entries are laid out in that many columns, not only told to.
            QCOMPARE(plot->legend->columnCount(), plot->legend->wrap());
            for (int i = 0; i < plot->itemCount(); ++i)
                if (auto *text = qobject_cast<QCPItemText *>(plot->item(i)))
                    QCOMPARE(text->rotation(), -90.0);
            QVERIFY(plot->savePng(QStringLiteral(PHAZE_BINARY_DIR "/compare-one-column.png"),
                                  oneColumn, int(2.6 * FigureSize::kLayoutPixelsPerInch), 3.0));
        }
        QCOMPARE(plot->legend->wrap(), wrapOnScreen);
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto *text = qobject_cast<QCPItemText *>(plot->item(i)))
                QCOMPARE(text->rotation(), 0.0);
        // A figure as wide as a full page keeps the screen's layout.
        {
            const NarrowExport wide(plot, int(7.0 * FigureSize::kLayoutPixelsPerInch));
            QCOMPARE(plot->legend->wrap(), wrapOnScreen);
        }
    }

    void aSelectedResultBecomesTheReference()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        CodesignResult run;
        run.search.evaluations.push_back(fakeEvaluation(0, 100.0, 1));
        run.search.best = 0;
        Baseline tpu{"tpuv4 + DP", fakeEvaluation(1, 50.0, 1), 50.0, {}, std::nullopt};
        run.baselines.push_back(tpu);
        session.results()->setWhatIf(run);
        CompareTab tab(&session);
        QSignalSpy changed(&tab, &CompareTab::comparisonChanged);
        QCOMPARE(cell(tab, 1, CompareTab::ThroughputRatioColumn), 0.5);

        session.results()->addEvaluation(fakeEvaluation(9, 400.0, 1));
        session.results()->selectRow(0);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(tab.table()->item(0, CompareTab::ConfigurationColumn)->text(), u"Candidate 9"_s);
        QCOMPARE(cell(tab, 0, CompareTab::ThroughputColumn), 400.0);
        QCOMPARE(cell(tab, 1, CompareTab::ThroughputRatioColumn), 0.125);
        QCOMPARE(tab.comparePlot()->drawnValue(1, 0), 0.125);

        session.results()->clearSelection();
        QCOMPARE(cell(tab, 1, CompareTab::ThroughputRatioColumn), 0.5);
        session.results()->setWhatIf(std::nullopt);
        QCOMPARE(tab.table()->rowCount(), 0);
        QVERIFY(tab.summaryText().contains(u"Select"_s));
    }

    void severalModelsGetAColumnEach()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/multi-model.yaml")));
        QCOMPARE(session.project().models.size(), std::size_t(3));
        CodesignResult run;
        run.search.evaluations.push_back(fakeEvaluation(0, 100.0, 3));
        run.search.best = 0;
        run.baselines.push_back({"tpuv4 + DP", fakeEvaluation(1, 50.0, 3), 50.0, {}, std::nullopt});
        session.results()->setWhatIf(run);
        CompareTab tab(&session);
        QCOMPARE(tab.table()->columnCount(), CompareTab::FirstModelColumn + 3 + 1);
        for (int m = 0; m < 3; ++m) {
            QVERIFY(tab.table()
                        ->horizontalHeaderItem(CompareTab::FirstModelColumn + m)
                        ->text()
                        .contains(QString::fromStdString(session.project().models[m].label())));
            QCOMPARE(cell(tab, 0, CompareTab::FirstModelColumn + m), 100.0 * (m + 1));
            QCOMPARE(cell(tab, 1, CompareTab::FirstModelColumn + m), 50.0 * (m + 1));
            QCOMPARE(tab.comparePlot()->drawnValue(1, m), 0.5);
        }
        QCOMPARE(tab.comparePlot()->groupLabels().size(), 3 + 3);
    }

    void infeasibleFocusHasNoBars()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        CodesignResult run;
        Evaluation e = fakeEvaluation(0, 0.0, 1);
        e.status = Status::Infeasible;
        e.message = "nothing fits in 1 GiB";
        run.search.evaluations.push_back(e);
        run.baselines.push_back({"tpuv4 + DP", fakeEvaluation(1, 50.0, 1), 50.0, {}, std::nullopt});
        session.results()->setWhatIf(run);
        CompareTab tab(&session);
        QVERIFY(tab.summaryText().contains(u"nothing fits in 1 GiB"_s));
        QCOMPARE(tab.table()->rowCount(), 2);
        QCOMPARE(cell(tab, 1, CompareTab::ThroughputColumn), 50.0);
        QVERIFY(std::isnan(cell(tab, 1, CompareTab::ThroughputRatioColumn)));
        QVERIFY(std::isnan(tab.comparePlot()->drawnValue(1, 0)));
        // Area is known for both, so that group still compares.
        QCOMPARE(tab.comparePlot()->drawnValue(1, 2), 301.0 / 300.0);
    }
};

QTEST_MAIN(TestCompareTab)
#include "test_comparetab.moc"
