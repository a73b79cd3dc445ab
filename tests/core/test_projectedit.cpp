// Editing a project field by text validates exactly like loading a file.

#include <QtTest>

#include "core/io/projectedit.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestProjectEdit : public QObject
{
    Q_OBJECT

private slots:
    void validEdits()
    {
        const ProjectSpec p = defaultProject();
        Result<ProjectSpec> e = editProjectField(p, "training", "hbm_sizes", "[16 GiB, 96 GB]");
        QVERIFY2(e.value, formatAll(e.diagnostics).c_str());
        QCOMPARE(e.value->training.hbmSizes, (std::vector<double>{16.0 * (1ull << 30), 96e9}));
        QVERIFY(e.value->architecture == p.architecture); // nothing else changed
        e = editProjectField(p, "architecture", "num_tc", "4");
        QVERIFY(e.value);
        QCOMPARE(e.value->architecture->config.numTc, 4);
        QCOMPARE(e.value->architecture->preset, std::string("a100-sxm4-80gb"));
        e = editProjectField(p, "name", "", "renamed");
        QVERIFY(e.value);
        QCOMPARE(e.value->name, std::string("renamed"));
        e = editProjectField(p, "training", "optimizer", "adam");
        QVERIFY(e.value);
        QCOMPARE(e.value->training.optimizer, Optimizer::Adam);
    }

    void invalidEdits_data()
    {
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("bandwidth as size") << "training"
                                           << "hbm_sizes"
                                           << "[64 GB/s]"
                                           << "training.hbm_sizes[0]: \"64 GB/s\" is a bandwidth";
        QTest::newRow("range") << "architecture"
                               << "num_tc"
                               << "0"
                               << "must be at least 1";
        QTest::newRow("nan") << "architecture"
                             << "frequency"
                             << ".nan"
                             << "is not a number";
        QTest::newRow("unknown key") << "training"
                                     << "acelerators"
                                     << "3"
                                     << "did you mean \"accelerators\"";
        QTest::newRow("broken yaml") << "training"
                                     << "hbm_sizes"
                                     << "[32 GiB"
                                     << "cannot read";
        QTest::newRow("choice") << "search"
                                << "strategy"
                                << "random"
                                << "is not one of";
    }

    void invalidEdits()
    {
        QFETCH(QString, section);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        const Result<ProjectSpec> e = editProjectField(defaultProject(), section.toStdString(),
                                                       key.toStdString(), value.toStdString());
        QVERIFY(!e.value);
        const QString text = QString::fromStdString(formatAll(e.diagnostics));
        QVERIFY2(text.contains(message), qPrintable(text));
        QVERIFY(text.startsWith(u"edit: "_s));
    }
};

QTEST_APPLESS_MAIN(TestProjectEdit)
#include "test_projectedit.moc"
