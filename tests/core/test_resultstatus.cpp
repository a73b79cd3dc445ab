// The one shape of engine calls (docs/architecture.md, "Engine calls"): f(input, options,
// progress, cancel) -> Result<T> whose top-level status is the true one. One test per status at
// the entry points that can give it; the scheduler's time limit and gap tolerance are covered
// in test_schedule_limits.

#include <QtTest>

#include <filesystem>
#include <fstream>

#include "core/base/status.h"
#include "core/cost/costmodel.h"
#include "core/io/phazejson.h"
#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"
#include "core/io/searchjson.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"
#include "core/placement/placement.h"
#include "core/schedule/layerscheduler.h"

using namespace phaze;

namespace {

const std::string kExamples = PHAZE_SOURCE_DIR "/examples";

ProjectSpec quickProject()
{
    return *loadProjectFile(kExamples + "/quick-search.yaml").value;
}

// The quick project on the tpuv4 preset only: one architecture, a few seconds at most.
CodesignOptions onePoint()
{
    CodesignOptions options;
    options.threads = 2;
    options.baselines = false;
    options.architecture = findAcceleratorPreset("tpuv4")->config;
    return options;
}

} // namespace

class TestResultStatus : public QObject
{
    Q_OBJECT

private slots:
    void statusesHaveNamesAndAnswers()
    {
        QCOMPARE(std::string(statusName(Status::TimeLimit)), std::string("time_limit"));
        QVERIFY(hasAnswer(Status::Optimal) && hasAnswer(Status::Feasible) &&
                hasAnswer(Status::TimeLimit));
        QVERIFY(!hasAnswer(Status::Infeasible) && !hasAnswer(Status::Cancelled) &&
                !hasAnswer(Status::Error));
        const Result<int> limited = Result<int>::timeLimit(3, 0.25);
        QVERIFY(limited.ok());
        QCOMPARE(*limited.value, 3);
        QCOMPARE(*limited.gap, 0.25);
        // An evaluation stopped by a time limit survives a journal line.
        Evaluation e;
        e.status = Status::TimeLimit;
        e.message = "layer x: schedule not proven optimal within the ILP time limit";
        const auto back = evaluationFromJson(evaluationToJson(e));
        QVERIFY(back);
        QCOMPARE(back->status, Status::TimeLimit);
        QVERIFY(back->feasible());
    }

    void errorsKeepTheirDiagnostics()
    {
        const Diagnostics d = {{"a.json", 3, 7, "layers[0]", "bad"}, {"a.json", 9, 1, "", "worse"}};
        const Result<int> r = Result<int>::error(d);
        QCOMPARE(r.status, Status::Error);
        QCOMPARE(r.diagnostics.size(), std::size_t(2));
        QCOMPARE(r.message, formatAll(d));
        QCOMPARE(Result<int>::error(d, "summary").message, std::string("summary"));
    }

    void codesignOptimal()
    {
        const Result<CodesignResult> r = runCodesign(quickProject(), kExamples, onePoint());
        QCOMPARE(r.status, Status::Optimal);
        QVERIFY(r.value && r.value->search.best);
        QCOMPARE(r.value->search.status, Status::Optimal);
        QVERIFY(r.value->evaluator); // what scored it comes with it
        QVERIFY(!r.value->fingerprint.empty());
    }

    // Nothing fits in 1 MiB of HBM: the true status is Infeasible (it used to be an outer
    // Optimal with the reason hidden inside), and the result says why.
    void codesignInfeasible()
    {
        ProjectSpec project = quickProject();
        project.training.hbmSizes = {double(1 << 20)};
        const Result<CodesignResult> r = runCodesign(project, kExamples, onePoint());
        QCOMPARE(r.status, Status::Infeasible);
        QVERIFY(r.value);
        QVERIFY(!r.value->search.best);
        QVERIFY2(!r.message.empty(), r.message.c_str());
        QCOMPARE(r.message, r.value->search.message);
    }

    void codesignCancelledKeepsThePartialResult()
    {
        CancelToken cancel = CancelToken::create();
        cancel.cancel();
        const Result<CodesignResult> r = runCodesign(quickProject(), kExamples, onePoint(), {},
                                                     cancel);
        QCOMPARE(r.status, Status::Cancelled);
        QVERIFY(r.value);
        QCOMPARE(r.value->search.status, Status::Cancelled);
    }

    // A model file that does not parse: Error, with the loader's located diagnostic.
    void codesignErrorNamesTheFileAndLine()
    {
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        std::ofstream(base + "/broken.json") << "{\n  \"format\": \"phaze-operator-graph\",\n  ]\n";
        ProjectSpec project = quickProject();
        project.models = {ModelRef{"", "broken.json", 0, {}, ""}};
        const Result<CodesignResult> r = runCodesign(project, base, onePoint());
        QCOMPARE(r.status, Status::Error);
        QVERIFY(!r.value);
        QVERIFY(!r.diagnostics.empty());
        const Diagnostic &d = r.diagnostics.front();
        QVERIFY2(d.file.find("broken.json") != std::string::npos, d.format().c_str());
        QCOMPARE(d.line, 3);
        QVERIFY2(r.message.find("broken.json") != std::string::npos, r.message.c_str());
    }

    void scheduleModelCancelledSaysSo()
    {
        const TransformerSpec *spec = findZooModel("gpt2-xl");
        QVERIFY(spec);
        const Result<ModelGraph> built = buildTransformer(*spec, GraphBuildOptions{});
        QVERIFY(built.hasValue());
        const ModelGraph &graph = *built.value;
        const CostModel costs;
        const LayerScheduler scheduler(costs, nullptr);
        CancelToken cancel = CancelToken::create();
        cancel.cancel();
        const Result<std::vector<LayerScheduleEntry>> r =
            scheduler.scheduleModel(graph, AcceleratorConfig{}, {}, cancel);
        // Said by the status, not by missing entries.
        QCOMPARE(r.status, Status::Cancelled);
        QVERIFY(r.value);
        QVERIFY(r.value->size() < graph.distinctLayers().size());
        const Result<std::vector<LayerScheduleEntry>> all =
            scheduler.scheduleModel(graph, AcceleratorConfig{});
        QCOMPARE(all.status, Status::Optimal);
        QCOMPARE(all.value->size(), graph.distinctLayers().size());
    }

    void placementOptimalAndInfeasible()
    {
        Diagnostics errors;
        const auto diamond =
            loadPhazeInput(PHAZE_TEST_DATA_DIR "/placement/diamond.json", errors);
        QVERIFY(diamond);
        QCOMPARE(place(*diamond, {}).status, Status::Optimal);
        const auto tight = loadPhazeInput(PHAZE_TEST_DATA_DIR "/placement/infeasible.json", errors);
        QVERIFY(tight);
        const Result<Placement> r = place(*tight, {});
        QCOMPARE(r.status, Status::Infeasible);
        QVERIFY(!r.message.empty());
    }
};

QTEST_GUILESS_MAIN(TestResultStatus)
#include "test_resultstatus.moc"
