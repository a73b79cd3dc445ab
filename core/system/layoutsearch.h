#pragma once

// The system profile's search over Megatron-style layouts (docs/system-model.md, "Strategy"):
// every combination of tp, pp, dp, microbatch, interleave, recomputation, sequence parallelism
// and optimizer sharding that the strategy leaves open and the model and cluster allow is
// estimated with estimateTraining; the fastest that fits the device memory wins, ties going to
// the first in enumeration order (smaller tp, then pp, ...). Exact within this family: every
// layout is scored, none pruned.

#include <vector>

#include "core/base/progress.h"
#include "core/spec/projectspec.h"
#include "core/system/trainingestimate.h"

namespace phaze {

struct LayoutSearchProblem {
    TransformerSpec model;
    int sequence = 0; // 0: the model's own
    AcceleratorConfig chip;
    ClusterSpec cluster;
    TrainingRecipe recipe; // precision, optimizer, gradients, overlap, schedule
    StrategySpec strategy;
    int devices = 1;
    long long globalBatch = 1;
    std::vector<int> microbatchSizes{1}; // when strategy.microbatch is empty
};

struct LayoutChoice {
    ParallelLayout layout;
    TrainingRecipe recipe;
    TrainingEstimate estimate;
};

struct LayoutSearchResult {
    LayoutChoice best;
    long long evaluated = 0;  // layouts estimated
    long long outOfMemory = 0; // of those, layouts whose fullest device does not fit
};

// The layout search of model `modelIndex` of a project on a chip: the transformer, sequence,
// cluster, recipe, strategy, devices and batch from the project. Error naming the model when it
// is not a transformer (an operator-graph file is not modelled under the system profile yet).
Result<LayoutSearchProblem> layoutProblemOf(const ProjectSpec &project, std::size_t modelIndex,
                                            const AcceleratorConfig &chip);

// Optimal with the best layout; Infeasible (saying why) when no layout fits; Error when the
// strategy names a value the model or cluster cannot take; Cancelled with the best so far.
Result<LayoutSearchResult> searchLayouts(const LayoutSearchProblem &problem, const CostModel &costs,
                                         ProgressSink progress = {}, CancelToken cancel = {});

} // namespace phaze
