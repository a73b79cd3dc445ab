// The workbench window: opens projects, shows problems without losing the open project, saves.

#include <QtTest>

#include <QDockWidget>
#include <QListWidget>
#include <QTabWidget>
#include <QTreeWidget>

#include "app/workbench/mainwindow.h"
#include "widgets/session.h"

using namespace phaze;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void opensTheDefaultProject()
    {
        Session session;
        MainWindow window(&session);
        QVERIFY(window.openProject(PHAZE_SOURCE_DIR "/resources/default-project.yaml"));
        window.show();
        QVERIFY(window.windowTitle().startsWith("default-project.yaml"));
        auto *tree = window.findChild<QTreeWidget *>("projectTree");
        QVERIFY(tree);
        QVERIFY(!tree->findItems("gpt2-xl", Qt::MatchRecursive).isEmpty());
        const auto hbm = tree->findItems("hbm_sizes", Qt::MatchRecursive);
        QCOMPARE(hbm.size(), 1);
        QCOMPARE(hbm.front()->text(1), QString("[32 GiB, 64 GiB, 80 GiB]"));
        QVERIFY(hbm.front()->toolTip(0).contains("HBM capacities"));
        // The model row reports the parameter count the engine computed (GPT-2 XL ~1.56 B).
        const auto model = tree->findItems("gpt2-xl", Qt::MatchRecursive).front();
        QVERIFY2(model->text(1).contains("48 blocks"), qPrintable(model->text(1)));
        const QPixmap shot = window.grab();
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() >= 800);
    }

    void badFileKeepsTheOpenProject()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.yaml");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("models: [gpt2-xl]\ntraining:\n  hbm_sizes: [32 GiB, 64 GB/s]\n");
        f.close();

        Session session;
        MainWindow window(&session);
        QVERIFY(window.openProject(PHAZE_SOURCE_DIR "/resources/default-project.yaml"));
        const ProjectSpec before = session.project();
        QVERIFY(!window.openProject(bad));
        QVERIFY(session.project() == before);
        QVERIFY(session.filePath().endsWith("default-project.yaml"));
        auto *problems = window.findChild<QListWidget *>("problemsPanel");
        QVERIFY(problems);
        QCOMPARE(problems->count(), 1);
        QVERIFY2(problems->item(0)->text().contains(
                     "bad.yaml:3:23: training.hbm_sizes[1]: \"64 GB/s\" is a bandwidth"),
                 qPrintable(problems->item(0)->text()));
    }

    void saveAndReopen()
    {
        QTemporaryDir dir;
        Session session;
        const QString path = dir.filePath("saved.yaml");
        QCOMPARE(session.saveAs(path), QString());
        QCOMPARE(session.filePath(), path);
        QVERIFY(!session.isModified());
        Session other;
        QVERIFY(other.open(path));
        QVERIFY(other.project() == session.project());
        // Unwritable target: an error message, and the session keeps its file.
        QVERIFY(!session.saveAs(dir.filePath("no/such/dir/x.yaml")).isEmpty());
        QCOMPARE(session.filePath(), path);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
