// The system profile in project files and `phaze evaluate`: the cluster: and strategy:
// sections, the layout search against brute force, and one number per question (the example
// of the published Selene run evaluates to what `phaze validate` predicts for that run).

#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "core/evaluation/placementreplay.h"
#include "core/io/projectfile.h"
#include "core/io/projectprepare.h"
#include "core/io/projectsearch.h"
#include "core/io/systemevaluate.h"
#include "core/io/validationfile.h"
#include "core/model/modelzoo.h"

using namespace phaze;

namespace {

const char *kProject = R"(models: [gpt2-xl]
architecture: a100-sxm4-80gb
training: {profile: system, accelerators: 16, global_batch: 64, microbatch_sizes: [1, 2], optimizer: adam}
cluster: {preset: dgx-a100, inter_node_bandwidth: 50 GB/s}
strategy: {recomputation: [none, full]}
)";

} // namespace

class TestSystemProject : public QObject
{
    Q_OBJECT

private slots:
    void sectionsReadAndRoundTrip()
    {
        const Result<ProjectSpec> load = loadProjectText(kProject, "p.yaml");
        QVERIFY2(load.ok(), load.message.c_str());
        const ProjectSpec &p = *load.value;
        QCOMPARE(p.training.profile, ModelProfile::System);
        QCOMPARE(p.cluster.preset, std::string("dgx-a100"));
        QCOMPARE(p.cluster.interNode.bandwidth, 50e9);
        QCOMPARE(p.cluster.intraNode.bandwidth, 300e9);
        QCOMPARE(p.strategy.recomputation.size(), std::size_t(2));
        QCOMPARE(p.strategy.recomputation[1], Recomputation::Full);
        const std::string text = saveProjectText(p);
        QVERIFY2(text.find("inter_node_bandwidth: 50 GB/s") != std::string::npos, text.c_str());
        const Result<ProjectSpec> again = loadProjectText(text, "again.yaml");
        QVERIFY2(again.ok(), again.message.c_str());
        QVERIFY(*again.value == p);
    }

    void systemSectionsNeedTheSystemProfile()
    {
        const Result<ProjectSpec> load = loadProjectText(
            "models: [gpt2-xl]\ntraining: {profile: phaze}\nstrategy: {tp: 2}\n", "p.yaml");
        QCOMPARE(load.status, Status::Error);
        QVERIFY2(formatAll(load.diagnostics)
                         .find("p.yaml:3:11: strategy: strategy: applies to "
                               "the system profile") != std::string::npos,
                 formatAll(load.diagnostics).c_str());
        // Each profile's training keys are refused under the other, naming what replaces them.
        const Result<ProjectSpec> phazeKey =
            loadProjectText("models: [gpt2-xl]\ntraining:\n  link_bandwidth: 4 GiB/s\n", "p.yaml");
        QCOMPARE(phazeKey.status, Status::Error);
        QVERIFY2(formatAll(phazeKey.diagnostics).find("p.yaml:3:3: training.link_bandwidth") !=
                         std::string::npos &&
                     formatAll(phazeKey.diagnostics).find("cluster:") != std::string::npos,
                 formatAll(phazeKey.diagnostics).c_str());
        const Result<ProjectSpec> systemKey = loadProjectText(
            "models: [gpt2-xl]\ntraining: {profile: phaze, precision: fp32}\n", "p.yaml");
        QCOMPARE(systemKey.status, Status::Error);
        QVERIFY2(formatAll(systemKey.diagnostics)
                         .find("training.precision: applies to the system "
                               "profile") != std::string::npos,
                 formatAll(systemKey.diagnostics).c_str());
        // The system profile is the default: a project that does not name one may have them.
        const Result<ProjectSpec> byDefault =
            loadProjectText("models: [gpt2-xl]\nstrategy: {tp: 2}\n", "p.yaml");
        QVERIFY2(byDefault.ok(), byDefault.message.c_str());
        QCOMPARE(byDefault.value->training.profile, ModelProfile::System);
        QCOMPARE(byDefault.value->strategy.tensor, std::vector<int>{2});
        const Result<ProjectSpec> preset = loadProjectText(
            "models: [gpt2-xl]\ntraining: {profile: system}\ncluster: dgx-z\n", "p.yaml");
        QCOMPARE(preset.status, Status::Error);
        QVERIFY(
            formatAll(preset.diagnostics).find("p.yaml:3:10: cluster: unknown cluster preset") !=
            std::string::npos);
        const Result<ProjectSpec> choice = loadProjectText(
            "models: [gpt2-xl]\ntraining: {profile: system}\nstrategy: {recomputation: [some]}\n",
            "p.yaml");
        QVERIFY(formatAll(choice.diagnostics).find("strategy.recomputation[0]") !=
                std::string::npos);
    }

