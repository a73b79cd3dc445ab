// The README's five-minute tour, step by step: every claim a step makes about what the user
// sees is asserted here on the workbench itself (offscreen), so the README cannot drift from
// what happens. The step numbers are the README's.

#include <QtTest>

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>

#include "app/workbench/mainwindow.h"
#include "tests/support/testtiming.h"
#include "tests/support/waitfor.h"
#include "widgets/comparetab.h"
#include "widgets/paretoplot.h"
#include "widgets/pinnedtab.h"
#include "widgets/pinnedpipelines.h"
#include "widgets/searchhistory.h"
#include "widgets/pipelinetab.h"
#include "widgets/resultstore.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/sweeptab.h"
#include "widgets/whatifjob.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

using testsupport::scaledMs;
using testsupport::waitFor;

const QString kExamples = QStringLiteral(PHAZE_SOURCE_DIR "/examples/");
const QString kPhaze = QStringLiteral(PHAZE_BINARY_DIR "/app/phaze");

double whatIfThroughput(const Session &session)
{
    const Evaluation *e = session.results()->whatIfEvaluation();
    return e ? e->throughput : -1.0;
}

// Runs the search (F5) and waits for it and for its results file.
bool search(MainWindow &window)
{
    QSignalSpy finished(window.searchJob(), &SearchJob::finished);
    window.runSearchAction()->trigger();
    return waitFor([&] { return finished.count() == 1 && !window.isSavingResults(); });
}

int runPhaze(const QStringList &arguments, QByteArray *out = nullptr)
{
    QProcess p;
    p.start(kPhaze, arguments);
    if (!p.waitForFinished(scaledMs(300000)))
        return -1;
    if (out)
        *out = p.readAllStandardOutput();
    return p.exitCode();
}

} // namespace

