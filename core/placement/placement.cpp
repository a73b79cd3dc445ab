#include "core/placement/placement.h"

#include <algorithm>
#include <cmath>

#include "core/placement/downsets.h"
#include "core/placement/fixedstrategy.h"
#include "core/placement/layerdag.h"
#include "core/placement/memorymodel.h"
#include "core/placement/placementdp.h"
#include "core/placement/placementevaluator.h"
#include "core/placement/stageload.h"

namespace phaze {
namespace {

std::string grouped(std::uint64_t v)
{
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

// Why nothing fits: the layer whose smallest possible stage (itself alone, as the last stage,
// on its best width) needs the most memory, if that is already too much.
std::string infeasibleReason(const PlacementInput &input)
{
    const MemoryModel memory(input.memoryPerDevice, input.devices, input.recomputation,
                             input.optimizer);
    double worst = -1.0;
    int worstId = 0;
    std::vector<double> bestPerLayer;
    std::vector<int> ids;
    for (const PlacementGraph &g : input.graphs) {
        LayerDag dag;
        if (!LayerDag::build(g, dag).empty())
            continue;
        const StageLoad loads(dag, input.bandwidth);
        bestPerLayer.resize(std::size_t(dag.size()), INFINITY);
        ids.resize(std::size_t(dag.size()));
        for (int v = 0; v < dag.size(); ++v) {
            // Layers are matched by id across widths; the order is topological in each.
            const double bytes = memory.bytes(loads.evaluate(std::vector<int>{v}), 1);
            ids[std::size_t(v)] = dag.externalId(v);
            bestPerLayer[std::size_t(v)] = std::min(bestPerLayer[std::size_t(v)], bytes);
        }
    }
    for (std::size_t v = 0; v < bestPerLayer.size(); ++v) {
        if (bestPerLayer[v] > worst) {
            worst = bestPerLayer[v];
            worstId = ids[v];
        }
    }
    if (worst > input.memoryPerDevice)
        return "the smallest stage needs " + bytesText(worst) + " on a " +
               bytesText(input.memoryPerDevice) + " device (layer " + std::to_string(worstId) +
               " alone, on its best tensor-parallel width)";
    return "no split of the model into stages that each fit in " +
           bytesText(input.memoryPerDevice) + " needs at most " + std::to_string(input.devices) +
           " devices";
}

} // namespace

Result<Placement> place(const PlacementInput &input, const PlacementOptions &options,
                        ProgressSink progress, CancelToken cancel)
{
    if (std::string why = validatePlacementInput(input); !why.empty())
        return Result<Placement>::error(why);
    std::vector<const PlacementGraph *> graphs;
    for (const PlacementGraph &g : input.graphs)
        graphs.push_back(&g);
    std::sort(graphs.begin(), graphs.end(), [](const PlacementGraph *a, const PlacementGraph *b) {
        return a->tensorParallelWidth < b->tensorParallelWidth;
    });

    bool have = false, cancelled = false;
    int bestWidth = 0;
    WidthOptimum best;
    long long downsets = 0, pairs = 0;
    for (const PlacementGraph *g : graphs) {
        LayerDag dag;
        LayerDag::build(*g, dag);
        const std::string where =
            "the layer graph of width " + std::to_string(g->tensorParallelWidth);
        // Counting first: a wide graph's lattice can be astronomically large.
        const DownsetCount count = DownsetLattice::count(dag, 4 * options.maxDownsets + 1024);
        if (!count.exact || count.count > options.maxDownsets)
            return Result<Placement>::error(
                where + " has " + (count.exact ? "" : "more than ") + grouped(count.count) +
                " downsets, over the limit of " + grouped(options.maxDownsets) +
                " (too much branching for the exact DP; raise the limit with --max-downsets or "
                "PlacementOptions::maxDownsets)");
        DownsetLattice lattice;
        if (std::string why = DownsetLattice::build(dag, options.maxDownsets, lattice);
            !why.empty())
            return Result<Placement>::error(where + ": " + why);
        downsets += lattice.size();
        PlacementDp dp(input, dag, lattice, options.schedule);
        if (dp.tableBytes() > options.maxTableBytes)
            return Result<Placement>::error(
                where + " needs a " + bytesText(double(dp.tableBytes())) +
                " DP table, over the limit of " + bytesText(double(options.maxTableBytes)));
        WidthOptimum w;
        const Status status = dp.solve(w, progress, cancel);
        pairs += w.stagePairs;
        if (status == Status::Cancelled) {
            cancelled = true;
            break;
        }
        if (status == Status::Error)
            return Result<Placement>::error(where + ": internal error: the DP optimum could not "
                                                    "be reconstructed");
        if (w.found && (!have || w.timePerBatch < best.timePerBatch)) {
            have = true;
            best = std::move(w);
            bestWidth = g->tensorParallelWidth;
        }
    }
    if (!have)
        return cancelled ? Result<Placement>::cancelled()
                         : Result<Placement>::infeasible(infeasibleReason(input));

    Result<Placement> r =
        evaluatePlacement(input, options.schedule, bestWidth, best.stages, best.dataParallel);
    if (!r.hasValue() || std::abs(r.value->timePerBatch - best.timePerBatch) >
                             1e-12 * std::max(1.0, std::abs(best.timePerBatch)))
        return Result<Placement>::error("internal error: the DP's placement does not evaluate "
                                        "to its time per batch (" +
                                        r.message + ")");
    Placement p = std::move(*r.value);
    p.downsets = downsets;
    p.stagePairs = pairs;
    if (input.fixed)
        p.fixed = evaluateFixedStrategy(input, *input.fixed, options.fixedLayout, options.schedule);
    if (cancelled)
        return Result<Placement>::cancelled(std::move(p));
    return Result<Placement>::optimal(std::move(p));
}

} // namespace phaze