    // A parametric transformer in a project is the validation file's model: the same layout
    // gives the same number.
    void parametricModelIsTheValidationModel()
    {
        const char *text = R"(models:
  - name: megatron-22b
    transformer: {layers: 48, hidden: 6144, heads: 64, ffn: 24576, sequence: 2048, vocabulary: 51200}
architecture: a100-sxm4-80gb
training: {profile: system, accelerators: 8, global_batch: 4, optimizer: adam}
cluster: dgx-a100
strategy: {tp: 8, pp: 1, microbatch: 4, recomputation: full, sequence_parallel: false}
)";
        const Result<ProjectSpec> load = loadProjectText(text, "p.yaml");
        QVERIFY2(load.ok(), load.message.c_str());
        QVERIFY(load.value->models.front().transformer);
        QCOMPARE(load.value->models.front().label(), std::string("megatron-22b"));
        const Result<ProjectSpec> again = loadProjectText(saveProjectText(*load.value), "a.yaml");
        QVERIFY2(again.ok(), again.message.c_str());
        QVERIFY(*again.value == *load.value);
        const Result<SystemEvaluation> e = evaluateSystemProject(*load.value, "");
        QVERIFY2(e.ok(), e.message.c_str());
        const Result<ValidationSuite> suite = loadValidationFile(
            PHAZE_SOURCE_DIR "/tests/data/validation/korthikanti2022-selene.yaml");
        QVERIFY(suite.ok());
        for (const ValidationRun &r : suite.value->runs) {
            if (r.name != "22b-full")
                continue;
            const Result<TrainingEstimate> predicted =
                estimateTraining(r.problem, CostModel::realistic(technologyForChip(
                                                defaultTechnology(), r.chipPreset)));
            QVERIFY(predicted.ok());
            QCOMPARE(e.value->models.front().result.best.estimate.iterationTime,
                     predicted.value->iterationTime);
        }
        // A parametric model needs a name and takes no zoo:, and its keys are checked.
        const Result<ProjectSpec> unnamed = loadProjectText(
            "models: [{transformer: {layers: 2, hidden: 64, heads: 4, ffn: 256, sequence: 16, "
            "vocabulary: 100}}]\n",
            "p.yaml");
        QVERIFY(formatAll(unnamed.diagnostics).find("needs a name") != std::string::npos);
        const Result<ProjectSpec> typo = loadProjectText(
            "models: [{name: m, transformer: {layers: 2, hidden: 64, heads: 4, ffn: 256, "
            "sequence: 16, vocabulary: 100, hiden: 3}}]\n",
            "p.yaml");
        QVERIFY2(formatAll(typo.diagnostics).find("p.yaml:1:") != std::string::npos &&
                     formatAll(typo.diagnostics).find("hiden") != std::string::npos,
                 formatAll(typo.diagnostics).c_str());
    }

    // The search scores every layout: its best is the minimum over a brute-force enumeration.
    void layoutSearchIsTheBruteForceMinimum()
    {
        LayoutSearchProblem p;
        p.model = *findZooModel("gpt2-xl");
        p.chip = findAcceleratorPreset("a100-sxm4-80gb")->config;
        p.chip.hbmBytes = 16.0 * (1ull << 30); // so that memory rules some layouts out
        p.cluster = defaultCluster();
        p.devices = 16;
        p.globalBatch = 64;
        p.microbatchSizes = {1, 2, 4};
        const CostModel costs;
        const Result<LayoutSearchResult> r = searchLayouts(p, costs);
        QVERIFY2(r.ok(), r.message.c_str());
        double best = 1e300;
        long long fits = 0;
        for (int t : {1, 2, 4, 5, 8})
            for (int pp = 1; pp <= 16; ++pp)
                for (int b : {1, 2, 4})
                    for (Recomputation rec :
                         {Recomputation::None, Recomputation::Selective, Recomputation::Full})
                        for (bool sp : {false, true}) {
                            if (16 % (t * pp) != 0 || (sp && t == 1))
                                continue;
                            TrainingProblem q;
                            q.model = p.model;
                            q.chip = p.chip;
                            q.cluster = p.cluster;
                            q.recipe.recomputation = rec;
                            q.recipe.sequenceParallel = sp;
                            q.layout = {t, pp, 16 / (t * pp), b, 64, 1, 1};
                            const Result<TrainingEstimate> e = estimateTraining(q, costs);
                            if (e.ok() && e.value->fits) {
                                ++fits;
                                best = std::min(best, e.value->iterationTime);
                            }
                        }
        QVERIFY(fits > 0);
        QCOMPARE(r.value->best.estimate.iterationTime, best);
        QCOMPARE(r.value->evaluated - r.value->outOfMemory, fits);
        QVERIFY(r.value->outOfMemory > 0);
        // Nothing fits in 1 GiB: infeasible, saying why.
        p.chip.hbmBytes = 1.0 * (1ull << 30);
        const Result<LayoutSearchResult> none = searchLayouts(p, costs);
        QCOMPARE(none.status, Status::Infeasible);
        QVERIFY(none.message.find("fits in the device memory") != std::string::npos);
        // A fully fixed layout that cannot run is the user's error, with the reason.
        p.strategy.tensor = {3};
        p.strategy.pipeline = {1};
        p.strategy.microbatch = {1};
        p.strategy.recomputation = {Recomputation::None};
        p.strategy.sequenceParallel = {false};
        const Result<LayoutSearchResult> bad = searchLayouts(p, costs);
        QCOMPARE(bad.status, Status::Error);
        QVERIFY2(bad.message.find("does not divide the 16 accelerators") != std::string::npos,
                 bad.message.c_str());
    }

    // One number per question: the Selene example and the validation run of the same layout.
    void evaluateIsWhatValidatePredicts()
    {
        const Result<ProjectSpec> load =
            loadProjectFile(PHAZE_SOURCE_DIR "/examples/gpt3-175b-selene.yaml");
        QVERIFY2(load.ok(), load.message.c_str());
        const Result<SystemEvaluation> e =
            evaluateSystemProject(*load.value, PHAZE_SOURCE_DIR "/examples");
        QVERIFY2(e.ok(), e.message.c_str());
        const Result<ValidationSuite> suite = loadValidationFile(
            PHAZE_SOURCE_DIR "/tests/data/validation/korthikanti2022-selene.yaml");
        QVERIFY(suite.ok());
        const ValidationRun *run = nullptr;
        for (const ValidationRun &r : suite.value->runs)
            if (r.name == "175b-seq-selective")
                run = &r;
        QVERIFY(run);
        const Result<TrainingEstimate> predicted =
            estimateTraining(run->problem, CostModel::realistic(technologyForChip(
                                               defaultTechnology(), run->chipPreset)));
        QVERIFY(predicted.ok());
        const TrainingEstimate &evaluated = e.value->models.front().result.best.estimate;
        QCOMPARE(evaluated.iterationTime, predicted.value->iterationTime);
        QCOMPARE(evaluated.memory.total(), predicted.value->memory.total());
        // The JSON carries the same number and a breakdown that adds up to it.
        const nlohmann::json j = nlohmann::json::parse(systemEvaluationJson(*e.value));
        const nlohmann::json &m = j["models"][0];
        QCOMPARE(m["iteration_time_s"].get<double>(), evaluated.iterationTime);
        QCOMPARE(m["layout"]["interleave"].get<int>(), 3);
        double sum = 0.0;
        for (const auto &[key, value] : m["time_s"].items())
            sum += value.get<double>();
        QVERIFY(std::fabs(sum - evaluated.iterationTime) < 1e-9 * sum);
        // The schedule it shows (Pipeline tab, trace) ends at that time: every stage's last
        // operation, the latest at exactly the iteration time.
        QVERIFY(!evaluated.timeline.empty());
        double end = 0.0;
        for (const TimelineEvent &ev : evaluated.timeline)
            end = std::max(end, ev.end);
        QCOMPARE(end, evaluated.iterationTime);
        QVERIFY(predicted.value->timeline.empty()); // kept only when asked for
    }

    // One number per question on every system-profile example: what the search ranks (its
    // evaluation of the project's chip), what `phaze evaluate` prints, what the Pipeline tab's
    // replay simulates and where the trace ends are the same time per iteration.
    void searchEvaluateReplayAndTraceAgree()
    {
        int examples = 0;
        for (const auto &entry :
             std::filesystem::directory_iterator(PHAZE_SOURCE_DIR "/examples")) {
            if (entry.path().extension() != ".yaml")
                continue;
            const Result<ProjectSpec> load = loadProjectFile(entry.path().string());
            QVERIFY2(load.ok(), load.message.c_str());
            if (load.value->training.profile != ModelProfile::System)
                continue;
            ++examples;
            const ProjectSpec &project = *load.value;
            const std::string dir = entry.path().parent_path().string();
            const Result<SystemEvaluation> evaluated = evaluateSystemProject(project, dir);
            QVERIFY2(evaluated.ok(), evaluated.message.c_str());

            CodesignOptions options;
            options.architecture = project.architecture->config;
            options.baselines = false;
            options.threads = 1;
            const Result<CodesignResult> searched = runCodesign(project, dir, options);
            QVERIFY2(searched.hasValue(), searched.message.c_str());
            // The evaluation at the chip's own HBM size (the search also tries the others).
            const Evaluation *atChip = nullptr;
            for (const Evaluation &e : searched.value->search.evaluations)
                if (e.config.hbmBytes == project.architecture->config.hbmBytes)
                    atChip = &e;
            QVERIFY(atChip && atChip->feasible());

            const Result<std::shared_ptr<const PreparedProject>> prepared =
                prepareProject(project, dir);
            QVERIFY(prepared.hasValue());
            const Evaluator evaluator(*prepared.value);
            for (std::size_t i = 0; i < project.models.size(); ++i) {
                const TrainingEstimate &best = evaluated.value->models[i].result.best.estimate;
                const ModelOutcome &ranked = atChip->models[i];
                QCOMPARE(ranked.timePerBatch, best.iterationTime);
                QCOMPARE(ranked.throughput,
                         double(project.training.globalBatch) / best.iterationTime);
                QCOMPARE(ranked.tensorParallel,
                         evaluated.value->models[i].result.best.layout.tensor);
                const Result<PlacementReplay> replay = replayPlacement(evaluator, *atChip, i);
                QVERIFY2(replay.hasValue(), replay.message.c_str());
                QCOMPARE(replay.value->timeline.makespan, best.iterationTime);
                double end = 0.0;
                for (const TimelineEvent &ev : replay.value->timeline.events)
                    end = std::max(end, ev.end);
                QCOMPARE(end, best.iterationTime);
                QCOMPARE(replay.value->timeline.events.size(), best.timeline.size());
                QCOMPARE(int(replay.value->placement.stages.size()), ranked.pipelineStages);
                // The stages hold every layer of the model once (with model chunks a stage's
                // layers are not contiguous).
                std::vector<int> layers;
                for (const PlacedStage &st : replay.value->placement.stages)
                    layers.insert(layers.end(), st.layers.begin(), st.layers.end());
                const TransformerSpec *spec = transformerOf(project.models[i]);
                QVERIFY(spec);
                QCOMPARE(int(layers.size()), spec->layers + 2); // embedding, blocks, head
                std::sort(layers.begin(), layers.end());
                QVERIFY(std::adjacent_find(layers.begin(), layers.end()) == layers.end());
            }
        }
        QCOMPARE(examples, 4);
    }
};

QTEST_APPLESS_MAIN(TestSystemProject)
#include "test_systemproject.moc"
