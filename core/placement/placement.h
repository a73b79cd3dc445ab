#pragma once

// Device placement over N accelerators by dynamic programming (algorithms.md §4), combining
// data, pipeline and tensor parallelism under a per-device memory limit, as PHAZE defines it,
// and extended to branching layer graphs and the GPipe memory model.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/placement/memorymodel.h"
#include "core/placement/placementinput.h"
#include "core/spec/searchdefaults.h"

namespace phaze {

// How the fixed baseline assigns layers to stages. PHAZE's program counts positions in its
// topological order (blocks are positions 0..L-1, everything after goes to the last stage, so
// a layer before the first block shifts the last block into the last stage); LayerIds follows
// the documented Megatron rule (ids < 0 first stage, blocks by id, ids >= L last stage).
enum class FixedLayout { PhazePositions, LayerIds };

// PHAZE's limit on the downset lattice, the default of `phaze place` (PHAZE's own DP inputs).
inline constexpr std::size_t kPhazeMaxDownsets = 40'000;

struct PlacementOptions {
    PipelineSchedule schedule = PipelineSchedule::OneFOneB; // memory model (and timeline)
    // Per width; larger layer graphs are refused with the count. The project's default
    // (search.max_downsets); `phaze place` passes PHAZE's own limit, kPhazeMaxDownsets.
    std::size_t maxDownsets = std::size_t(kDefaultMaxDownsets);
    std::size_t maxTableBytes = std::size_t(1) << 30; // DP table per width
    FixedLayout fixedLayout = FixedLayout::PhazePositions;
};

struct PlacedStage {
    std::vector<int> layers; // layer ids, topological order
    int devices = 1;         // per pipeline replica (t for tensor-parallel stages)
    int position = 1;        // s: 1 is the last stage
    double forward = 0.0;    // per microbatch
    double backward = 0.0;   // per microbatch, including the replayed forward when recomputing
    double load = 0.0;       // forward + backward
    double parameterBytes = 0.0;
    double memoryBytes = 0.0; // per device, at this position under the chosen memory model
    MemoryBreakdown memory;   // memoryBytes term by term (memory.total() == memoryBytes)
};

struct FixedBaseline {
    bool feasible = false;
    double timePerBatch = 0.0;
    std::string message; // why it is infeasible
    int pipelineStages = 0, tensorParallel = 0, dataParallel = 0;
    std::vector<PlacedStage> stages;
};

struct Placement {
    std::vector<PlacedStage> stages; // first stage first
    int dataParallel = 1;
    int tensorParallel = 1;
    int devicesPerPipeline = 0;      // used by one replica
    int microbatchesPerPipeline = 1; // ceil(n_mb / d)
    double maxLoad = 0.0;
    double allReduceTime = 0.0; // 4 (d - 1) P_first / (W d)
    double timePerBatch = 0.0;  // maxLoad (ceil(n_mb/d) + S - 1) + allReduceTime
    std::optional<FixedBaseline> fixed;
    long long downsets = 0;   // summed over widths
    long long stagePairs = 0; // (downset, sub-downset) pairs evaluated
};

Result<Placement> place(const PlacementInput &input, const PlacementOptions &options = {},
                        ProgressSink progress = {}, CancelToken cancel = {});

} // namespace phaze
