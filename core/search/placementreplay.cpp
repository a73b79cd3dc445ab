#include "core/search/placementreplay.h"

#include <map>

#include "core/cost/costmodel.h"
#include "core/io/modelloader.h"
#include "core/io/technologyfile.h"
#include "core/schedule/layerscheduler.h"
#include "core/schedule/schedulecache.h"

namespace phaze {

// Mirrors Evaluator::evaluateModel for one knob setting; kept here rather than exposed from the
// evaluator so that the search's hot path stays free of view-only bookkeeping.
Result<PlacementReplay> replayPlacement(const ProjectSpec &project, const std::string &baseDir,
                                        const Evaluation &evaluation, std::size_t modelIndex,
                                        const CancelToken &cancel)
{
    using R = Result<PlacementReplay>;
    if (modelIndex >= project.models.size() || modelIndex >= evaluation.models.size())
        return R::error("model " + std::to_string(modelIndex) + " is not in the evaluation");
    const ModelRef &ref = project.models[modelIndex];
    const ModelOutcome &outcome = evaluation.models[modelIndex];
    if (outcome.microbatch < 1 || outcome.stages.empty())
        return R::error(outcome.model + ": the evaluation has no placement");
    const TechnologyLoad tech = resolveTechnology(project.technology, baseDir);
    if (!tech.table)
        return R::error(tech.errors.empty() ? "cannot load the technology table"
                                            : tech.errors.front().format());
    const CostModel costModel(*tech.table);
    SchedulerOptions schedulerOptions;
    schedulerOptions.timeLimitSeconds = project.search.ilpTimeLimit;
    schedulerOptions.mipGap = project.search.mipGap;
    ScheduleCache cache;
    const LayerScheduler scheduler(costModel, &cache, schedulerOptions);
    const AcceleratorConfig &config = evaluation.config;
    const TrainingSpec &t = project.training;

    PlacementInput input;
    for (int width : tensorParallelWidthsFor(ref, t)) {
        GraphBuildOptions build;
        build.microbatch = outcome.microbatch;
        build.tensorParallel = ref.file.empty() ? width : 1;
        build.fusion = project.search.fusion;
        const ModelLoad load = loadModel(ref, build, baseDir);
        if (!load.graph)
            return R::error(
                ref.label() + ": " +
                (load.errors.empty() ? "cannot build the model" : load.errors.front().format()));
        const ModelGraph &graph = *load.graph;
        std::map<const LayerBody *, LayerSchedule> byBody;
        for (const LayerScheduleEntry &e : scheduler.scheduleModel(graph, config, cancel))
            byBody.emplace(graph.layers[std::size_t(e.layer)].body.get(), e.schedule);
        if (cancel.isCancelled())
            return R::cancelled();
        std::vector<double> forward, backward;
        for (const Layer &layer : graph.layers) {
            const auto found = byBody.find(layer.body.get());
            if (found == byBody.end() || !found->second.forward.hasSchedule() ||
                !found->second.backward.hasSchedule())
                return R::error("layer " + layer.name + ": no schedule");
            forward.push_back(found->second.forward.latency());
            backward.push_back(found->second.backward.latency());
        }
        input.graphs.push_back(placementGraphFromModel(graph, forward, backward));
        if (!ref.file.empty())
            break; // an imported graph has one width
    }
    input.devices = t.accelerators;
    input.memoryPerDevice = config.hbmBytes;
    input.bandwidth = config.linkBandwidth;
    input.microbatches = int((t.globalBatch + outcome.microbatch - 1) / outcome.microbatch);
    input.optimizer = t.optimizer;
    input.recomputation = outcome.recomputation;
    PlacementOptions options;
    options.schedule = t.pipelineSchedule;
    options.maxDownsets = std::size_t(project.search.maxDownsets);
    Result<Placement> placed = place(input, options, {}, cancel);
    if (!placed.hasValue())
        return placed.status == Status::Cancelled ? R::cancelled()
                                                  : R{placed.status, {}, placed.message, {}};
    PlacementReplay replay;
    replay.placement = std::move(*placed.value);
    replay.timeline = simulatePipeline(replay.placement, options.schedule, input.bandwidth);
    return R::optimal(std::move(replay));
}

} // namespace phaze
