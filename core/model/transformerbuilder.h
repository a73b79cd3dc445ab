#pragma once

// Builds the layer graph of a transformer (embedding, L blocks, head) for microbatch b,
// sequence s and tensor-parallel width t, with Megatron slicing and operator fusion
// (algorithms.md §1). Identical blocks share one LayerBody.

#include <string_view>

#include "core/base/status.h"
#include "core/model/modelgraph.h"
#include "core/spec/transformerspec.h"

namespace phaze {

// Status Optimal with the graph, or Error when the options do not fit the model (e.g. t does
// not divide the number of heads).
Result<ModelGraph> buildTransformer(const TransformerSpec &spec, const GraphBuildOptions &options);

// Whether an operator of a block built here belongs to the attention core: QK^T, its scale,
// mask, softmax and dropout, and the attention over V (what selective recomputation replays).
bool isAttentionCoreOperator(std::string_view operatorName);

// Whether an operator of a block built here runs on a routed expert's tokens (its GEMMs and
// activation): what the busiest device runs more of when routing is uneven.
bool isRoutedExpertOperator(std::string_view operatorName);

} // namespace phaze
