// Every example project (and the bundled default project) loads, checks, round-trips, and
// evaluates: its fixed architecture (tpuv4 when it has none) trains every model, with a
// throughput below the peak-compute bound.

#include <QtTest>

#include "core/io/systemevaluate.h"

#include <filesystem>

#include "core/io/projectcheck.h"
#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"

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

    void evaluates_data() { loads_data(); }

    void evaluates()
    {
        QFETCH(QString, path);
        const Result<ProjectSpec> load = loadProjectFile(path.toStdString());
        QVERIFY(load.value);
        const std::filesystem::path p(path.toStdString());
        if (load.value->training.profile == ModelProfile::System) {
            // Evaluated on its fixed architecture: a layout for every model, within memory.
            const Result<SystemEvaluation> e =
                evaluateSystemProject(*load.value, p.parent_path().string());
            QVERIFY2(e.ok(), e.message.c_str());
            QCOMPARE(e.value->models.size(), load.value->models.size());
            for (const SystemModelOutcome &m : e.value->models) {
                QVERIFY2(hasAnswer(m.status), m.message.c_str());
                const TrainingEstimate &t = m.result.best.estimate;
                QVERIFY(t.iterationTime > 0.0 && t.fits);
                QVERIFY(t.memory.total() <= load.value->architecture->config.hbmBytes);
                QCOMPARE(m.result.best.layout.devices(),
                         static_cast<long long>(load.value->training.accelerators));
            }
            return;
        }
        CodesignOptions options;
        options.architecture = load.value->architecture ? load.value->architecture->config
                                                        : findAcceleratorPreset("tpuv4")->config;
        options.baselines = false;
        options.threads = 1;
        const Result<CodesignResult> r =
            runCodesign(*load.value, p.parent_path().string(), options);
        QVERIFY2(r.hasValue(), r.message.c_str());
        const SearchResult &search = r.value->search;
        QCOMPARE(search.evaluations.size(), load.value->training.hbmSizes.size());
        QVERIFY2(search.best, search.evaluations.front().message.c_str());
        const Evaluation &best = search.evaluations[*search.best];
        QVERIFY(best.throughput > 0.0);
        QCOMPARE(best.models.size(), load.value->models.size());
        for (const ModelOutcome &m : best.models) {
            QVERIFY2(m.throughput > 0.0, m.message.c_str());
            QVERIFY(m.memoryPerDevice <= best.config.hbmBytes);
            int devicesPerPipeline = 0;
            for (const StageChoice &stage : m.stages)
                devicesPerPipeline += stage.devices;
            QCOMPARE(int(m.stages.size()), m.pipelineStages);
            QVERIFY(m.dataParallel * devicesPerPipeline <= load.value->training.accelerators);
        }
    }

    void loads()
    {
        QFETCH(QString, path);
        const Result<ProjectSpec> load = loadProjectFile(path.toStdString());
        QVERIFY2(load.value, formatAll(load.diagnostics).c_str());
        const std::filesystem::path p(path.toStdString());
        const ProjectCheck check =
            checkProject(*load.value, p.filename().string(), p.parent_path().string());
        QVERIFY2(check.errors.empty(), formatAll(check.errors).c_str());
        QCOMPARE(check.models.size(), load.value->models.size());
        for (const ModelSummary &m : check.models)
            QVERIFY(m.parameters > 0);
        const Result<ProjectSpec> again =
            loadProjectText(saveProjectText(*load.value), "again.yaml", p.parent_path().string());
        QVERIFY2(again.value, formatAll(again.diagnostics).c_str());
        QVERIFY(*again.value == *load.value);
    }
};

QTEST_APPLESS_MAIN(TestExamples)
#include "test_examples.moc"
