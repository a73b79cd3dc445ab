#pragma once

// Activation bytes a transformer layer keeps for its backward pass (docs/system-model.md,
// "Activations"), following the accounting of Korthikanti et al. 2022 (section 4) term by term, so
// that it extends to grouped-query attention and gated MLPs: per microbatch of b sequences of
// s tokens, with tensor-parallel width t and, optionally, sequence parallelism.

#include "core/spec/transformerspec.h"
#include "core/spec/trainingrecipe.h"

namespace phaze {

struct LayerActivationTerms {
    double replicated = 0.0; // bytes every tensor-parallel rank keeps whole (norm inputs, masks)
    double split = 0.0;      // bytes split over the tensor-parallel group (GEMM inputs, ...)
    double attentionCore = 0.0; // the s^2 terms (softmax, its dropout), split over t; fused:
                                // the softmax's fp32 log-sum-exp per row, a s b x 4
    // Mixture of experts: the routed token copies at full width (the experts' input and
    // output), which every tensor-parallel rank holds whole, sequence parallel or not.
    double expertTokens = 0.0;
};

// The terms for one transformer block at microbatch b and sequence s, before any division.
// With `experts`, the block's MLP is the mixture of experts, its busiest device receiving
// `expertLoad` times the mean b s k token copies.
LayerActivationTerms blockActivationTerms(const TransformerSpec &spec, int microbatch,
                                          int sequence, int bytesPerElement,
                                          AttentionKernel attention = AttentionKernel::Materialized,
                                          bool experts = false, double expertLoad = 1.0);

// Bytes one tensor-parallel rank keeps for one block and one microbatch under a recipe.
//   none:      replicated / (t if sequence parallel) + (split + core) / t
//   selective: the same without the attention core
//   full:      the block's input only, b s h x bytes (/ t if sequence parallel)
//   experts:   the routed token copies added whole (none and selective)
double blockActivationBytes(const TransformerSpec &spec, int microbatch, int sequence,
                            int tensorParallel, const TrainingRecipe &recipe,
                            int bytesPerElement, bool experts = false);

} // namespace phaze
