// The workbench window: opens projects, shows problems without losing the open project, saves.

#include <QtTest>

#include <QDockWidget>
#include <QListWidget>
#include <QTabWidget>
#include <QTreeWidget>

#include "app/workbench/mainwindow.h"
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
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
