// Every example project (and the bundled default project) loads, checks and round-trips.

#include <QtTest>

#include <filesystem>

#include "core/io/projectcheck.h"
#include "core/io/projectfile.h"

using namespace phaze;

class TestExamples : public QObject
{
    Q_OBJECT

private slots:
    void loads_data()
    {
        QTest::addColumn<QString>("path");
        int count = 0;
        for (const auto &entry :
             std::filesystem::directory_iterator(PHAZE_SOURCE_DIR "/examples")) {
            if (entry.path().extension() != ".yaml")
                continue;
            QTest::newRow(entry.path().filename().string().c_str())
                << QString::fromStdString(entry.path().string());
            ++count;
        }
        QTest::newRow("default-project") << PHAZE_SOURCE_DIR "/resources/default-project.yaml";
        QVERIFY(count >= 10);
    }

    void loads()
    {
        QFETCH(QString, path);
        const ProjectLoad load = loadProjectFile(path.toStdString());
        QVERIFY2(load.project, formatAll(load.errors).c_str());
        const std::filesystem::path p(path.toStdString());
        const ProjectCheck check =
            checkProject(*load.project, p.filename().string(), p.parent_path().string());
        QVERIFY2(check.errors.empty(), formatAll(check.errors).c_str());
        QCOMPARE(check.models.size(), load.project->models.size());
        for (const ModelSummary &m : check.models)
            QVERIFY(m.parameters > 0);
        const ProjectLoad again =
            loadProjectText(saveProjectText(*load.project), "again.yaml", p.parent_path().string());
        QVERIFY2(again.project, formatAll(again.errors).c_str());
        QVERIFY(*again.project == *load.project);
    }
};

QTEST_APPLESS_MAIN(TestExamples)
#include "test_examples.moc"
