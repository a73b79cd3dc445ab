#pragma once

// The input of the device-placement DP (algorithms.md §4) as plain structs. The engine is
// unit-agnostic: latencies, bytes and bandwidth only need to be consistent (the PHAZE JSON
// interop passes milliseconds and bytes/ms, the project's SI path seconds and bytes/s). Both the
// PHAZE JSON reader and a ModelGraph with per-layer latencies fill these structs.

#include <optional>
#include <vector>

#include "core/spec/projectspec.h"

namespace phaze {

struct ModelGraph;

struct PlacementLayer {
    int id = 0;                   // caller's id (PHAZE: < 0 before the first block)
    double parameterBytes = 0.0;  // weights of the layer (slice)
    double activationBytes = 0.0; // all activations kept for the backward pass, per microbatch
    double forward = 0.0;         // latency per microbatch
    double backward = 0.0;
    bool tensorParallel = false; // a slice of a tensor-parallel layer: its stage needs t devices
};

struct PlacementEdge {
    int source = 0; // layer ids
    int target = 0;
    double bytes = 0.0; // sent per microbatch
};

// The layer DAG for one tensor-parallel width t.
struct PlacementGraph {
    int tensorParallelWidth = 1;
    std::vector<PlacementLayer> layers;
    std::vector<PlacementEdge> edges;
};

// The Megatron-style baseline: p stages of t devices, data parallelism d, transformer blocks
// split into contiguous groups of ceil(L / p).
struct FixedStrategy {
    int pipelineStages = 1;
    int tensorParallel = 1;
    int dataParallel = 1;
    int transformerBlocks = 0;
};

struct PlacementInput {
    std::vector<PlacementGraph> graphs; // one per available tensor-parallel width
    int devices = 1;                    // N
    double memoryPerDevice = 0.0;       // M, bytes
    double bandwidth = 0.0;             // W, bytes per time unit
    int microbatches = 1;               // microbatches per batch (global batch / microbatch size)
    bool recomputation = false;
    Optimizer optimizer = Optimizer::Sgd;
    std::optional<FixedStrategy> fixed;
};

// The largest inputs the DP accepts (the project file's maxima for accelerators and global
// batch): its data-parallel loop is linear in both, and every count fits an int with room.
constexpr int kMaxPlacementDevices = 1 << 20;
constexpr int kMaxPlacementMicrobatches = 1'000'000'000;
// Layers per graph. The DP's work grows as n^3 on a chain (1,024 layers: about 6 s on 2^20
// devices, 4,096: minutes), counting downsets keeps an n^2-bit ancestor matrix and recurses once
// per layer (10^5 layers overflowed the stack). Real models have a few hundred layers.
constexpr int kMaxPlacementLayers = 1024;

// "" when the input is well formed, otherwise the first problem found, naming the layer, edge
// or field (checks what PHAZE's program checks, except that branching graphs are accepted).
std::string validatePlacementInput(const PlacementInput &input);

// The layer DAG of a model built for one tensor-parallel width, with per-layer latencies
// (indexed like graph.layers). Layer ids are the model's external (PHAZE-style) ids.
PlacementGraph placementGraphFromModel(const ModelGraph &graph, const std::vector<double> &forward,
                                       const std::vector<double> &backward);

} // namespace phaze
