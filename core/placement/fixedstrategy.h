#pragma once

// The fixed Megatron-style baseline (algorithms.md §4): p stages of t devices each, data
// parallelism d, transformer blocks in contiguous groups of ceil(L / p), scored with the DP's
// cost model. When it does not fit it is reported as infeasible, never as a failure of the
// whole placement.

#include "core/placement/placement.h"

namespace phaze {

FixedBaseline evaluateFixedStrategy(const PlacementInput &input, const FixedStrategy &fixed,
                                    FixedLayout layout, PipelineSchedule schedule);

} // namespace phaze
