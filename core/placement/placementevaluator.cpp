#include "core/placement/placementevaluator.h"

#include <algorithm>

#include "core/base/units.h"
#include "core/placement/layerdag.h"
#include "core/placement/memorymodel.h"
#include "core/placement/stageload.h"

namespace phaze {

double allReduceTime(int dataParallel, double parameterBytes, double bandwidth)
{
    return 4.0 * (dataParallel - 1) * parameterBytes / bandwidth / dataParallel;
}

std::string bytesText(double bytes)
{
    return formatHuman(bytes, Dimension::Bytes);
}

Result<Placement> evaluatePlacement(const PlacementInput &input, PipelineSchedule schedule,
                                    int tensorParallelWidth, const std::vector<StagePlan> &stages,
                                    int dataParallel)
{
    const PlacementGraph *graph = nullptr;
    for (const PlacementGraph &g : input.graphs) {
        if (g.tensorParallelWidth == tensorParallelWidth)
            graph = &g;
    }
    if (!graph)
        return Result<Placement>::error("no layer graph for tensor-parallel width " +
                                        std::to_string(tensorParallelWidth));
    LayerDag dag;
    if (std::string why = LayerDag::build(*graph, dag); !why.empty())
        return Result<Placement>::error(why);
    if (stages.empty())
        return Result<Placement>::error("a placement needs at least one stage");

    const int count = int(stages.size());
    std::vector<int> stageOf(std::size_t(dag.size()), -1);
    std::vector<std::vector<int>> members(stages.size());
    long long devicesPerPipeline = 0; // many stages of a wide tensor-parallel width overflow an int
    for (int k = 0; k < count; ++k) {
        for (int id : stages[std::size_t(k)].layers) {
            const int v = dag.indexOf(id);
            if (v < 0)
                return Result<Placement>::error("stage " + std::to_string(k + 1) +
                                                " names unknown layer " + std::to_string(id));
            if (stageOf[std::size_t(v)] >= 0)
                return Result<Placement>::error("layer " + std::to_string(id) +
                                                " is in two stages");
            stageOf[std::size_t(v)] = k;
            members[std::size_t(k)].push_back(v);
        }
        std::sort(members[std::size_t(k)].begin(), members[std::size_t(k)].end());
        const int a = stages[std::size_t(k)].devices;
        if (a < 1 || a > input.devices)
            return Result<Placement>::error("stage " + std::to_string(k + 1) + " has " +
                                            std::to_string(a) + " devices");
        devicesPerPipeline += a;
    }
    for (int v = 0; v < dag.size(); ++v) {
        if (stageOf[std::size_t(v)] < 0)
            return Result<Placement>::error("layer " + std::to_string(dag.externalId(v)) +
                                            " is in no stage");
        for (const DagEdge *e = dag.outBegin(v); e != dag.outEnd(v); ++e) {
            if (stageOf[std::size_t(v)] > stageOf[std::size_t(e->node)])
                return Result<Placement>::error("edge " + std::to_string(dag.externalId(v)) +
                                                " -> " + std::to_string(dag.externalId(e->node)) +
                                                " goes back to an earlier stage");
        }
    }
    const int d = dataParallel;
    if (d < 1 || d > input.devices || d > input.microbatches)
        return Result<Placement>::infeasible(
            "data-parallel degree " + std::to_string(d) + " is outside 1.." +
            std::to_string(std::min(input.devices, input.microbatches)));
    if (devicesPerPipeline * d > input.devices)
        return Result<Placement>::infeasible(
            std::to_string(devicesPerPipeline) + " devices per pipeline x " + std::to_string(d) +
            " replicas exceed the " + std::to_string(input.devices) + " devices");

    const StageLoad loads(dag, input.bandwidth);
    const MemoryModel memory(input.memoryPerDevice, input.devices, input.recomputation,
                             input.optimizer);
    Placement p;
    p.tensorParallel = tensorParallelWidth;
    p.dataParallel = d;
    p.devicesPerPipeline = int(devicesPerPipeline); // at most input.devices, checked above
    p.microbatchesPerPipeline = int((static_cast<long long>(input.microbatches) + d - 1) / d);
    for (int k = 0; k < count; ++k) {
        const StageCost c = loads.evaluate(members[std::size_t(k)]);
        const int s = count - k;
        const int a = stages[std::size_t(k)].devices;
        const std::string name = "stage " + std::to_string(k + 1) + " of " + std::to_string(count);
        if (c.tensorParallel && a < tensorParallelWidth)
            return Result<Placement>::infeasible(name + " holds tensor-parallel layers but has " +
                                                 std::to_string(a) + " < " +
                                                 std::to_string(tensorParallelWidth) + " devices");
        const long long inFlight =
            schedule == PipelineSchedule::GPipe ? p.microbatchesPerPipeline : s;
        const bool fits = schedule == PipelineSchedule::GPipe
                              ? inFlight <= memory.maxInFlightUnbounded(c)
                              : s <= memory.maxInFlight(c);
        if (!fits)
            return Result<Placement>::infeasible(
                name + " needs " + bytesText(memory.bytes(c, inFlight)) + " on a " +
                bytesText(input.memoryPerDevice) + " device (" + std::to_string(inFlight) +
                " microbatches in flight)");
        PlacedStage st;
        for (int v : members[std::size_t(k)])
            st.layers.push_back(dag.externalId(v));
        st.devices = a;
        st.position = s;
        st.load = c.load(input.recomputation, s);
        st.forward = c.forward;
        st.backward = st.load - c.forward;
        st.parameterBytes = c.parameterBytes;
        st.memoryBytes = memory.bytes(c, inFlight);
        st.memory = memory.breakdown(c, inFlight);
        p.maxLoad = std::max(p.maxLoad, st.load);
        p.stages.push_back(std::move(st));
    }
    p.allReduceTime = allReduceTime(d, p.stages.front().parameterBytes, input.bandwidth);
    p.timePerBatch = p.maxLoad * (p.microbatchesPerPipeline + count - 1) + p.allReduceTime;
    return Result<Placement>::optimal(std::move(p));
}

} // namespace phaze
