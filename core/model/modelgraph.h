#pragma once

// A model as a DAG of layers (embedding, transformer blocks, head, or imported layers), each
// layer holding its forward operator DAG. Layers with identical content share one LayerBody, so
// that later stages (cost model, scheduler) handle a repeated transformer block once.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/operatordag.h"

namespace phaze {

enum class LayerKind { Embedding, TransformerBlock, Head, Custom };
std::string_view layerKindName(LayerKind kind); // "embedding", "transformer", "head", "custom"

// The content of a layer (slice), shared between identical layers.
struct LayerBody {
    OperatorDag forward; // fused or unfused, as built
    int unfusedOperatorCount = 0;
    // Parameter counts per layer slice. sharded x t + replicated == full layer parameters.
    std::int64_t shardedParameters = 0;    // split across the t slices
    std::int64_t replicatedParameters = 0; // held whole by every slice (biases after row-parallel
                                           // GEMMs, norms, position embeddings)
    std::int64_t tiedParameters = 0;       // held by this layer but owned by another (tied LM head)
    // Routed experts' parameters this slice holds: its E / ep experts' 1 / t share. Their
    // gradients are reduced over the data-parallel ranks that hold the same experts (d / ep).
    std::int64_t expertParameters = 0;
    int expertGroup = 1; // ep: the devices the experts are spread over
    std::int64_t parameterBytes = 0;  // bytes of the parameters this slice holds (tied included)
    std::int64_t activationBytes = 0; // sum of operator outputs kept for the backward pass
    double flopsForward = 0.0;
    double flopsBackward = 0.0;
    std::string key; // structural content key (equal key == same body)

    // Parameters one slice holds (tied ones excluded), experts included.
    std::int64_t sliceParameters() const
    {
        return shardedParameters + replicatedParameters + expertParameters;
    }
};

struct Layer {
    int id = 0;         // index in ModelGraph::layers (topological order)
    int externalId = 0; // PHAZE-style id: < 0 before the first block, >= L after the last
    std::string name;   // "embedding", "block.17", "head"
    LayerKind kind = LayerKind::Custom;
    bool tensorParallel = false; // a slice of a tensor-parallel layer (needs t devices)
    std::shared_ptr<const LayerBody> body;

    // Full (unsliced) parameter count this layer owns, i.e. without tied parameters.
    std::int64_t fullParameters(int tensorParallelWidth) const;
};

struct LayerEdge {
    int source = 0; // layer index
    int target = 0;
    std::int64_t bytes = 0; // tensor sent per microbatch
};

struct GraphBuildOptions {
    int microbatch = 1;     // b
    int sequence = 0;       // s; 0 means the model's default
    int tensorParallel = 1; // t
    bool fusion = true;
    int bytesPerElement = 2;
    // The attention core as one FlashAttention-style kernel (scores never reach HBM; causal
    // models compute the lower triangle only) instead of Megatron's materialised scores.
    bool fusedAttention = false;
    int expertParallel = 1; // ep: routed experts spread over this many devices
    // cp: the sequence split over this many devices (ring attention): a device's layers run
    // on s / cp tokens, its attention over all s keys.
    int contextParallel = 1;
};

struct ModelGraph {
    std::string name;
    GraphBuildOptions options; // what it was built for (sequence resolved)
    std::vector<Layer> layers; // topological order
    std::vector<LayerEdge> edges;
    int transformerBlocks = 0; // count of TransformerBlock layers
    // Routed-expert parameters a token does not pass through: the (E - k) experts it is not
    // sent to, in every mixture-of-experts block (0 for a dense model).
    std::int64_t inactiveParameters = 0;

    std::int64_t totalParameters() const; // full model, each parameter once
    // What one token computes with (Mixtral's "active" count): total less the unrouted experts.
    std::int64_t activeParameters() const { return totalParameters() - inactiveParameters; }
    // Indices of one representative layer per distinct body, in first-appearance order.
    std::vector<int> distinctLayers() const;
    bool isChain() const;
    std::vector<int> topologicalOrder() const; // empty on a cycle
};

// Makes layer bodies with equal structural keys share one object and fills LayerBody::key.
void shareIdenticalBodies(ModelGraph &graph);

} // namespace phaze
