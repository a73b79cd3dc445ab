// The workbench as a whole: the what-if loop (an edit re-evaluates the architecture in the
// background and updates the views; undo restores), F5/Esc, results saved beside the project
// and reloaded, recent files, crash recovery of unsaved edits, "Export all figures", Chrome-trace
// export, `phaze-workbench --tab ... --screenshot`, and Search > Exact Pareto fronts.

#include <QtTest>

#include <cmath>

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>

#include "app/workbench/mainwindow.h"
#include "core/io/projectsearch.h"
#include "core/io/savedresults.h"
#include "core/io/searchjson.h"
#include "tests/support/testtiming.h"
#include "tests/support/waitfor.h"
#include "widgets/layerscheduletab.h"
#include "widgets/paretoplot.h"
#include "widgets/rooflineplot.h"
#include "widgets/plotexport.h"
#include "widgets/recentfiles.h"
#include "widgets/recoveryfile.h"
#include "widgets/resultstore.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/whatifjob.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

using testsupport::scaledMs;
using testsupport::waitFor;

const QString kDefaultProject = QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml");
const QString kQuickSearch = QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");

// The throughput the engine gives for the project's architecture, computed directly.
double directWhatIf(const ProjectSpec &project, const std::string &baseDir)
{
    CodesignOptions options;
    options.architecture = project.architecture->config;
    options.threads = 1;
    const Result<CodesignResult> r = runCodesign(project, baseDir, options);
    if (!r.hasValue() || !r.value->search.best)
        return -1.0;
    return r.value->search.evaluations[*r.value->search.best].throughput;
}

QByteArray head(const QString &path, int n)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(n) : QByteArray();
}

} // namespace

class TestWorkbench : public QObject
{
    Q_OBJECT

