// The co-design evaluator and search on real models: bounds are valid, the exact search finds
// the brute-force best, thread counts and shards do not change the result, and each reported
// strategy is consistent with the training knobs.

#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "core/arch/areamodel.h"
#include "core/evaluation/evaluator.h"
#include "core/io/projectfile.h"
#include "core/io/projectprepare.h"
#include "core/io/savedresults.h"
#include "core/io/projectsearch.h"
#include "core/io/searchjson.h"
#include "tests/support/testtiming.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

ProjectSpec quickProject()
{
    const Result<ProjectSpec> load =
        loadProjectFile(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");
    return *load.value;
}

} // namespace

class TestCodesign : public QObject
{
    Q_OBJECT

private slots:
    // The default space (23,142 architectures) at 433 HBM sizes is 10,020,486 candidates, just
    // over the limit of 10^7: refused with the numbers, before anything is allocated (432 sizes
    // would fit, but would take about a gigabyte to hold).
    void candidateListIsLimited()
    {
        ProjectSpec project = quickProject();
        project.space = ArchSpaceSpec{};
        project.training.hbmSizes = {16.0 * (1ull << 30), 32.0 * (1ull << 30)};
        const auto fits = buildCandidates(project, PHAZE_SOURCE_DIR "/examples");
        QVERIFY2(fits.hasValue(), fits.message.c_str());
        QCOMPARE(fits.value->size(), std::size_t(2 * 23142));
        project.training.hbmSizes.clear();
        for (int i = 1; i <= 433; ++i)
            project.training.hbmSizes.push_back(double(i) * (1ull << 30));
        const auto over = buildCandidates(project, PHAZE_SOURCE_DIR "/examples");
        QVERIFY(!over.hasValue());
        QVERIFY2(over.message.find("23142 architectures x 433 HBM sizes") != std::string::npos &&
                     over.message.find("10000000") != std::string::npos,
                 over.message.c_str());
    }

    void boundsAreValidAndStrategiesConsistent()
    {
        const ProjectSpec project = quickProject();
        auto candidates = buildCandidates(project, PHAZE_SOURCE_DIR "/examples");
        QVERIFY2(candidates.hasValue(), candidates.message.c_str());
        QCOMPARE(candidates.value->size(), size_t(80));
        const Result<std::shared_ptr<const PreparedProject>> prepared =
            prepareProject(project, PHAZE_SOURCE_DIR "/examples");
        QVERIFY2(prepared.value, prepared.message.c_str());
        Evaluator evaluator(*prepared.value);
        double tightest = 0.0;
        for (const Candidate &c : *candidates.value) {
            const Evaluation e = evaluator.evaluate(c);
            const double bound = evaluator.upperBound(c);
            QVERIFY(e.feasible());
            QVERIFY2(
                bound >= e.throughput * (1 - 1e-12),
                qPrintable(u"candidate %1: bound %2 < throughput %3"_s.arg(c.index).arg(bound).arg(
                    e.throughput)));
            tightest = std::max(tightest, e.throughput / bound);
            const ModelOutcome &m = e.models.front();
            QVERIFY(m.dataParallel * m.pipelineStages * m.tensorParallel <=
                    project.training.accelerators);
            QVERIFY(m.memoryPerDevice <= c.config.hbmBytes);
            QCOMPARE(m.throughput, double(project.training.globalBatch) / m.timePerBatch);
            QCOMPARE(int(m.stages.size()), m.pipelineStages);
            QVERIFY(m.energyPerSample > 0);
        }
        qInfo("tightest bound ratio (throughput / bound): %.3f", tightest);
        QVERIFY(tightest > 0.5); // the bound is useful for pruning
    }

