// Operator estimates per second (cold cache, one thread): every distinct operator of the zoo's
// models (fused, forward and backward) on candidates of the default PHAZE space.
//   build/benchmarks/bench_cost --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// The figure to read is items_per_second (one item = one operator estimate, both modes).

#include <benchmark/benchmark.h>

#include "core/arch/archspace.h"
#include "core/cost/costmodel.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;

namespace {

const std::vector<Operator> &zooOperators()
{
    static const std::vector<Operator> ops = [] {
        std::vector<Operator> out;
        for (const TransformerSpec &spec : modelZoo())
            for (int t : spec.tensorParallelWidths) {
                GraphBuildOptions options;
                options.tensorParallel = t;
                const ModelGraph g = *buildTransformer(spec, options).value;
                for (int index : g.distinctLayers())
                    for (const Operator &op : g.layers[std::size_t(index)].body->forward.ops) {
                        out.push_back(op);
                        out.push_back(backwardOperator(op));
                    }
            }
        return out;
    }();
    return ops;
}

// Every 97th candidate: a spread of core counts, arrays and GLB sizes.
const std::vector<AcceleratorConfig> &candidates()
{
    static const std::vector<AcceleratorConfig> configs = [] {
        const ArchSpace space =
            *enumerateArchSpace(ArchSpaceSpec{}, findAcceleratorPreset("tpuv4")->config,
                                defaultTechnology())
                 .value;
        std::vector<AcceleratorConfig> out;
        for (std::size_t i = 0; i < space.count(); i += 97)
            out.push_back(space.candidates[i]);
        return out;
    }();
    return configs;
}

// No cache at all: every part is computed, which is what a cold cache does on a miss.
void BM_EstimateUncached(benchmark::State &state)
{
    const CostModel model(defaultTechnology(), false);
    const auto &ops = zooOperators();
    const auto &configs = candidates();
    std::size_t c = 0;
    std::int64_t items = 0;
    for (auto _ : state) {
        const AcceleratorConfig &config = configs[c++ % configs.size()];
        for (const Operator &op : ops)
            benchmark::DoNotOptimize(model.estimate(op, config));
        items += std::int64_t(ops.size());
    }
    state.SetItemsProcessed(items);
}
BENCHMARK(BM_EstimateUncached)->Unit(benchmark::kMillisecond);

// The shared cache, emptied before every pass (outside the timing): all misses plus inserts.
void BM_EstimateColdCache(benchmark::State &state)
{
    const CostModel model;
    const auto &ops = zooOperators();
    const auto &configs = candidates();
    std::size_t c = 0;
    std::int64_t items = 0;
    for (auto _ : state) {
        state.PauseTiming();
        model.clearCache();
        state.ResumeTiming();
        const AcceleratorConfig &config = configs[c++ % configs.size()];
        for (const Operator &op : ops)
            benchmark::DoNotOptimize(model.estimate(op, config));
        items += std::int64_t(ops.size());
    }
    state.SetItemsProcessed(items);
}
BENCHMARK(BM_EstimateColdCache)->Unit(benchmark::kMillisecond);

// Warm cache: the repeated-layer case of a search.
void BM_EstimateWarmCache(benchmark::State &state)
{
    const CostModel model;
    const auto &ops = zooOperators();
    const AcceleratorConfig config = findAcceleratorPreset("tpuv4")->config;
    for (const Operator &op : ops)
        model.estimate(op, config);
    std::int64_t items = 0;
    for (auto _ : state) {
        for (const Operator &op : ops)
            benchmark::DoNotOptimize(model.estimate(op, config));
        items += std::int64_t(ops.size());
    }
    state.SetItemsProcessed(items);
}
BENCHMARK(BM_EstimateWarmCache)->Unit(benchmark::kMillisecond);

// One large GEMM part alone on tpuv4 (the intra-operator tile-shape search dominates).
void BM_GemmPart(benchmark::State &state)
{
    PrimitiveOp op;
    op.kind = OpKind::Linear;
    op.gemm = GemmShape{1, 2048, 12288, 6144};
    op.inputBytes = 2048 * 12288 * 2;
    op.weightBytes = 12288 * 6144 * 2;
    op.outputBytes = 2048 * 6144 * 2;
    const AcceleratorConfig config = findAcceleratorPreset("tpuv4")->config;
    for (auto _ : state)
        benchmark::DoNotOptimize(CostModel::computePartCost(op, config, defaultTechnology()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GemmPart);

} // namespace

BENCHMARK_MAIN();