    // Opens project in a window and waits for the loader's verdict on the results beside it (a
    // status-bar message), not for a while: on a slow machine "nothing loaded after N ms" would
    // pass before the load had even run. True when it refused them as another version's and
    // nothing was loaded.
    bool opensAsAnotherVersion(Session &session, const QString &project)
    {
        MainWindow window(&session);
        QStringList messages;
        connect(window.statusBar(), &QStatusBar::messageChanged, this,
                [&messages](const QString &m) { messages << m; });
        if (!window.openProject(project) ||
            !waitFor([&] { return !messages.filter(u"belongs to another version"_s).isEmpty(); })) {
            qWarning("%s", qPrintable(messages.join(u'\n')));
            return false;
        }
        return !session.results()->result().has_value();
    }

private slots:
    void initTestCase()
    {
        // Recent files and the layout go to a throw-away settings location.
        Q_INIT_RESOURCE(resources); // the window icon lives in phaze_widgets' resources
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"phaze-test"_s);
        QCoreApplication::setApplicationName(u"test_workbench"_s);
    }

    void editReevaluatesAndUndoRestores()
    {
        Session session;
        MainWindow window(&session);
        window.whatIfJob()->setDelay(10);
        QVERIFY(window.openProject(kDefaultProject));
        window.show();
        ResultStore *store = session.results();
        QVERIFY(waitFor([&] { return store->whatIfEvaluation() != nullptr; }));
        const double before = store->whatIfEvaluation()->throughput;
        QCOMPARE(before, directWhatIf(session.project(), session.baseDir()));
        auto *pareto = window.findChild<ParetoPlot *>();
        QVERIFY(pareto);
        QVERIFY(pareto->showsCurrentArchitecture());
        // With nothing selected the detail views follow the what-if point.
        QCOMPARE(store->focused(), store->whatIfEvaluation());
        QCOMPARE(store->focusLabel(), u"current architecture"_s);

        // Halving the tensor cores changes the throughput the engine computes.
        QSignalSpy changed(store, &ResultStore::whatIfChanged);
        QCOMPARE(session.setField(u"architecture"_s, u"num_tc"_s, u"216"_s), QString());
        QVERIFY(waitFor([&] { return changed.count() >= 1 && !window.whatIfJob()->isPending(); }));
        const double edited = store->whatIfEvaluation()->throughput;
        QCOMPARE(store->whatIfEvaluation()->config.numTc, 216);
        QCOMPARE(edited, directWhatIf(session.project(), session.baseDir()));
        QVERIFY2(edited < before, qPrintable(u"%1 vs %2"_s.arg(edited).arg(before)));
        auto *label = window.findChild<QLabel *>(u"acceleratorWhatIf"_s);
        QVERIFY(label);
        QVERIFY2(label->text().contains(QString::number(edited, 'f', 1)),
                 qPrintable(label->text()));

        // Undo restores the architecture and, after the re-evaluation, the throughput.
        changed.clear();
        session.undoStack()->undo();
        QVERIFY(waitFor([&] { return changed.count() >= 1 && !window.whatIfJob()->isPending(); }));
        QCOMPARE(store->whatIfEvaluation()->config.numTc, 432);
        QCOMPARE(store->whatIfEvaluation()->throughput, before);
        QVERIFY(!session.isModified());
    }

    // A what-if evaluation that fails (the imported graph file was broken since the project was
    // opened) says why in the Accelerator dock instead of "evaluating..." for ever.
    void failedWhatIfIsReported()
    {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath(u"graphs"_s)));
        QVERIFY(QFile::copy(QStringLiteral(PHAZE_SOURCE_DIR "/examples/branching-diamond.yaml"),
                            dir.filePath(u"p.yaml"_s)));
        QVERIFY(QFile::copy(QStringLiteral(PHAZE_SOURCE_DIR "/examples/graphs/diamond.json"),
                            dir.filePath(u"graphs/diamond.json"_s)));
        Session session;
        MainWindow window(&session);
        window.whatIfJob()->setDelay(10);
        QVERIFY(window.openProject(dir.filePath(u"p.yaml"_s)));
        ResultStore *store = session.results();
        QVERIFY(waitFor([&] { return store->whatIfEvaluation() != nullptr; }));
        QVERIFY(store->whatIfError().isEmpty());

        {
            QFile graph(dir.filePath(u"graphs/diamond.json"_s));
            QVERIFY(graph.open(QIODevice::WriteOnly | QIODevice::Truncate));
            graph.write("{\"operators\": [");
        }
        QCOMPARE(session.setField(u"architecture"_s, u"num_tc"_s, u"4"_s), QString());
        QVERIFY(waitFor(
            [&] { return !store->whatIfError().isEmpty() && !window.whatIfJob()->isPending(); }));
        QVERIFY(!store->whatIfEvaluation());
        QVERIFY2(store->whatIfError().contains(u"diamond.json"_s),
                 qPrintable(store->whatIfError()));
        auto *label = window.findChild<QLabel *>(u"acceleratorWhatIf"_s);
        QVERIFY(label);
        QVERIFY2(label->text().contains(u"not evaluated"_s) &&
                     label->text().contains(u"diamond.json"_s),
                 qPrintable(label->text()));
        QVERIFY(!label->text().contains(u"evaluating..."_s));

        // The file comes back: the next edit evaluates again and the error is gone.
        QVERIFY(QFile::remove(dir.filePath(u"graphs/diamond.json"_s)));
        QVERIFY(QFile::copy(QStringLiteral(PHAZE_SOURCE_DIR "/examples/graphs/diamond.json"),
                            dir.filePath(u"graphs/diamond.json"_s)));
        QCOMPARE(session.setField(u"architecture"_s, u"num_tc"_s, u"8"_s), QString());
        QVERIFY(waitFor([&] { return store->whatIfEvaluation() != nullptr; }));
        QVERIFY(store->whatIfError().isEmpty());
        QVERIFY2(label->text().contains(u"samples/s"_s), qPrintable(label->text()));
    }

    void burstOfEditsCostsOneEvaluation()
    {
        Session session;
        MainWindow window(&session);
        window.whatIfJob()->setDelay(200);
        QVERIFY(window.openProject(kDefaultProject));
        QVERIFY(waitFor([&] { return !window.whatIfJob()->isPending(); }));
        QSignalSpy started(window.whatIfJob(), &WhatIfJob::started);
        for (const QString &value : {u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s})
            QCOMPARE(session.setField(u"architecture"_s, u"num_tc"_s, value), QString());
        QVERIFY(waitFor([&] { return !window.whatIfJob()->isPending(); }));
        QCOMPARE(started.count(), 1); // debounced: typing a number costs one evaluation
        QCOMPARE(session.results()->whatIfEvaluation()->config.numTc, 6);
    }

    void f5StartsAndEscapeCancels()
    {
        Session session;
        MainWindow window(&session);
        QVERIFY(window.openProject(kDefaultProject)); // the whole default space: ~1 min
        window.show();
        QVERIFY(window.runSearchAction()->shortcut() == QKeySequence(Qt::Key_F5));
        QVERIFY(window.cancelSearchAction()->shortcut() == QKeySequence(Qt::Key_Escape));
        QVERIFY(!window.cancelSearchAction()->isEnabled());
        window.runSearchAction()->trigger();
        QVERIFY(window.searchJob()->isRunning());
        QVERIFY(!window.runSearchAction()->isEnabled());
        QVERIFY(window.cancelSearchAction()->isEnabled());
        QTest::qWait(300);
        QSignalSpy finished(window.searchJob(), &SearchJob::finished);
        QElapsedTimer clock;
        clock.start();
        window.cancelSearchAction()->trigger();
        QVERIFY(waitFor([&] { return finished.count() == 1; }, 5000));
        const qint64 ms = clock.elapsed();
        QCOMPARE(finished.front().front().value<Status>(), Status::Cancelled);
        QVERIFY2(ms < scaledMs(500), qPrintable(u"cancel took %1 ms"_s.arg(ms)));
        QVERIFY(window.runSearchAction()->isEnabled());
    }

    // A search the workbench did not finish resumes from its journal (Search > Resume Search):
    // what was evaluated is not evaluated again, and the search ends where an uninterrupted one
    // does; a finished search leaves no journal behind.
    void anUnfinishedSearchResumesFromItsJournal()
    {
        QTemporaryDir dir;
        const QString project = dir.filePath(u"quick.yaml"_s);
        QVERIFY(QFile::copy(kQuickSearch, project));
        Session session;
        MainWindow window(&session);
        window.enableSearchJournals(dir.filePath(u"journals"_s));
        QVERIFY(window.openProject(project));
        QVERIFY(!window.resumeSearchAction()->isEnabled()); // no journal yet
        const QString journal = window.searchJournalPath();
        QVERIFY(!journal.isEmpty());
        // The search the workbench would run, stopped after 3 evaluations as a killed one is.
        QVERIFY(QDir().mkpath(dir.filePath(u"journals"_s)));
        {
            CodesignOptions options;
            options.threads = 1;
            options.journalPath = journal.toStdString();
            const CancelToken cancel = CancelToken::create();
            int seen = 0;
            options.onEvaluation = [&](const Evaluation &) {
                if (++seen == 3)
                    cancel.cancel();
            };
            const Result<CodesignResult> part =
                runCodesign(session.project(), session.baseDir(), options, {}, cancel);
            QCOMPARE(part.status, Status::Cancelled);
        }
        const SearchJournal::State partial = SearchJournal::inspect(journal.toStdString());
        QVERIFY(partial.lines >= 3);
        // Opened again (as after a restart), the project offers to resume.
        QVERIFY(window.openProject(project));
        QVERIFY(window.resumeSearchAction()->isEnabled());
        QVERIFY2(window.resumeSearchAction()->text().contains(
                     u"%1 evaluated"_s.arg(partial.lines)),
                 qPrintable(window.resumeSearchAction()->text()));
        QSignalSpy finished(window.searchJob(), &SearchJob::finished);
        window.resumeSearchAction()->trigger();
        QVERIFY(window.searchJob()->isRunning());
        QVERIFY(!window.resumeSearchAction()->isEnabled());
        QVERIFY(waitFor([&] { return finished.count() == 1; }, scaledMs(120000)));
        QVERIFY(hasAnswer(finished.front().front().value<Status>()));
        CodesignOptions whole;
        whole.threads = 1;
        const Result<CodesignResult> reference =
            runCodesign(session.project(), session.baseDir(), whole);
        QVERIFY(reference.hasValue() && reference.value->search.best);
        const SearchResult resumed = session.results()->searchResult();
        QVERIFY(resumed.best);
        QCOMPARE(resumed.evaluations[*resumed.best].throughput,
                 reference.value->search.evaluations[*reference.value->search.best].throughput);
        QCOMPARE(resumed.evaluations.size(), reference.value->search.evaluations.size());
        QVERIFY(!QFileInfo::exists(journal)); // finished: nothing to resume
        QVERIFY(!window.resumeSearchAction()->isEnabled());
    }

    void exactFrontsActionReachesTheSearchAndIsRemembered()
    {
        QTemporaryDir dir;
        const QString project = dir.filePath(u"quick.yaml"_s);
        QVERIFY(QFile::copy(kQuickSearch, project));
        {
            Session session;
            MainWindow window(&session);
            QVERIFY(window.openProject(project));
            window.resize(1280, 800);
            window.show();
            QAction *exact = window.exactFrontsAction();
            QVERIFY(exact && exact->isCheckable() && !exact->isChecked());
            QCOMPARE(exact->objectName(), u"exactFronts"_s);
            QVERIFY(exact->toolTip().contains(u"more candidates"_s));
            QVERIFY(exact->toolTip().contains(u"exact"_s));
            exact->setChecked(true);
            QSignalSpy finished(window.searchJob(), &SearchJob::finished);
            window.runSearchAction()->trigger();
            QVERIFY(waitFor([&] { return finished.count() == 1 && !window.isSavingResults(); }));
            QVERIFY(session.results()->result()->search.exactFronts);
            auto *pareto = window.findChild<ParetoPlot *>();
            QVERIFY(pareto->frontIsExact());
            QCOMPARE(pareto->frontLabel(), u"Pareto front (exact)"_s);
            // The next search without it prunes again, and the plot says so.
            exact->setChecked(false);
            window.runSearchAction()->trigger();
            QVERIFY(waitFor([&] { return finished.count() == 2 && !window.isSavingResults(); }));
            QVERIFY(!session.results()->result()->search.exactFronts);
            QVERIFY(!pareto->frontIsExact());
            QVERIFY(pareto->frontLabel().contains(u"pruned: not exact"_s));
            QVERIFY(QDir().mkpath(QStringLiteral(PHAZE_BINARY_DIR "/screenshots")));
            window.showExplore();
            QVERIFY(window.grab().save(
                QStringLiteral(PHAZE_BINARY_DIR "/screenshots/explore-window-partial.png")));
            exact->setChecked(true);
            window.runSearchAction()->trigger();
            QVERIFY(waitFor([&] { return finished.count() == 3 && !window.isSavingResults(); }));
            QVERIFY(window.grab().save(
                QStringLiteral(PHAZE_BINARY_DIR "/screenshots/explore-window-exact.png")));
        }
        {
            // The results saved beside the project remember the exact fronts.
            Session session;
            MainWindow window(&session);
            QVERIFY(window.openProject(project));
            QVERIFY(waitFor([&] { return session.results()->result().has_value(); }));
            QVERIFY(session.results()->result()->search.exactFronts);
            QVERIFY(window.findChild<ParetoPlot *>()->frontIsExact());
        }
    }

    void resultsAreSavedBesideTheProjectAndReloaded()
    {
        QTemporaryDir dir;
        const QString project = dir.filePath(u"quick.yaml"_s);
        QVERIFY(QFile::copy(kQuickSearch, project));
        const QString saved = dir.filePath(u"quick.results.json"_s);
        double best = 0.0;
        std::size_t evaluations = 0;
        {
            Session session;
            MainWindow window(&session);
            QVERIFY(window.openProject(project));
            QSignalSpy finished(window.searchJob(), &SearchJob::finished);
            window.runSearchAction()->trigger();
            QVERIFY(waitFor([&] { return finished.count() == 1 && !window.isSavingResults(); }));
            QVERIFY(QFileInfo::exists(saved));
            best = session.results()
                       ->evaluations()[std::size_t(session.results()->bestRow())]
                       .throughput;
            evaluations = session.results()->evaluations().size();
            QVERIFY(evaluations > 0);
            QVERIFY(window.recentFiles()->files().front() == QFileInfo(project).absoluteFilePath());
        }
        {
            Session session;
            MainWindow window(&session);
            QVERIFY(window.openProject(project));
            QVERIFY(waitFor([&] { return session.results()->result().has_value(); }));
            QCOMPARE(session.results()->evaluations().size(), evaluations);
            const int row = session.results()->bestRow();
            QCOMPARE(session.results()->evaluations()[std::size_t(row)].throughput, best);
            // tpuv4 + DP, tpuv4 + fixed strategy, decoupled: as the search wrote them.
            QCOMPARE(session.results()->baselines().size(), std::size_t(3));
            QCOMPARE(session.results()->baselines().front().name, std::string("tpuv4 + DP"));
            // A changed project does not pick up results of its earlier version.
            QCOMPARE(session.setField(u"training"_s, u"global_batch"_s, u"1024"_s), QString());
            QCOMPARE(session.save(), QString());
        }
        {
            Session session;
            QVERIFY(opensAsAnotherVersion(session, project));
            QVERIFY(session.results()->evaluations().empty());
        }
    }

    // The tour: search, "Use selected" (the project's fixed architecture becomes the selected
    // design), Save. The architecture changes nothing the search depends on (the candidates
    // are the same), so the results beside the project follow it and load again; an edit of
    // the space itself leaves them behind as the earlier version's.
    void useSelectedThenSaveKeepsTheResults()
    {
        QTemporaryDir dir;
        const QString project = dir.filePath(u"quick.yaml"_s);
        QVERIFY(QFile::copy(kQuickSearch, project));
        QFile::setPermissions(project, QFile::ReadOwner | QFile::WriteOwner);
        std::size_t evaluations = 0;
        {
            Session session;
            MainWindow window(&session);
            QVERIFY(window.openProject(project));
            QSignalSpy finished(window.searchJob(), &SearchJob::finished);
            window.runSearchAction()->trigger();
            QVERIFY(waitFor([&] { return finished.count() == 1 && !window.isSavingResults(); }));
            evaluations = session.results()->evaluations().size();
            const Evaluation best =
                session.results()->evaluations()[std::size_t(session.results()->bestRow())];
            session.useArchitecture(best.config, u"use selected"_s);
            QVERIFY(session.isModified());
            QVERIFY(window.save());
            QVERIFY(waitFor([&] { return !window.isSavingResults(); }));
            QVERIFY2(window.statusBar()->currentMessage().startsWith(u"Results saved"_s),
                     qPrintable(window.statusBar()->currentMessage()));
        }
        {
            Session session;
            MainWindow window(&session);
            QVERIFY(window.openProject(project));
            QVERIFY(session.project().architecture.has_value());
            QVERIFY(waitFor([&] { return session.results()->result().has_value(); }));
            QCOMPARE(session.results()->evaluations().size(), evaluations);
            // Now the space: its candidates change, and the results stay the earlier version's.
            QCOMPARE(session.setField(u"architecture_space"_s, u"num_tc"_s, u"[2, 4]"_s),
                     QString());
            QVERIFY(window.save());
            QVERIFY(waitFor([&] { return !window.isSavingResults(); }));
        }
        {
            Session session;
            QVERIFY(opensAsAnotherVersion(session, project));
        }
    }

    void recoversUnsavedEditsAfterACrash()
    {
        QTemporaryDir recovery;
        QTemporaryDir dir;
        const QString project = dir.filePath(u"p.yaml"_s);
        QVERIFY(QFile::copy(kQuickSearch, project));
        ProjectSpec edited;
        {
            Session session;
            MainWindow window(&session);
            QVERIFY(window.openProject(project));
            window.enableRecovery(recovery.path());
            QCOMPARE(session.setField(u"training"_s, u"accelerators"_s, u"128"_s), QString());
            edited = session.project();
            window.recoveryFile()->writeNow();
            QVERIFY(QFileInfo::exists(window.recoveryFile()->path()));
            // Still running: another workbench must not offer this file.
            QCOMPARE(RecoveryFile::orphans(recovery.path()).size(), 0);
            // Leaving the scope without closing the window is the crash: the file stays.
        }
        const QList<RecoveryFile::Orphan> orphans = RecoveryFile::orphans(recovery.path());
        QCOMPARE(orphans.size(), 1);
        QCOMPARE(orphans.front().originalPath, project);
        QString error;
        const std::optional<ProjectSpec> recovered = RecoveryFile::read(orphans.front(), &error);
        QVERIFY2(recovered, qPrintable(error));
        QVERIFY(*recovered == edited);

        Session session;
        QVERIFY(session.restoreRecovered(orphans.front().originalPath, *recovered));
        QCOMPARE(session.filePath(), project);
        QVERIFY(session.project() == edited);
        QVERIFY(session.isModified()); // recovered edits are unsaved until the user saves
        session.undoStack()->undo();
        QCOMPARE(session.project().training.accelerators, 64); // the file on disk
        RecoveryFile::remove(orphans.front());
        QCOMPARE(RecoveryFile::orphans(recovery.path()).size(), 0);
    }

    void savingRemovesTheRecoveryFile()
    {
        QTemporaryDir recovery;
        QTemporaryDir dir;
        const QString project = dir.filePath(u"p.yaml"_s);
        QVERIFY(QFile::copy(kQuickSearch, project));
        Session session;
        MainWindow window(&session);
        QVERIFY(window.openProject(project));
        window.enableRecovery(recovery.path());
        QCOMPARE(session.setField(u"training"_s, u"accelerators"_s, u"128"_s), QString());
        window.recoveryFile()->writeNow();
        QVERIFY(QFileInfo::exists(window.recoveryFile()->path()));
        QCOMPARE(session.save(), QString());
        QVERIFY(!QFileInfo::exists(window.recoveryFile()->path()));
    }

    void exportsAllFiguresAndTraces()
    {
        QTemporaryDir out;
        Session session;
        MainWindow window(&session);
        window.setSavesResults(false);
        QVERIFY(window.openProject(kQuickSearch));
        window.show();
        QSignalSpy finished(window.searchJob(), &SearchJob::finished);
        window.runSearchAction()->trigger();
        QVERIFY(waitFor([&] { return finished.count() == 1; }));
        session.results()->selectRow(session.results()->bestRow());
        window.showTab(u"results"_s);
        // The export runs from the event loop and reports at the end; one at a time.
        QSignalSpy exported(&window, &MainWindow::figuresExported);
        QVERIFY(window.exportAllFigures(out.path(), {u"pdf"_s, u"svg"_s, u"png"_s}, 3.5, 2.6, 300));
        QVERIFY(window.isExportingFigures());
        QVERIFY(!window.exportAllFigures(out.path(), {u"png"_s}, 3.5, 2.6, 300));
        QVERIFY(exported.isEmpty()); // nothing is written from inside the call
        QVERIFY(exported.wait(scaledMs(5 * 120000)));
        QCOMPARE(exported.size(), 1);
        QVERIFY(!window.isExportingFigures());
        const QStringList written = exported.front().at(0).toStringList();
        const QStringList errors = exported.front().at(1).toStringList();
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        QVERIFY2(window.statusBar()->currentMessage().startsWith(u"Exported 24 file(s)"_s),
                 qPrintable(window.statusBar()->currentMessage()));
        // The tab shown before comes back.
        QCOMPARE(window.findChild<QTabWidget *>(u"centralTabs"_s)->currentIndex(), 2);
        // Pareto front, layer schedule, the layer's roofline, pipeline, memory, compare, the chip
        // breakdown and the validation parity plot, in 3 formats each (no time breakdown: this
        // project uses PHAZE's profile).
        QCOMPARE(written.size(), 24);
        // Kept for a look at one-column figures: build/figures-one-column/*.png.
        QDir().mkpath(QStringLiteral(PHAZE_BINARY_DIR "/figures-one-column"));
        for (const QString &path : written)
            if (path.endsWith(u".png"_s)) {
                const QString copy = QStringLiteral(PHAZE_BINARY_DIR "/figures-one-column/") +
                                     QFileInfo(path).fileName();
                QFile::remove(copy);
                QFile::copy(path, copy);
            }
        for (const QString &path : written) {
            const QByteArray magic = head(path, 8);
            if (path.endsWith(u".pdf"_s))
                QVERIFY2(magic.startsWith("%PDF"), qPrintable(path));
            else if (path.endsWith(u".png"_s))
                QVERIFY2(magic.startsWith("\x89PNG"), qPrintable(path));
            else
                QVERIFY2(head(path, 400).contains("<svg"), qPrintable(path));
        }
        // PNG at 300 dpi of a 3.5 x 2.6 in figure: 1050 x 780 pixels (+-1 from the layout's
        // whole pixels).
        const QImage png(QDir(out.path()).filePath(u"pareto.png"_s));
        QCOMPARE(png.width(), 1050);
        QVERIFY2(std::abs(png.height() - 780) <= 1, qPrintable(QString::number(png.height())));

        for (const bool pipeline : {false, true}) {
            const QString path = out.filePath(pipeline ? u"pipeline.json"_s : u"schedule.json"_s);
            window.showTab(u"project"_s); // the export shows the tab it needs
            QSignalSpy traced(&window, &MainWindow::traceExported);
            window.exportTrace(pipeline, path);
            QVERIFY(traced.isEmpty());
            QVERIFY(traced.wait(scaledMs(120000)));
            QCOMPARE(traced.front().at(0).toString(), path);
            const QString error = traced.front().at(1).toString();
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(window.statusBar()->currentMessage().startsWith(u"Wrote "_s + path));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
            QVERIFY(doc.isObject());
            QVERIFY(doc.object().value(u"traceEvents"_s).toArray().size() > 10);
        }
    }

    // The figures of File > Export > All Figures from the command line, offscreen, for a
    // paper's Makefile: the size and resolution asked for, and a clear refusal of bad values.
    void exportsFiguresFromTheCommandLine()
    {
        const QString exe = QStringLiteral(PHAZE_BINARY_DIR "/app/phaze-workbench");
        if (!QFileInfo::exists(exe))
            QSKIP("phaze-workbench is not built");
        QTemporaryDir out;
        const QString folder = out.filePath(u"figures"_s);
        QProcess p;
        p.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        p.start(exe, {kQuickSearch, u"--search"_s, u"--export-figures"_s, folder, u"--size"_s,
                      u"89x66mm"_s, u"--dpi"_s, u"150"_s, u"--format"_s, u"png,pdf"_s});
        QVERIFY(p.waitForFinished(scaledMs(5 * 120000)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        const QByteArray said = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, said.constData());
        const QStringList written =
            QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(written.size(), 16); // eight figures, two formats
        QVERIFY(head(folder + u"/chip-breakdown.pdf"_s, 8).startsWith("%PDF"));
        // 89 x 66 mm = 3.50 x 2.60 in: 525 x 390 pixels at 150 dpi.
        const QImage pareto(folder + u"/pareto.png"_s);
        QVERIFY(!pareto.isNull());
        QVERIFY2(std::abs(pareto.width() - 525) <= 1 && std::abs(pareto.height() - 390) <= 1,
                 qPrintable(u"%1 x %2"_s.arg(pareto.width()).arg(pareto.height())));
        QVERIFY(head(folder + u"/compare.pdf"_s, 8).startsWith("%PDF"));
        QVERIFY(!QFileInfo::exists(folder + u"/pareto.svg"_s));
        QVERIFY(!QFileInfo::exists(
            QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.results.json")));

        for (const QStringList &bad : {QStringList{u"--size"_s, u"3.5x"_s},
                                       QStringList{u"--dpi"_s, u"9000"_s},
                                       QStringList{u"--format"_s, u"png,jpeg"_s},
                                       QStringList{u"--legend"_s, u"left"_s}}) {
            p.start(exe, QStringList{kQuickSearch, u"--export-figures"_s, folder} + bad);
            QVERIFY(p.waitForFinished(scaledMs(60000)));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 2);
            QVERIFY2(p.readAllStandardError().contains(bad.front().toUtf8()), qPrintable(bad.join(u' ')));
        }
    }

    // --pin and --sweep give the Pinned tab's breakdowns and the Sweep tab's figure to a paper's
    // Makefile: the sweep figure is the requested size on paper, and its curve is drawn in it
    // (rendered back with pdftoppm); bad values are refused naming the option.
    void pinsAndSweepsFromTheCommandLine()
    {
        const QString exe = QStringLiteral(PHAZE_BINARY_DIR "/app/phaze-workbench");
        if (!QFileInfo::exists(exe))
            QSKIP("phaze-workbench is not built");
        if (QStandardPaths::findExecutable(u"pdfinfo"_s).isEmpty() ||
            QStandardPaths::findExecutable(u"pdftoppm"_s).isEmpty())
            QSKIP("poppler-utils (pdfinfo, pdftoppm) not installed; scripts/ensure-deps.sh "
                  "installs them");
        const QString selene = QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt3-175b-selene.yaml");
        QTemporaryDir out;
        const QString folder = out.filePath(u"figures"_s);
        QProcess p;
        p.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        p.start(exe, {selene, u"--pin"_s, u"1"_s, u"--sweep"_s,
                      u"cluster.inter_node_bandwidth=12.5 GB/s, 25 GB/s, 50 GB/s"_s,
                      u"--export-figures"_s, folder, u"--format"_s, u"pdf"_s});
        QVERIFY(p.waitForFinished(scaledMs(5 * 120000)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        const QByteArray said = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, said.constData());
        const QString written = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(written.contains(u"sweep.pdf"_s), qPrintable(written));
        QVERIFY2(written.contains(u"pinned-breakdown.pdf"_s), qPrintable(written));
        const QString pdf = folder + u"/sweep.pdf"_s;
        const auto run = [](const QString &program, const QStringList &args) {
            QProcess tool;
            tool.start(program, args);
            if (!tool.waitForFinished(scaledMs(30000)) || tool.exitCode() != 0)
                qFatal("%s failed", qPrintable(program));
            return QString::fromUtf8(tool.readAllStandardOutput());
        };
        const QString info = run(u"pdfinfo"_s, {pdf});
        const QRegularExpressionMatch m =
            QRegularExpression(uR"(Page size:\s+([0-9.]+) x ([0-9.]+) pts)"_s).match(info);
        QVERIFY2(m.hasMatch(), qPrintable(info));
        QVERIFY2(std::abs(m.captured(1).toDouble() / (3.5 * 72) - 1) < 0.01, qPrintable(info));
        QVERIFY2(std::abs(m.captured(2).toDouble() / (2.6 * 72) - 1) < 0.01, qPrintable(info));
        run(u"pdftoppm"_s, {u"-r"_s, u"96"_s, u"-png"_s, u"-singlefile"_s, pdf,
                            out.filePath(u"sweep"_s)});
        const QImage page =
            QImage(out.filePath(u"sweep.png"_s)).convertToFormat(QImage::Format_RGB32);
        QVERIFY(!page.isNull());
        // The curve is the first category colour (Okabe-Ito blue); nothing touches the edges.
        const QColor curve = categoryColour(0);
        int curvePixels = 0, edgeInk = 0;
        for (int y = 0; y < page.height(); ++y)
            for (int x = 0; x < page.width(); ++x) {
                const QColor c = page.pixelColor(x, y);
                if (std::abs(c.red() - curve.red()) + std::abs(c.green() - curve.green()) +
                        std::abs(c.blue() - curve.blue()) < 60)
                    ++curvePixels;
                const bool edge = x == 0 || y == 0 || x == page.width() - 1 ||
                                  y == page.height() - 1;
                if (edge && qGray(c.rgb()) < 200)
                    ++edgeInk;
            }
        QVERIFY2(curvePixels > 100, qPrintable(QString::number(curvePixels)));
        QCOMPARE(edgeInk, 0);

        for (const QStringList &bad :
             {QStringList{u"--pin"_s, u"0"_s}, QStringList{u"--sweep"_s, u"training.nonsense"_s}}) {
            p.start(exe, QStringList{selene, u"--export-figures"_s, folder} + bad);
            QVERIFY(p.waitForFinished(scaledMs(60000)));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 2);
            QVERIFY2(p.readAllStandardError().contains(bad.front().toUtf8()),
                     qPrintable(bad.join(u' ')));
        }
    }

    // The roofline view as `--tab roofline` shows it: its note, wrapped, is shown whole above
    // the plot. The screenshot is taken in the turn the last result arrives, before the layout
    // that result asked for would run: screenshot() runs it first (a bare grab() cut the note).
    void rooflineNoteIsShownWhole()
    {
        Session session;
        MainWindow window(&session);
        window.setSavesResults(false); // nothing is written beside the example
        window.resize(1280, 800);
        window.show();
        QVERIFY(window.openProject(kQuickSearch));
        QSignalSpy finished(window.searchJob(), &SearchJob::finished);
        window.runSearchAction()->trigger();
        QVERIFY(waitFor([&] { return finished.count() == 1; }));
        session.results()->selectRow(session.results()->bestRow());
        QVERIFY(window.showTab(u"roofline"_s));
        bool idle = false, answered = false;
        window.whenIdle([&](bool ok) { idle = ok, answered = true; });
        QVERIFY(waitFor([&] { return answered; }));
        QVERIFY(idle);
        // The note gone and laid out, then back in one turn, and the screenshot at once.
        auto *schedule = window.findChild<LayerScheduleTab *>();
        QVERIFY(schedule && schedule->layers().size() > 1);
        const int layer = schedule->layerIndex();
        schedule->roofline()->clear();
        QCoreApplication::processEvents();
        schedule->setLayerIndex(layer == 0 ? 1 : 0);
        schedule->setLayerIndex(layer);
        QVERIFY(!window.screenshot().isNull());
        auto *note = window.findChild<QLabel *>(u"rooflineNote"_s);
        QVERIFY(note && note->isVisible() && !note->text().isEmpty());
        QVERIFY(note->heightForWidth(note->width()) > 3 * note->fontMetrics().height() / 2);
        QCOMPARE(note->height(), note->heightForWidth(note->width()));
        QVERIFY(note->geometry().bottom() <
                note->parentWidget()->findChild<QWidget *>(u"rooflineCustomPlot"_s)->geometry().top());
    }

    void screenshotOfATab()
    {
        const QString exe = QStringLiteral(PHAZE_BINARY_DIR "/app/phaze-workbench");
        if (!QFileInfo::exists(exe))
            QSKIP("phaze-workbench is not built");
        QTemporaryDir out;
        QProcess p;
        p.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        p.start(exe, {kQuickSearch, u"--search"_s, u"--tab"_s, u"pipeline"_s, u"--screenshot"_s,
                      out.filePath(u"pipeline.png"_s)});
        QVERIFY(p.waitForFinished(scaledMs(120000)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        const QImage shot(out.filePath(u"pipeline.png"_s));
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() >= 800);
        QVERIFY(!QFileInfo::exists(
            QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.results.json")));
        // Plots on tabs not shown yet were laid out zero pixels high and QCustomPlot warned
        // twice per layer and replot (about 40 lines a run): a clean run says nothing of paint.
        const QByteArray said = p.readAllStandardError();
        QVERIFY2(!said.contains("QPainter") && !said.contains("paint buffer"), said.constData());

        p.start(exe, {kQuickSearch, u"--tab"_s, u"nonsense"_s, u"--screenshot"_s,
                      out.filePath(u"x.png"_s)});
        QVERIFY(p.waitForFinished(scaledMs(60000)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit); // a crash is not "exit code 2"
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("unknown tab"));
    }

    // --colour-by and --log preset the Explore plot (a screenshot or figures coloured by a
    // parameter); a wrong value is refused (exit 2) naming the option, before anything runs.
    void colourByAndLogFromTheCommandLine()
    {
        const QString exe = QStringLiteral(PHAZE_BINARY_DIR "/app/phaze-workbench");
        if (!QFileInfo::exists(exe))
            QSKIP("phaze-workbench is not built");
        QTemporaryDir out;
        QProcess p;
        p.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        const QString shot = out.filePath(u"explore.png"_s);
        p.start(exe, {kQuickSearch, u"--search"_s, u"--colour-by"_s, u"tc_count"_s, u"--log"_s,
                      u"xy"_s, u"--screenshot"_s, shot});
        QVERIFY(p.waitForFinished(scaledMs(120000)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(!QImage(shot).isNull());

        for (const QStringList &bad :
             {QStringList{u"--colour-by"_s, u"colour"_s}, QStringList{u"--log"_s, u"z"_s}}) {
            p.start(exe,
                    QStringList{kQuickSearch, u"--screenshot"_s, out.filePath(u"x.png"_s)} + bad);
            QVERIFY(p.waitForFinished(scaledMs(60000)));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 2);
            QVERIFY2(p.readAllStandardError().contains(bad.front().toUtf8()),
                     qPrintable(bad.join(u' ')));
            QVERIFY(!QFileInfo::exists(out.filePath(u"x.png"_s)));
        }
    }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
