// Time of the placement DP (algorithms.md §4) on PHAZE's gpt3-like-large instance (98 layers x
// 4 tensor-parallel widths, 1024 devices; PHAZE's own program takes about 7 s), and how it grows
// with layers (24..192 blocks, 1024 devices) and with devices (64..4096).
//   build/benchmarks/bench_placement --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <optional>

#include "core/io/phazejson.h"
#include "core/placement/placement.h"

using namespace phaze;

namespace {

const PlacementInput &gpt3LikeLarge()
{
    static const std::optional<PlacementInput> in = [] {
        Diagnostics errors;
        return loadPhazeInput(std::string(PHAZE_SOURCE_DIR) +
                                  "/tests/data/phaze-dp/gpt3-like-large.input.json",
                              errors);
    }();
    return *in;
}

// gpt3-like-large with its block repeated to `blocks` transformer blocks (ids stay PHAZE-style:
// -1 the embedding, 0..blocks-1 the blocks, blocks the head).
PlacementInput withBlocks(int blocks, int devices)
{
    PlacementInput in = gpt3LikeLarge();
    in.devices = devices;
    for (PlacementGraph &g : in.graphs) {
        const PlacementLayer embedding = g.layers.front(), block = g.layers[1],
                             head = g.layers.back();
        const double bytes = g.edges[1].bytes;
        g.layers.clear();
        g.edges.clear();
        g.layers.push_back(embedding);
        for (int i = 0; i < blocks; ++i) {
            PlacementLayer l = block;
            l.id = i;
            g.layers.push_back(l);
        }
        PlacementLayer h = head;
        h.id = blocks;
        g.layers.push_back(h);
        for (int i = -1; i < blocks; ++i)
            g.edges.push_back({i, i + 1, bytes});
    }
    in.fixed.reset();
    return in;
}

void run(benchmark::State &state, const PlacementInput &in)
{
    for (auto _ : state) {
        Result<Placement> r = place(in);
        if (!r.ok()) {
            state.SkipWithError(r.message.c_str());
            break;
        }
        benchmark::DoNotOptimize(r);
        state.counters["timePerBatch"] = r.value->timePerBatch;
    }
}

void BM_PlaceGpt3LikeLarge(benchmark::State &state)
{
    run(state, gpt3LikeLarge());
}
BENCHMARK(BM_PlaceGpt3LikeLarge)->Unit(benchmark::kMillisecond);

void BM_PlaceByLayers(benchmark::State &state)
{
    run(state, withBlocks(int(state.range(0)), 1024));
}
BENCHMARK(BM_PlaceByLayers)->Arg(24)->Arg(48)->Arg(96)->Arg(192)->Unit(benchmark::kMillisecond);

void BM_PlaceByDevices(benchmark::State &state)
{
    PlacementInput in = gpt3LikeLarge();
    in.devices = int(state.range(0));
    run(state, in);
}
BENCHMARK(BM_PlaceByDevices)->RangeMultiplier(2)->Range(64, 4096)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
