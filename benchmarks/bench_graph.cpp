// Time to build model graphs (embedding, sliced and fused blocks, head, backward FLOPs).
//   build/benchmarks/bench_graph --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;

namespace {

void buildOnce(benchmark::State &state, const TransformerSpec &spec, int t, bool fusion)
{
    GraphBuildOptions options;
    options.tensorParallel = t;
    options.fusion = fusion;
    for (auto _ : state) {
        Result<ModelGraph> graph = buildTransformer(spec, options);
        if (!graph.ok()) {
            state.SkipWithError(graph.message.c_str());
            break;
        }
        benchmark::DoNotOptimize(graph);
    }
}

void BM_BuildGpt3T8Fused(benchmark::State &state)
{
    buildOnce(state, *findZooModel("gpt3-175b"), 8, true);
}
BENCHMARK(BM_BuildGpt3T8Fused);

void BM_BuildGpt3T8Unfused(benchmark::State &state)
{
    buildOnce(state, *findZooModel("gpt3-175b"), 8, false);
}
BENCHMARK(BM_BuildGpt3T8Unfused);

void BM_BuildGpt3T1Fused(benchmark::State &state)
{
    buildOnce(state, *findZooModel("gpt3-175b"), 1, true);
}
BENCHMARK(BM_BuildGpt3T1Fused);

// Every zoo model at each of its tensor-parallel widths, fused.
void BM_BuildZooModel(benchmark::State &state)
{
    const TransformerSpec &spec = modelZoo()[std::size_t(state.range(0))];
    const int t = int(state.range(1));
    state.SetLabel(spec.key + " t=" + std::to_string(t));
    buildOnce(state, spec, t, true);
}

void zooArguments(benchmark::internal::Benchmark *bench)
{
    for (std::size_t i = 0; i < modelZoo().size(); ++i) {
        for (int t : modelZoo()[i].tensorParallelWidths) {
            bench->Args({std::int64_t(i), t});
        }
    }
}
BENCHMARK(BM_BuildZooModel)->Apply(zooArguments);

// The pieces of a block build on their own: fusion and the backward DAG.
void BM_FuseGpt3Block(benchmark::State &state)
{
    GraphBuildOptions options;
    options.tensorParallel = 8;
    options.fusion = false;
    const ModelGraph graph = *buildTransformer(*findZooModel("gpt3-175b"), options).value;
    const OperatorDag &block = graph.layers[1].body->forward;
    for (auto _ : state) {
        benchmark::DoNotOptimize(fuseOperators(block));
    }
}
BENCHMARK(BM_FuseGpt3Block);

void BM_BackwardGpt3Block(benchmark::State &state)
{
    GraphBuildOptions options;
    options.tensorParallel = 8;
    const ModelGraph graph = *buildTransformer(*findZooModel("gpt3-175b"), options).value;
    const OperatorDag &block = graph.layers[1].body->forward;
    for (auto _ : state) {
        benchmark::DoNotOptimize(backwardDag(block));
    }
}
BENCHMARK(BM_BackwardGpt3Block);

} // namespace

BENCHMARK_MAIN();
