#pragma once

// The three kinds of transformer layer slices (embedding, block, head) as unfused operator DAGs
// with their parameter counts, for the transformer builder (algorithms.md §1). Internal to
// core/model: other stages read the finished ModelGraph.

#include <cstdint>

#include "core/model/layerdagbuilder.h"
#include "core/spec/transformerspec.h"

namespace phaze {

// Sizes of one tensor-parallel slice; the builder has validated that t divides a, h and f
// (and ep the experts).
struct SliceDims {
    std::int64_t microbatch = 1;  // b
    std::int64_t sequence = 1;    // s / cp: the tokens of a sequence on this device
    std::int64_t keys = 1;        // s: the keys each query attends to (the whole sequence)
    std::int64_t tokens = 1;      // M = b * s / cp
    std::int64_t hidden = 1;      // h
    std::int64_t headsSlice = 1;  // a / t
    std::int64_t headDim = 1;     // h / a
    std::int64_t kvSlice = 1;     // (kv / t) x h / a: the width of K (and of V) per slice
    std::int64_t querySlice = 1;  // (a / t) x head width: the width of Q per slice (h / t)
    std::int64_t ffnSlice = 1;    // f / t
    std::int64_t embedding = 1;   // token embedding width E (h unless projected)
    std::int64_t vocabSlice = 1;  // ceil(V / t): vocabulary-parallel rows per slice
    std::int64_t bytes = 2;       // bytes per element
    int tensorParallel = 1;       // t
    bool fusedAttention = false;  // the attention core as one FlashAttention-style kernel
    // Mixture of experts: E / ep routed experts on each device of an expert-parallel group of
    // ep, each over the tokens routed to it (b s k ep / E on average, rounded up).
    int expertParallel = 1;          // ep
    std::int64_t localExperts = 0;   // E / ep
    std::int64_t tokensPerExpert = 0;
    std::int64_t expertFfnSlice = 0; // expert width / t
    std::int64_t sharedFfnSlice = 0; // shared experts' width / t

    static SliceDims of(const TransformerSpec &spec, int microbatch, int sequence,
                        int tensorParallel, int bytesPerElement, int expertParallel = 1,
                        int contextParallel = 1);
};

// Llama-style models (RMSNorm) train without dropout; the others apply it after the embedding,
// to attention probabilities and to each sublayer output.
bool usesDropout(const TransformerSpec &spec);
std::int64_t normParameters(const TransformerSpec &spec, std::int64_t hidden);

LayerDagBuilder buildEmbeddingSlice(const TransformerSpec &spec, const SliceDims &dims);
// A block with the dense MLP, or with the mixture-of-experts MLP when `experts`.
LayerDagBuilder buildBlockSlice(const TransformerSpec &spec, const SliceDims &dims, bool experts);
LayerDagBuilder buildHeadSlice(const TransformerSpec &spec, const SliceDims &dims);

} // namespace phaze