class TestTour : public QObject
{
    Q_OBJECT

private slots:
    void theFiveMinuteTour()
    {
        QTemporaryDir dir;
        Session session;
        MainWindow window(&session);
        window.resize(1400, 900);
        window.show();

        // 1. The default project: Llama 2 7B on 256 accelerators, DGX A100 links, bf16-mixed
        //    Adam, the system model; the a100-sxm4-80gb preset in the Accelerator dock, its
        //    what-if evaluation in the dock and the status bar, its schedule in the Pipeline tab.
        const ProjectSpec &start = session.project();
        QCOMPARE(start.models.front().zoo, std::string("llama2-7b"));
        QCOMPARE(start.training.accelerators, 256);
        QCOMPARE(start.training.profile, ModelProfile::System);
        QCOMPARE(start.training.optimizer, Optimizer::Adam);
        QCOMPARE(start.cluster.preset, std::string("dgx-a100"));
        QCOMPARE(start.architecture->preset, std::string("a100-sxm4-80gb"));
        QVERIFY(waitFor([&] { return whatIfThroughput(session) > 0; }));
        const double original = whatIfThroughput(session);
        auto *dock = window.findChild<QLabel *>(u"acceleratorWhatIf"_s);
        QVERIFY(dock);
        QVERIFY(waitFor([&] { return dock->text().contains(u"samples/s"_s); }));
        auto *statusWhatIf = window.findChild<QLabel *>(u"whatIfLabel"_s);
        QVERIFY(statusWhatIf && statusWhatIf->isVisible());
        QVERIFY2(statusWhatIf->text().startsWith(u"What-if: "_s) &&
                     statusWhatIf->text().contains(u"samples/s on the current architecture"_s),
                 qPrintable(statusWhatIf->text()));
        auto *pipeline = window.findChild<PipelineTab *>();
        QVERIFY(window.showTab(u"pipeline"_s));
        QVERIFY(waitFor([&] { return pipeline->replay().has_value(); }));
        QVERIFY(!pipeline->replay()->timeline.events.empty());

        // 2. num_tc 4 in the Accelerator dock: the what-if follows (dock, Explore's star,
        //    Pipeline); Ctrl+Z undoes it.
        auto *numTc = window.findChild<QLineEdit *>(u"architecture.num_tc"_s);
        QVERIFY(numTc);
        numTc->setText(u"4"_s);
        emit numTc->editingFinished();
        QCOMPARE(session.project().architecture->config.numTc, 4);
        QVERIFY(waitFor([&] {
            const Evaluation *e = session.results()->whatIfEvaluation();
            return e && e->config.numTc == 4 && !window.whatIfJob()->isPending();
        }));
        QVERIFY(whatIfThroughput(session) != original);
        QVERIFY(window.explorePlot()->showsCurrentArchitecture());
        QVERIFY(
            waitFor([&] { return pipeline->replay() && pipeline->replayedConfig().numTc == 4; }));
        session.undoStack()->undo();
        QCOMPARE(session.project().architecture->config.numTc,
                 findAcceleratorPreset("a100-sxm4-80gb")->config.numTc);
        QVERIFY(waitFor([&] {
            const Evaluation *e = session.results()->whatIfEvaluation();
            return e && e->config.numTc != 4 && !window.whatIfJob()->isPending();
        }));
        QCOMPARE(whatIfThroughput(session), original);

        // 3. quick-search.yaml, Search > Run: the front is of the evaluated designs, partial
        //    because of pruning; Exact Pareto fronts gives the exact one; the results are
        //    saved beside the project.
        const QString quick = dir.filePath(u"quick-search.yaml"_s);
        QVERIFY(QFile::copy(kExamples + u"quick-search.yaml"_s, quick));
        QFile::setPermissions(quick, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(window.openProject(quick));
        QVERIFY(search(window));
        ParetoPlot *explore = window.explorePlot();
        QVERIFY2(explore->frontLabel().contains(u"64 pruned: not exact"_s),
                 qPrintable(explore->frontLabel()));
        QVERIFY(!explore->frontIsExact());
        QCOMPARE(explore->frontRows().size(), std::size_t(2));
        QVERIFY(QFile::exists(dir.filePath(u"quick-search.results.json"_s)));
        window.exactFrontsAction()->setChecked(true);
        QVERIFY(search(window));
        QVERIFY(explore->frontIsExact());
        QCOMPARE(explore->frontRows().size(), std::size_t(8));
        // Both runs are kept in Search > Earlier Runs.
        QCOMPARE(window.searchHistory()->runs().size(), std::size_t(2));

        // 4. The best point selected: Results, Pipeline and Compare follow; Use selected, then
        //    Save, keeps the results with the project.
        ResultStore *store = session.results();
        const int best = store->bestRow();
        store->selectRow(best);
        const Evaluation chosen = store->evaluations()[std::size_t(best)];
        QCOMPARE(store->focused()->candidate, chosen.candidate);
        auto *compare = window.findChild<CompareTab *>();
        QCOMPARE(
            compare->table()->item(0, CompareTab::ThroughputColumn)->data(Qt::UserRole).toDouble(),
            chosen.throughput);
        QVERIFY(window.showTab(u"pipeline"_s));
        QVERIFY(waitFor(
            [&] { return pipeline->replay() && pipeline->replayedConfig() == chosen.config; }));
        auto *useSelected = window.findChild<QAbstractButton *>(u"useSelectedArchitecture"_s);
        QVERIFY(useSelected && useSelected->isEnabled());
        useSelected->click();
        QVERIFY(session.project().architecture->config == chosen.config);
        QVERIFY(window.save());
        QVERIFY(waitFor([&] { return !window.isSavingResults(); }));
        QVERIFY2(window.statusBar()->currentMessage().startsWith(u"Results saved"_s),
                 qPrintable(window.statusBar()->currentMessage()));

        // 5. All Figures at one column, 300 dpi: every plot as PDF, SVG and PNG.
        QTemporaryDir figures;
        QSignalSpy exported(&window, &MainWindow::figuresExported);
        QVERIFY(
            window.exportAllFigures(figures.path(), {u"pdf"_s, u"svg"_s, u"png"_s}, 3.5, 2.6, 300));
        QVERIFY(exported.wait(scaledMs(600000)));
        QVERIFY(exported.front().at(1).toStringList().isEmpty());
        const QStringList written = exported.front().at(0).toStringList();
        QVERIFY(written.size() >= 24);
        QCOMPARE(written.size() % 3, 0);
        for (const QString &pdf : QDir(figures.path()).entryList({u"*.pdf"_s})) {
            const QString base = pdf.chopped(4);
            QVERIFY2(QFile::exists(figures.filePath(base + u".svg"_s)), qPrintable(base));
            QVERIFY2(QFile::exists(figures.filePath(base + u".png"_s)), qPrintable(base));
        }

        // 6. The same search from a terminal gives the same best design.
        const QString json = dir.filePath(u"r.json"_s), csv = dir.filePath(u"r.csv"_s);
        QCOMPARE(runPhaze({u"search"_s, kExamples + u"quick-search.yaml"_s, u"--json"_s, json,
                           u"--csv"_s, csv}),
                 0);
        QFile jsonFile(json);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly) && QFile::exists(csv));
        const QJsonObject cli = QJsonDocument::fromJson(jsonFile.readAll()).object();
        QCOMPARE(cli[u"best"_s][u"throughput"_s].toDouble(), chosen.throughput);