    // The system profile's bound (devices x peak / GEMM FLOPs per sample) holds on every
    // 100th candidate of the bundled project's space (small and large chips, 80 GiB), and an
    // exact search of a shard finds what evaluating all of it finds, pruning most of it.
    void systemProfileBoundIsValid()
    {
        const Result<ProjectSpec> load =
            loadProjectFile(PHAZE_SOURCE_DIR "/resources/default-project.yaml");
        QVERIFY2(load.ok(), load.message.c_str());
        const ProjectSpec &project = *load.value;
        QCOMPARE(project.training.profile, ModelProfile::System);
        auto candidates = buildCandidates(project, PHAZE_SOURCE_DIR "/resources");
        QVERIFY2(candidates.hasValue(), candidates.message.c_str());
        const Result<std::shared_ptr<const PreparedProject>> prepared =
            prepareProject(project, PHAZE_SOURCE_DIR "/resources");
        QVERIFY2(prepared.value, prepared.message.c_str());
        Evaluator evaluator(*prepared.value);
        double tightest = 0.0;
        int feasible = 0;
        for (std::size_t i = 0; i < candidates.value->size(); i += 100) {
            const Candidate &c = (*candidates.value)[i];
            const Evaluation e = evaluator.evaluate(c);
            const double bound = evaluator.upperBound(c);
            QVERIFY(std::isfinite(bound));
            QVERIFY2(bound >= e.throughput,
                     qPrintable(u"candidate %1: bound %2 < throughput %3"_s.arg(c.index)
                                    .arg(bound).arg(e.throughput)));
            if (e.feasible()) {
                ++feasible;
                tightest = std::max(tightest, e.throughput / bound);
            }
        }
        qInfo("%d feasible; tightest bound ratio (throughput / bound): %.3f", feasible, tightest);
        QVERIFY(feasible > 100);
        QVERIFY(tightest > 0.3); // useful for pruning

        CodesignOptions options;
        options.baselines = false;
        options.threads = 2;
        options.shardIndex = 3;
        options.shardCount = 40;
        const auto searched = runCodesign(project, PHAZE_SOURCE_DIR "/resources", options);
        QVERIFY2(searched.hasValue(), searched.message.c_str());
        const SearchResult &r = searched.value->search;
        QVERIFY(r.best);
        QVERIFY(r.counts.pruned > r.counts.total / 2);
        double bruteForce = 0.0;
        for (std::size_t i = 0; i < candidates.value->size(); ++i) {
            if (int(i % 40) != 3)
                continue;
            const Evaluation e = evaluator.evaluate((*candidates.value)[i]);
            if (e.feasible())
                bruteForce = std::max(bruteForce, e.throughput);
        }
        QCOMPARE(r.evaluations[*r.best].throughput, bruteForce);
    }

    void exactSearchFindsTheBruteForceBest()
    {
        const ProjectSpec project = quickProject();
        CodesignOptions options;
        options.baselines = false;
        const auto exact = runCodesign(project, PHAZE_SOURCE_DIR "/examples", options);
        QVERIFY2(exact.hasValue(), exact.message.c_str());
        const SearchResult &r = exact.value->search;
        QVERIFY(r.best);
        QVERIFY(r.counts.pruned > 0);
        const Result<std::shared_ptr<const PreparedProject>> prepared =
            prepareProject(project, PHAZE_SOURCE_DIR "/examples");
        QVERIFY2(prepared.value, prepared.message.c_str());
        Evaluator evaluator(*prepared.value);
        double bruteBest = 0.0;
        for (const Candidate &c : exact.value->candidates)
            bruteBest = std::max(bruteBest, evaluator.evaluate(c).throughput);
        QCOMPARE(r.evaluations[*r.best].throughput, bruteBest);
    }

    void threadsAndShardsGiveTheSameResult()
    {
        const ProjectSpec project = quickProject();
        CodesignOptions one, two;
        one.threads = 1;
        two.threads = 2;
        one.baselines = two.baselines = false;
        const auto a = runCodesign(project, PHAZE_SOURCE_DIR "/examples", one);
        const auto b = runCodesign(project, PHAZE_SOURCE_DIR "/examples", two);
        QCOMPARE(searchResultToCsv(a.value->search), searchResultToCsv(b.value->search));
        SearchResult merged;
        for (int shard = 0; shard < 3; ++shard) {
            CodesignOptions part = one;
            part.shardIndex = shard;
            part.shardCount = 3;
            const auto r = runCodesign(project, PHAZE_SOURCE_DIR "/examples", part);
            QVERIFY(r.hasValue());
            for (const Evaluation &e : r.value->search.evaluations)
                merged.evaluations.push_back(e);
        }
        std::sort(
            merged.evaluations.begin(), merged.evaluations.end(),
            [](const Evaluation &x, const Evaluation &y) { return x.candidate < y.candidate; });
        finishResult(merged);
        const SearchResult &single = a.value->search;
        QCOMPARE(merged.evaluations[*merged.best].candidate,
                 single.evaluations[*single.best].candidate);
        QCOMPARE(merged.evaluations[*merged.best].throughput,
                 single.evaluations[*single.best].throughput);
    }

