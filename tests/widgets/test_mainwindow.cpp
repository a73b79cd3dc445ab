// The workbench window: opens projects, shows problems without losing the open project, saves.

#include <QtTest>

#include <QAction>
#include <QDialog>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QStatusBar>
#include <QTextBrowser>
#include <QListWidget>
#include <QTabWidget>
#include <QTreeWidget>

#include <map>

#include "app/workbench/mainwindow.h"
#include "widgets/resultstore.h"
#include "widgets/searchhistory.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void opensTheDefaultProject()
    {
        Session session;
        MainWindow window(&session);
        QVERIFY(
            window.openProject(QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml")));
        window.show();
        QVERIFY(window.windowTitle().startsWith(u"default-project.yaml"_s));
        auto *tree = window.findChild<QTreeWidget *>(u"projectTree"_s);
        QVERIFY(tree);
        QVERIFY(!tree->findItems(u"llama2-7b"_s, Qt::MatchRecursive).isEmpty());
        const auto hbm = tree->findItems(u"hbm_sizes"_s, Qt::MatchRecursive);
        QCOMPARE(hbm.size(), 1);
        QCOMPARE(hbm.front()->text(1), u"[80 GiB]"_s);
        QVERIFY(hbm.front()->toolTip(0).contains(u"HBM capacities"_s));
        // The model row reports what the engine built (Llama 2 7B: 32 blocks).
        const auto model = tree->findItems(u"llama2-7b"_s, Qt::MatchRecursive).front();
        QVERIFY2(model->text(1).contains(u"32 blocks"_s), qPrintable(model->text(1)));
        const QPixmap shot = window.grab();
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() >= 800);
    }

    void badFileKeepsTheOpenProject()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath(u"bad.yaml"_s);
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("models: [gpt2-xl]\ntraining:\n  hbm_sizes: [32 GiB, 64 GB/s]\n");
        f.close();

        Session session;
        MainWindow window(&session);
        QVERIFY(
            window.openProject(QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml")));
        const ProjectSpec before = session.project();
        QVERIFY(!window.openProject(bad));
        QVERIFY(session.project() == before);
        QVERIFY(session.filePath().endsWith(u"default-project.yaml"_s));
        auto *problems = window.findChild<QListWidget *>(u"problemsPanel"_s);
        QVERIFY(problems);
        QCOMPARE(problems->count(), 1);
        QVERIFY2(problems->item(0)->text().contains(
                     u"bad.yaml:3:23: training.hbm_sizes[1]: \"64 GB/s\" is a bandwidth"_s),
                 qPrintable(problems->item(0)->text()));
    }

    void saveAndReopen()
    {
        QTemporaryDir dir;
        Session session;
        const QString path = dir.filePath(u"saved.yaml"_s);
        QCOMPARE(session.saveAs(path), QString());
        QCOMPARE(session.filePath(), path);
        QVERIFY(!session.isModified());
        Session other;
        QVERIFY(other.open(path));
        QVERIFY(other.project() == session.project());
        // Unwritable target: an error message, and the session keeps its file.
        QVERIFY(!session.saveAs(dir.filePath(u"no/such/dir/x.yaml"_s)).isEmpty());
        QCOMPARE(session.filePath(), path);
    }

    void savingKeepsTheFilesComments()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bert.yaml"_s);
        QVERIFY(QFile::copy(QStringLiteral(PHAZE_SOURCE_DIR "/examples/bert-large.yaml"), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        Session session;
        QVERIFY(session.open(path));
        QCOMPARE(session.setField(u"training"_s, u"accelerators"_s, u"512"_s), QString());
        for (int save = 0; save < 2; ++save) { // and again: the saved text keeps them too
            QCOMPARE(session.save(), QString());
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            QVERIFY2(text.startsWith(u"# BERT-Large on 1024 accelerators"_s), qPrintable(text));
            QVERIFY2(text.contains(u"profile: phaze  # PHAZE's formulas exactly"_s),
                     qPrintable(text));
            QVERIFY(text.contains(u"accelerators: 512"_s));
        }
        Session other;
        QVERIFY(other.open(path));
        QVERIFY(other.project() == session.project());
        // A new project has no file to keep comments of.
        session.newProject();
        QCOMPARE(session.saveAs(dir.filePath(u"new.yaml"_s)), QString());
        QFile fresh(dir.filePath(u"new.yaml"_s));
        QVERIFY(fresh.open(QIODevice::ReadOnly));
        QVERIFY(!fresh.readAll().contains("# BERT"));
    }

    void resetLayoutShowsAndDocksEveryDock()
    {
        Session session;
        MainWindow window(&session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QList<QDockWidget *> docks = window.findChildren<QDockWidget *>();
        QCOMPARE(docks.size(), 3); // project, accelerator, problems
        std::map<QString, Qt::DockWidgetArea> startArea;
        for (QDockWidget *dock : docks)
            startArea[dock->objectName()] = window.dockWidgetArea(dock);
        // Collapsed, floated and moved as a user leaves them (and the saved state restores).
        docks[0]->hide();
        docks[1]->setFloating(true);
        window.addDockWidget(Qt::TopDockWidgetArea, docks[2]);
        auto *reset = window.findChild<QAction *>(u"resetLayout"_s);
        QVERIFY(reset);
        reset->trigger();
        for (QDockWidget *dock : docks) {
            QVERIFY2(dock->isVisible(), qPrintable(dock->objectName()));
            QVERIFY2(!dock->isFloating(), qPrintable(dock->objectName()));
            QCOMPARE(window.dockWidgetArea(dock), startArea[dock->objectName()]);
        }
    }

    void helpShowsTheUserGuide()
    {
        Session session;
        MainWindow window(&session);
        auto *action = window.findChild<QAction *>(u"userGuide"_s);
        QVERIFY(action);
        action->trigger();
        auto *text = window.findChild<QTextBrowser *>(u"userGuideText"_s);
        QVERIFY(text);
        QVERIFY(text->isVisible());
        // The guide itself, rendered from Markdown (headings, not '#' lines).
        const QString plain = text->toPlainText();
        QVERIFY2(plain.contains(u"A five-minute tour"_s), qPrintable(plain.left(200)));
        QVERIFY(!plain.contains(u"## A five-minute tour"_s));
        QVERIFY(window.findChild<QDialog *>(u"userGuideWindow"_s)->grab().save(
            QStringLiteral(PHAZE_BINARY_DIR "/user-guide.png")));
        // A link to a reference page opens it in the same window (compiled in, offline).
        text->setSource(QUrl(u"parameters.md"_s), QTextDocument::MarkdownResource);
        QVERIFY2(text->toPlainText().contains(u"global_batch"_s),
                 qPrintable(text->toPlainText().left(200)));
        text->backward();
        QVERIFY(text->toPlainText().contains(u"A five-minute tour"_s));
        action->trigger(); // one window, raised again
        QCOMPARE(window.findChildren<QTextBrowser *>(u"userGuideText"_s).size(), 1);
    }

    // A new run does not silently replace the last: every run of the project is kept (Search >
    // Earlier Runs) and can be shown again in every view, with the project it searched.
    void earlierRunsAreKeptAndReopen()
    {
        Session session;
        MainWindow window(&session);
        window.setSavesResults(false); // nothing written beside the example
        QVERIFY(window.openProject(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        QSignalSpy finished(window.searchJob(), &SearchJob::finished);
        window.runSearchAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const std::size_t first = session.results()->result()->search.counts.total;
        QCOMPARE(session.setField(u"training"_s, u"hbm_sizes"_s, u"[16 GiB]"_s), QString());
        window.runSearchAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
        const std::size_t second = session.results()->result()->search.counts.total;
        QVERIFY(first != second);

        SearchHistory *history = window.searchHistory();
        QCOMPARE(history->runs().size(), std::size_t(2));
        QCOMPARE(history->runs().front().number, 2);
        QCOMPARE(history->shown(), std::optional(2));
        auto *label = window.findChild<QLabel *>(u"searchLabel"_s);
        QVERIFY2(label->text().contains(u"run 2; earlier runs"_s), qPrintable(label->text()));
        auto *menu = window.findChild<QMenu *>(u"earlierRuns"_s);
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 2);
        QVERIFY(menu->actions().front()->text().startsWith(u"Run 2, "_s));

        auto *stale = window.findChild<QLabel *>(u"staleResultsLabel"_s);
        QVERIFY(stale);
        QVERIFY(stale->isHidden()); // run 2 is of the project as it is

        // Run 1 again, from its menu entry: its rows, with the project it searched, which is
        // not the project as it is now (the status bar says so).
        menu->actions().back()->trigger();
        QVERIFY(!stale->isHidden());
        QCOMPARE(session.results()->result()->search.counts.total, first);
        QCOMPARE(session.results()->searchedProject()->project.training.hbmSizes.size(),
                 std::size_t(2));
        QCOMPARE(history->shown(), std::optional(1));
        QVERIFY(menu->actions().back()->isChecked());
        QVERIFY(!menu->actions().front()->isChecked());
        QVERIFY(window.reopenRun(2));
        QCOMPARE(session.results()->result()->search.counts.total, second);
        QVERIFY(stale->isHidden());
        // An edit after the search: the rows shown are of the project before it.
        QCOMPARE(session.setField(u"training"_s, u"global_batch"_s, u"1024"_s), QString());
        QVERIFY(!stale->isHidden());
        // Not for the fixed architecture alone ("Use selected"), which the search does not use.
        QCOMPARE(session.setField(u"training"_s, u"global_batch"_s, u"512"_s), QString());
        QVERIFY(stale->isHidden());
        session.useArchitecture(session.results()->evaluations().front().config, u"use"_s);
        QVERIFY(stale->isHidden());
        QVERIFY(!window.reopenRun(7));

        // Another project's runs are not this one's.
        QVERIFY(
            window.openProject(QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml")));
        QVERIFY(history->runs().empty());
    }

    void openingAProjectClearsThePreviousProjectsStatus()
    {
        Session session;
        MainWindow window(&session);
        window.setSavesResults(false); // nothing written beside the example
        QVERIFY(window.openProject(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        auto *label = window.findChild<QLabel *>(u"searchLabel"_s);
        QVERIFY(label);
        window.runSearchAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(u"Search done"_s), 60000);
        QVERIFY(
            window.openProject(QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml")));
        QCOMPARE(label->text(), QString());
        const QString message = window.statusBar()->currentMessage();
        QVERIFY2(message.contains(u"default-project.yaml"_s), qPrintable(message));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
