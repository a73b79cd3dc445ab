// File > Open Recent: one file reached by two paths is one entry; two files of the same name
// are told apart by their folders (issue 18: two identical "bert-large.yaml").

#include <QtTest>

#include <QFile>
#include <QMenu>
#include <QSettings>
#include <QTemporaryDir>

#include "widgets/recentfiles.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestRecentFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"phaze-test-recentfiles"_s);
        QSettings().clear();
    }

    void labelsTellSameNamesApart()
    {
        const QStringList paths = {u"/p/examples/bert-large.yaml"_s,
                                   u"/p/tests/saved/examples/bert-large.yaml"_s,
                                   u"/p/examples/gpt2-xl.yaml"_s, u"/q/x/gpt3.yaml"_s,
                                   u"/q/y/gpt3.yaml"_s};
        QCOMPARE(RecentFiles::labels(paths),
                 (QStringList{u"bert-large.yaml (p/examples)"_s,
                              u"bert-large.yaml (saved/examples)"_s, u"gpt2-xl.yaml"_s,
                              u"gpt3.yaml (x)"_s, u"gpt3.yaml (y)"_s}));
    }

    void oneFileByTwoPathsIsOneEntry()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(u"a"_s) && QDir(dir.path()).mkpath(u"b"_s));
        const QString a = dir.filePath(u"a/bert-large.yaml"_s);
        const QString b = dir.filePath(u"b/bert-large.yaml"_s);
        for (const QString &f : {a, b}) {
            QFile file(f);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("phaze_project: 1\n");
        }
        const QString link = dir.filePath(u"link.yaml"_s);
        QVERIFY(QFile::link(a, link));
        QMenu menu;
        RecentFiles recent(&menu);
        recent.clear();
        recent.add(a);
        recent.add(link); // the same file as a
        recent.add(b);
        QCOMPARE(recent.files().size(), 2);
        QStringList texts;
        emit menu.aboutToShow();
        for (QAction *action : menu.actions())
            if (!action->data().toString().isEmpty())
                texts << action->text();
        QCOMPARE(texts, (QStringList{u"&1  bert-large.yaml (b)"_s, u"&2  bert-large.yaml (a)"_s}));
        recent.clear();
    }
};

QTEST_MAIN(TestRecentFiles)
#include "test_recentfiles.moc"
