#pragma once

// The placement the search scored for one model of an evaluated candidate, rebuilt at the knobs
// the search chose (microbatch size, recomputation; the DP picks the tensor-parallel width again,
// as it did) by the evaluator that scored it, and its pipeline simulated microbatch by microbatch,
// so that views can show the timeline behind a result without the search having to keep every
// placement it tried. It uses the evaluator's prepared project and schedule cache: no file is read
// and no schedule the search already solved is solved again.

#include <cstddef>
#include <optional>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/evaluation/evaluationtypes.h"
#include "core/evaluation/evaluator.h"
#include "core/placement/pipelinetimeline.h"
#include "core/placement/placement.h"

namespace phaze {

struct PlacementReplay {
    Placement placement;
    PipelineTimeline timeline;
    // Under the system profile: the layout the search chose and its estimate, whose simulated
    // schedule the timeline is (placement then describes its stages, per microbatch).
    std::optional<LayoutChoice> system;
};

// Error when the model index is out of range or the outcome has no placement; Cancelled when
// cancel fires.
Result<PlacementReplay> replayPlacement(const Evaluator &evaluator, const Evaluation &evaluation,
                                        std::size_t modelIndex, const CancelToken &cancel = {});

} // namespace phaze