        // 7. Two pins side by side, then a sweep of the link bandwidth over both.
        PinnedTab *pinned = window.pinnedTab();
        QVERIFY(store->pinFocused());
        store->selectRow(best == 0 ? 1 : 0);
        QVERIFY(store->pinFocused());
        QCOMPARE(pinned->table()->columnCount(), 2);
        QVERIFY(pinned->rowDiffers(pinned->rowOf(u"Throughput (samples/s)"_s)));
        // Why one is faster: each distinct layer's share of the chip's peak.
        const int block = pinned->rowOf(u"bert-large: block.0 efficiency (forward / backward)"_s);
        QVERIFY(block >= 0);
        const LayerEfficiency &blockOfBest = chosen.models.front().layerEfficiency[1];
        QCOMPARE(pinned->table()->item(block, 0)->text(),
                 u"%1 % / %2 %"_s.arg(100.0 * blockOfBest.forward, 0, 'f', 1)
                     .arg(100.0 * blockOfBest.backward, 0, 'f', 1));
        QVERIFY(window.showTab(u"pinned-pipelines"_s));
        QVERIFY(waitFor([&] {
            return !pinned->pipelines()->isRunning() && pinned->pipelines()->plots().size() == 2;
        }));
        QVERIFY(pinned->pipelines()->replays()[0] && pinned->pipelines()->replays()[1]);
        SweepTab *sweep = window.sweepTab();
        QVERIFY(sweep->setParameter(u"training.link_bandwidth"_s));
        // The suggestion: a quarter to four times the current value.
        const QStringList values = sweep->valuesEdit()->text().split(u", "_s);
        QCOMPARE(values.size(), 5);
        QCOMPARE(values.front(), u"1 GiB/s"_s);
        QCOMPARE(values.back(), u"16 GiB/s"_s);
        sweep->runSweep();
        QVERIFY(waitFor([&] { return !sweep->isRunning() && sweep->result().has_value(); }));
        QCOMPARE(sweep->result()->curves.size(), std::size_t(2));
        QByteArray sweepText;
        QCOMPARE(runPhaze({u"sweep"_s, kExamples + u"gpt3-175b-selene.yaml"_s, u"--param"_s,
                           u"cluster.inter_node_bandwidth"_s},
                          &sweepText),
                 0);
        QVERIFY2(sweepText.contains("inter_node_bandwidth"), sweepText.constData());

        // 8. The Selene project: Cluster (dgx-a100) and Strategy (tp 8, pp 8, interleave 3)
        //    forms; another cluster preset is one undo step.
        const QString selene = dir.filePath(u"gpt3-175b-selene.yaml"_s);
        QVERIFY(QFile::copy(kExamples + u"gpt3-175b-selene.yaml"_s, selene));
        QFile::setPermissions(selene, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(window.openProject(selene));
        auto *preset = window.findChild<QComboBox *>(u"cluster.preset"_s);
        QVERIFY(preset && preset->isVisible());
        QCOMPARE(preset->currentText(), u"dgx-a100"_s);
        for (const auto &[key, value] :
             {std::pair{u"strategy.tp"_s, u"[8]"_s}, std::pair{u"strategy.pp"_s, u"[8]"_s},
              std::pair{u"strategy.interleave"_s, u"[3]"_s}}) {
            auto *field = window.findChild<QLineEdit *>(key);
            QVERIFY2(field && field->isVisible(), qPrintable(key));
            QCOMPARE(field->text(), value);
        }
        preset->setCurrentIndex(preset->findData(u"dgx-h100"_s));
        emit preset->activated(preset->currentIndex());
        QCOMPARE(session.project().cluster.preset, std::string("dgx-h100"));
        session.undoStack()->undo();
        QCOMPARE(session.project().cluster.preset, std::string("dgx-a100"));
        QVERIFY(!session.isModified());
        // Saved with an edit, the file keeps its comments.
        QCOMPARE(session.setField(u"cluster"_s, u"inter_node_bandwidth"_s, u"50 GB/s"_s),
                 QString());
        QVERIFY(window.save());
        QFile saved(selene);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray savedText = saved.readAll();
        QVERIFY2(savedText.startsWith("# GPT-3 175B on Selene (DGX A100 80 GB)"),
                 savedText.constData());
        QVERIFY(savedText.contains("inter_node_bandwidth: 50 GB/s"));

        // 9. Help > User Guide, View > Reset Layout.
        window.showUserGuide();
        auto *guide = window.findChild<QTextBrowser *>();
        QVERIFY(guide && guide->isVisible());
        QVERIFY(guide->toPlainText().contains(u"A five-minute tour"_s));
        for (QDockWidget *d : window.findChildren<QDockWidget *>())
            d->hide();
        window.resetLayout();
        for (QDockWidget *d : window.findChildren<QDockWidget *>())
            QVERIFY2(d->isVisible(), qPrintable(d->objectName()));
    }
};

QTEST_MAIN(TestTour)
#include "test_tour.moc"
