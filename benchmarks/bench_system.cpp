// The system model's speed (issue 15's target: one `phaze evaluate` of a fixed strategy for
// GPT-3 175B on 1024 devices within 50 ms).
//   build/benchmarks/bench_system --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// FixedStrategy: one estimate with a cold cost cache (what a fresh `phaze evaluate` pays);
// FixedStrategyWarm: the same with the cache warm (what each layout of a search pays);
// LayoutSearch: every layout of tp, pp, microbatch {1, 2, 4}, interleave {1..4}, recomputation
// and sequence parallelism that fits the model on 1024 A100s.
// Llama405bGraph / Llama405bFixedStrategy (issue 17's target: building the Llama 3.1 405B graph
// and one evaluate of it within 100 ms): the graph alone, and one cold estimate of a fixed
// layout on 1152 H100s (tp 8, pp 9, dp 16, fused attention, 8,192 tokens), which builds it.
// Qwen3MoeFixedStrategy: one cold estimate of an expert-parallel layout of Qwen3-235B-A22B.

#include <benchmark/benchmark.h>

#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"
#include "core/system/layoutsearch.h"

using namespace phaze;

namespace {

TrainingProblem gpt3On1024()
{
    TrainingProblem p;
    p.model = *findZooModel("gpt3-175b");
    p.chip = findAcceleratorPreset("a100-sxm4-80gb")->config;
    p.cluster = defaultCluster();
    p.recipe.recomputation = Recomputation::Selective;
    p.recipe.sequenceParallel = true;
    p.recipe.interleave = 3;
    p.layout = {8, 8, 16, 1, 1536, 1, 1};
    return p;
}

void FixedStrategy(benchmark::State &state)
{
    const TrainingProblem p = gpt3On1024();
    for (auto _ : state) {
        const CostModel costs = CostModel::realistic(defaultTechnology()); // cold cache
        benchmark::DoNotOptimize(estimateTraining(p, costs));
    }
}
BENCHMARK(FixedStrategy)->Unit(benchmark::kMillisecond);

void FixedStrategyWarm(benchmark::State &state)
{
    const TrainingProblem p = gpt3On1024();
    const CostModel costs = CostModel::realistic(defaultTechnology());
    estimateTraining(p, costs);
    for (auto _ : state)
        benchmark::DoNotOptimize(estimateTraining(p, costs));
}
BENCHMARK(FixedStrategyWarm)->Unit(benchmark::kMillisecond);

void LayoutSearch(benchmark::State &state)
{
    const TrainingProblem fixed = gpt3On1024();
    LayoutSearchProblem p;
    p.model = fixed.model;
    p.chip = fixed.chip;
    p.cluster = fixed.cluster;
    p.devices = 1024;
    p.globalBatch = 1536;
    p.microbatchSizes = {1, 2, 4};
    p.strategy.interleave = {1, 2, 3, 4};
    long long layouts = 0;
    for (auto _ : state) {
        const CostModel costs = CostModel::realistic(defaultTechnology());
        const Result<LayoutSearchResult> r = searchLayouts(p, costs);
        layouts = r.value ? r.value->evaluated : 0;
        benchmark::DoNotOptimize(r);
    }
    state.counters["layouts"] = double(layouts);
}
BENCHMARK(LayoutSearch)->Unit(benchmark::kMillisecond);

void Llama405bGraph(benchmark::State &state)
{
    GraphBuildOptions options;
    options.tensorParallel = 8;
    options.fusion = false;
    options.fusedAttention = true;
    for (auto _ : state)
        benchmark::DoNotOptimize(buildTransformer(*findZooModel("llama3.1-405b"), options));
}
BENCHMARK(Llama405bGraph)->Unit(benchmark::kMillisecond);

// A fixed layout of a zoo model on DGX H100 nodes with fused attention, sequence parallelism
// and the distributed optimizer.
TrainingProblem onDgxH100(const char *model, ParallelLayout layout)
{
    TrainingProblem p;
    p.model = *findZooModel(model);
    p.chip = findAcceleratorPreset("h100-sxm5-80gb")->config;
    p.cluster = findClusterPreset("dgx-h100")->cluster;
    p.recipe.attention = AttentionKernel::Fused;
    p.recipe.sequenceParallel = true;
    p.recipe.optimizerSharding = true;
    p.layout = layout;
    return p;
}

// One estimate per iteration from a cold cost cache (what a fresh `phaze evaluate` pays), with
// the predicted iteration time as a counter.
void coldEstimates(benchmark::State &state, const TrainingProblem &p)
{
    double seconds = 0.0;
    for (auto _ : state) {
        const CostModel costs = CostModel::realistic(defaultTechnology());
        const Result<TrainingEstimate> e = estimateTraining(p, costs);
        if (!e.ok()) {
            state.SkipWithError(e.message.c_str());
            break;
        }
        seconds = e.value->iterationTime;
        benchmark::DoNotOptimize(e);
    }
    state.counters["iteration_s"] = seconds;
}

void Llama405bFixedStrategy(benchmark::State &state)
{
    coldEstimates(state, onDgxH100("llama3.1-405b", {8, 9, 16, 1, 2048, 1, 1}));
}
BENCHMARK(Llama405bFixedStrategy)->Unit(benchmark::kMillisecond);

// Qwen3-235B-A22B with its 128 experts over ep = 8 of an 8-way data-parallel group, t = 4,
// p = 2, full recomputation.
void Qwen3MoeFixedStrategy(benchmark::State &state)
{
    TrainingProblem p = onDgxH100("qwen3-235b-a22b", {4, 2, 8, 1, 512, 8, 1});
    p.recipe.recomputation = Recomputation::Full;
    coldEstimates(state, p);
}
BENCHMARK(Qwen3MoeFixedStrategy)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
