#include "core/evaluation/placementreplay.h"

#include <algorithm>
#include <string>

namespace phaze {
namespace {

// The system profile's replay: the layout search again (deterministic, and as fast as one
// evaluation), then the best layout's schedule, operation by operation.
Result<PlacementReplay> replaySystem(const Evaluator &evaluator, const Evaluation &evaluation,
                                     std::size_t modelIndex, const CancelToken &cancel)
{
    using R = Result<PlacementReplay>;
    const PreparedModel &model = evaluator.models()[modelIndex];
    Result<LayoutSearchResult> found = evaluator.systemLayout(model, evaluation.config, cancel);
    if (found.status == Status::Cancelled) // its best so far is not the search's answer
        return R::cancelled();
    if (!found.hasValue())
        return R{found.status, {}, found.message, {}, found.diagnostics};
    Result<TrainingEstimate> timed =
        evaluator.systemSchedule(model, evaluation.config, found.value->best);
    if (!timed.hasValue())
        return R::error(timed.message);
    TrainingEstimate &e = *timed.value;
    const ModelOutcome &outcome = evaluation.models[modelIndex];
    PlacementReplay replay;
    Placement &p = replay.placement;
    p.dataParallel = outcome.dataParallel;
    p.tensorParallel = outcome.tensorParallel;
    p.devicesPerPipeline = outcome.tensorParallel * outcome.pipelineStages;
    p.microbatchesPerPipeline = int(e.microbatches);
    p.timePerBatch = e.iterationTime;
    for (std::size_t s = 0; s < e.stages.size(); ++s) {
        const StageEstimate &st = e.stages[s];
        PlacedStage placed;
        placed.layers = st.layers;
        placed.devices = outcome.tensorParallel;
        placed.position = int(e.stages.size() - s);
        placed.load = st.microbatchTime;
        placed.parameterBytes = st.memory.weights;
        placed.memoryBytes = st.memory.total();
        placed.memory = {st.memory.weights, st.memory.gradients, st.memory.optimizer,
                         st.memory.activations, st.memory.inFlight};
        p.maxLoad = std::max(p.maxLoad, st.microbatchTime);
        p.stages.push_back(std::move(placed));
    }
    PipelineTimeline &t = replay.timeline;
    t.events = std::move(e.timeline); // kept once, here
    t.makespan = e.iterationTime;
    t.closedForm = e.iterationTime; // the schedule's end is the time the search ranks
    for (const TimelineEvent &ev : t.events)
        if (ev.kind == TimelineKind::Forward || ev.kind == TimelineKind::Backward ||
            ev.kind == TimelineKind::Transfer)
            t.pipelineMakespan = std::max(t.pipelineMakespan, ev.end);
    // The critical stage's waits as a share of the iteration (reduction and step included).
    t.bubbleFraction = e.iterationTime > 0.0 ? e.time.bubble / e.iterationTime : 0.0;
    replay.system = found.value->best;
    replay.system->estimate = std::move(e);
    return R::optimal(std::move(replay));
}

} // namespace

Result<PlacementReplay> replayPlacement(const Evaluator &evaluator, const Evaluation &evaluation,
                                        std::size_t modelIndex, const CancelToken &cancel)
{
    using R = Result<PlacementReplay>;
    if (modelIndex >= evaluator.models().size() || modelIndex >= evaluation.models.size())
        return R::error("model " + std::to_string(modelIndex) + " is not in the evaluation");
    const ModelOutcome &outcome = evaluation.models[modelIndex];
    if (outcome.microbatch < 1 || outcome.stages.empty())
        return R::error(outcome.model + ": the evaluation has no placement");
    if (evaluator.project().training.profile == ModelProfile::System)
        return replaySystem(evaluator, evaluation, modelIndex, cancel);
    Result<Evaluator::PlacementProblem> problem = evaluator.placementProblem(
        evaluator.models()[modelIndex], outcome.microbatch, evaluation.config, cancel);
    if (!problem.hasValue())
        return problem.status == Status::Cancelled ? R::cancelled()
                                                   : R::error(problem.message);
    PlacementInput &input = problem.value->input;
    input.recomputation = outcome.recomputation;
    Result<Placement> placed = place(input, problem.value->options, {}, cancel);
    if (!placed.hasValue())
        return placed.status == Status::Cancelled ? R::cancelled()
                                                  : R{placed.status, {}, placed.message, {}, {}};
    PlacementReplay replay;
    replay.placement = std::move(*placed.value);
    replay.timeline =
        simulatePipeline(replay.placement, problem.value->options.schedule, input.bandwidth);
    return R::optimal(std::move(replay));
}

} // namespace phaze