    void baselinesAndGains()
    {
        const ProjectSpec project = quickProject();
        const auto r = runCodesign(project, PHAZE_SOURCE_DIR "/examples", {});
        QVERIFY(r.hasValue());
        QCOMPARE(r.value->baselines.size(), size_t(3));
        const double best = r.value->search.evaluations[*r.value->search.best].throughput;
        for (const Baseline &b : r.value->baselines)
            if (b.throughput)
                QVERIFY2(*b.throughput <= best * (1 + 1e-12), b.name.c_str());
        QVERIFY(r.value->baselines[0].throughput); // tpuv4 + DP is always placeable here
        const std::string json = searchResultToJson(r.value->search, codesignExtraJson(*r.value));
        QVERIFY(json.find("\"baselines\"") != std::string::npos);
        QVERIFY(json.find("\"gain\"") != std::string::npos);
        QVERIFY(json.find("\"throughput_vs_area\"") != std::string::npos);
        // The fixed strategy runs on the DP baseline's chip, which it names though it has no
        // evaluation of its own; a saved result keeps it.
        const Baseline &dp = r.value->baselines[0], &fixed = r.value->baselines[1];
        QCOMPARE(fixed.name, std::string("tpuv4 + fixed strategy"));
        QVERIFY(!fixed.evaluation && fixed.chip && dp.evaluation);
        QVERIFY(fixed.chip->config == dp.evaluation->config);
        QCOMPARE(fixed.chip->areaMm2, dp.evaluation->areaMm2);
        QCOMPARE(fixed.chip->peakPowerW, dp.evaluation->peakPowerW);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("saved.json")).toStdString();
        QVERIFY(saveCodesignResult(*r.value, path).ok());
        const Result<CodesignResult> back = loadCodesignResult(path);
        QVERIFY2(back.value, back.message.c_str());
        QVERIFY(back.value->baselines[1].chip);
        QVERIFY(back.value->baselines[1].chip->config == fixed.chip->config);
        QCOMPARE(back.value->baselines[1].chip->areaMm2, fixed.chip->areaMm2);
    }

    // Every design carries each distinct layer's efficiency at its chosen layout, the figure the
    // Layer schedule tab gives for the pass: its FLOPs over its exact schedule's time over the
    // chip's peak, and its chip's area and power breakdowns; the result JSON keeps them.
    void everyDesignCarriesItsLayerEfficiencies()
    {
        const auto r = runCodesign(quickProject(), PHAZE_SOURCE_DIR "/examples", {});
        QVERIFY(r.hasValue());
        const TechnologyTable &tech = r.value->evaluator->technology();
        int designs = 0;
        for (const Evaluation &e : r.value->search.evaluations) {
            // The breakdowns of every evaluated design, feasible or not: the terms of its totals.
            QVERIFY(e.carriesChipBreakdown());
            QCOMPARE(e.area.total(), e.areaMm2);
            QCOMPARE(e.power.total(), e.peakPowerW);
            QCOMPARE(e.area.tcMacs, areaBreakdown(e.config, tech).tcMacs);
            QCOMPARE(e.power.tensorCores,
                     peakPowerBreakdown(e.config, tech, e.areaMm2).tensorCores);
            const std::optional<Evaluation> read = evaluationFromJson(evaluationToJson(e));
            QVERIFY(read);
            for (std::size_t i = 0; i < e.area.items().size(); ++i)
                QCOMPARE(read->area.items()[i].mm2, e.area.items()[i].mm2);
            for (std::size_t i = 0; i < e.power.items().size(); ++i)
                QCOMPARE(read->power.items()[i].watts, e.power.items()[i].watts);
            if (!e.feasible())
                continue;
            ++designs;
            const ModelOutcome &m = e.models.front();
            QCOMPARE(m.layerEfficiency.size(), std::size_t(3)); // embedding, block x24, head
            int layers = 0;
            for (const LayerEfficiency &l : m.layerEfficiency) {
                layers += l.count;
                QVERIFY2(l.forward > 0.0 && l.forward <= 1.0, l.layer.c_str());
                QVERIFY2(l.backward > 0.0 && l.backward <= 1.0, l.layer.c_str());
            }
            QCOMPARE(layers, 26);
            const std::optional<Evaluation> back = evaluationFromJson(evaluationToJson(e));
            QVERIFY(back);
            QCOMPARE(back->models.front().layerEfficiency.size(), m.layerEfficiency.size());
            QCOMPARE(back->models.front().layerEfficiency[1].backward,
                     m.layerEfficiency[1].backward);
        }
        QVERIFY(designs >= 10);
        // The best design's figures, by the schedules themselves.
        const Evaluation &best = r.value->search.evaluations[*r.value->search.best];
        const ModelOutcome &m = best.models.front();
        const Evaluator &evaluator = *r.value->evaluator;
        const ModelVariant *variant = nullptr;
        for (const ModelVariant &v : evaluator.models().front().variants)
            if (v.microbatch == m.microbatch && v.width == m.tensorParallel)
                variant = &v;
        QVERIFY(variant);
        const auto schedules = evaluator.layerSchedules(variant->graph, best.config, {});
        QVERIFY(schedules.hasValue());
        QCOMPARE(schedules.value->size(), m.layerEfficiency.size());
        const double peak = best.config.peakFlops();
        for (std::size_t i = 0; i < schedules.value->size(); ++i) {
            const LayerScheduleEntry &entry = (*schedules.value)[i];
            const LayerBody &body = *variant->graph.layers[std::size_t(entry.layer)].body;
            const LayerEfficiency &l = m.layerEfficiency[i];
            QCOMPARE(l.layer, entry.name);
            QCOMPARE(l.count, entry.occurrences);
            QCOMPARE(l.forward, body.flopsForward / entry.schedule.forward.latency() / peak);
            QCOMPARE(l.backward, body.flopsBackward / entry.schedule.backward.latency() / peak);
        }
    }

    // Every example project evaluates (on the tpuv4 preset, over all its knobs; a system-profile
    // one on its own chip).
    void everyExampleEvaluates_data()
    {
        QTest::addColumn<QString>("path");
        for (const auto &entry : std::filesystem::directory_iterator(PHAZE_SOURCE_DIR "/examples"))
            if (entry.path().extension() == ".yaml")
                QTest::newRow(entry.path().filename().string().c_str())
                    << QString::fromStdString(entry.path().string());
    }

    void everyExampleEvaluates()
    {
        QFETCH(QString, path);
        const Result<ProjectSpec> load = loadProjectFile(path.toStdString());
        QVERIFY(load.value);
        CodesignOptions options;
        options.baselines = false;
        // A system-profile example is sized for its own chip (a GPT-3 layout does not fit
        // tpuv4's 32 GiB); the others run on tpuv4.
        const bool system = load.value->training.profile == ModelProfile::System;
        options.architecture = system ? load.value->architecture->config
                                      : findAcceleratorPreset("tpuv4")->config;
        const auto r = runCodesign(
            *load.value, std::filesystem::path(path.toStdString()).parent_path().string(), options);
        QVERIFY2(r.hasValue(), r.message.c_str());
        QVERIFY2(r.value->search.best, r.value->search.message.c_str());
        QVERIFY(r.value->search.evaluations[*r.value->search.best].throughput > 0);
    }

    // Cancelling a real search returns within 500 ms (the workbench's promise) with the best
    // found so far; typically 20 ms in a release build.
    void cancellationIsPrompt()
    {
        const Result<ProjectSpec> load = loadProjectFile(PHAZE_SOURCE_DIR "/examples/gpt2-xl.yaml");
        CancelToken cancel = CancelToken::create();
        std::atomic<long long> cancelledAt{0};
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            cancelledAt = std::chrono::steady_clock::now().time_since_epoch().count();
            cancel.cancel();
        });
        CodesignOptions options;
        options.threads = 2;
        const auto r = runCodesign(*load.value, PHAZE_SOURCE_DIR "/examples", options, {}, cancel);
        const long long returned = std::chrono::steady_clock::now().time_since_epoch().count();
        canceller.join();
        QVERIFY(r.hasValue());
        QCOMPARE(r.value->search.status, Status::Cancelled);
        const double latencyMs = double(returned - cancelledAt.load()) * 1e-6 *
                                 std::chrono::steady_clock::period::num * 1e9 /
                                 std::chrono::steady_clock::period::den;
        qInfo("cancel latency: %.1f ms", latencyMs);
        QVERIFY2(latencyMs < testsupport::scaledMs(500), qPrintable(QString::number(latencyMs)));
    }

    void infeasibleProjectExplainsWhy()
    {
        ProjectSpec project = quickProject();
        project.training.hbmSizes = {8.0 * 1024 * 1024}; // 8 MiB cannot hold a BERT-Large layer
        CodesignOptions options;
        options.baselines = false;
        const auto r = runCodesign(project, PHAZE_SOURCE_DIR "/examples", options);
        QVERIFY(r.hasValue());
        QCOMPARE(r.value->search.status, Status::Infeasible);
        QVERIFY(!r.value->search.best);
        QVERIFY2(r.value->search.message.find("MiB") != std::string::npos,
                 r.value->search.message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestCodesign)
#include "test_codesign.moc"
