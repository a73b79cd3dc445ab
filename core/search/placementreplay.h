#pragma once

// Rebuilds the placement of one model of an evaluated candidate at the knobs the search chose
// (microbatch size, recomputation; the DP picks the tensor-parallel width again) and simulates
// its pipeline microbatch by microbatch, so that views can show the timeline behind a result
// without the search having to keep every placement it tried.

#include <cstddef>
#include <string>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/io/projectspec.h"
#include "core/placement/pipelinetimeline.h"
#include "core/placement/placement.h"
#include "core/search/searchtypes.h"

namespace phaze {

struct PlacementReplay {
    Placement placement;
    PipelineTimeline timeline;
};

// Error when the model index is out of range, the outcome has no placement, or the model or
// technology cannot be loaded; Cancelled when cancel fires.
Result<PlacementReplay> replayPlacement(const ProjectSpec &project, const std::string &baseDir,
                                        const Evaluation &evaluation, std::size_t modelIndex,
                                        const CancelToken &cancel = {});

} // namespace phaze
