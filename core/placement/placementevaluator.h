#pragma once

// Scores an explicit placement (stages, devices per stage, data-parallel degree) with the same
// cost and memory model as the DP: used for the fixed baseline, to fill in the details of the
// DP's answer, as a sanity check of it, and by brute-force tests.

#include <string>
#include <vector>

#include "core/placement/placement.h"

namespace phaze {

struct StagePlan {
    std::vector<int> layers; // layer ids
    int devices = 1;
};

// Error when the plan is malformed (unknown width or layer, not a partition, stages out of
// order); Infeasible with the reason when it does not fit (memory, devices); Optimal otherwise
// (meaning only "evaluated exactly").
Result<Placement> evaluatePlacement(const PlacementInput &input, PipelineSchedule schedule,
                                    int tensorParallelWidth, const std::vector<StagePlan> &stages,
                                    int dataParallel);

// 4 (d - 1) P / (W d), in PHAZE's operation order.
double allReduceTime(int dataParallel, double parameterBytes, double bandwidth);

// "41.2 GiB"
std::string bytesText(double bytes);

} // namespace phaze
