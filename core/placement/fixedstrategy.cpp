#include "core/placement/fixedstrategy.h"

#include <cstdint>

#include "core/placement/layerdag.h"
#include "core/placement/placementevaluator.h"

namespace phaze {

FixedBaseline evaluateFixedStrategy(const PlacementInput &input, const FixedStrategy &fixed,
                                    FixedLayout layout, PipelineSchedule schedule)
{
    FixedBaseline out;
    out.pipelineStages = fixed.pipelineStages;
    out.tensorParallel = fixed.tensorParallel;
    out.dataParallel = fixed.dataParallel;
    const PlacementGraph *graph = nullptr;
    for (const PlacementGraph &g : input.graphs) {
        if (g.tensorParallelWidth == fixed.tensorParallel)
            graph = &g;
    }
    if (!graph) {
        out.message = "no layer graph for the baseline's tensor-parallel width " +
                      std::to_string(fixed.tensorParallel);
        return out;
    }
    const int p = fixed.pipelineStages;
    const int blocks = fixed.transformerBlocks;
    if (p < 1 || blocks < 0) {
        out.message = "the baseline needs at least one stage and L >= 0 transformer blocks";
        return out;
    }
    // Checked before the stage list is sized by p: a file may ask for 2^31 stages.
    if (p > input.devices) {
        out.message = "the baseline's " + std::to_string(p) +
                      " pipeline stages need more than the " + std::to_string(input.devices) +
                      " devices";
        return out;
    }
    LayerDag dag;
    if (std::string why = LayerDag::build(*graph, dag); !why.empty()) {
        out.message = why;
        return out;
    }
    // 64-bit: blocks + p - 1 overflows an int for the largest block counts.
    const int perStage = blocks > 0 ? int((std::int64_t(blocks) + p - 1) / p) : 1;
    std::vector<StagePlan> plan(std::size_t(p), StagePlan{{}, fixed.tensorParallel});
    for (int v = 0; v < dag.size(); ++v) {
        // PhazePositions: the k-th layer in topological order counts as block k.
        const int key = layout == FixedLayout::PhazePositions ? v : dag.externalId(v);
        int stage = 0;
        if (key < 0)
            stage = 0;
        else if (key >= blocks)
            stage = p - 1;
        else
            stage = std::min(key / perStage, p - 1);
        plan[std::size_t(stage)].layers.push_back(dag.externalId(v));
    }
    const Result<Placement> r =
        evaluatePlacement(input, schedule, fixed.tensorParallel, plan, fixed.dataParallel);
    if (!r.hasValue()) {
        out.message = "fixed strategy (p=" + std::to_string(p) +
                      ", t=" + std::to_string(fixed.tensorParallel) +
                      ", d=" + std::to_string(fixed.dataParallel) + "): " + r.message;
        return out;
    }
    out.feasible = true;
    out.timePerBatch = r.value->timePerBatch;
    out.stages = r.value->stages;
    return out;
}

} // namespace phaze
