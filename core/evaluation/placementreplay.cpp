#include "core/evaluation/placementreplay.h"

#include <string>

namespace phaze {

Result<PlacementReplay> replayPlacement(const Evaluator &evaluator, const Evaluation &evaluation,
                                        std::size_t modelIndex, const CancelToken &cancel)
{
    using R = Result<PlacementReplay>;
    if (modelIndex >= evaluator.models().size() || modelIndex >= evaluation.models.size())
        return R::error("model " + std::to_string(modelIndex) + " is not in the evaluation");
    const ModelOutcome &outcome = evaluation.models[modelIndex];
    if (outcome.microbatch < 1 || outcome.stages.empty())
        return R::error(outcome.model + ": the evaluation has no placement");
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
