#pragma once

// A JSON summary of a built model graph (`phaze model --json`): the build options, the total
// parameter count, one entry per layer with its sizes and flops, the layer edges and the
// layers that represent the distinct bodies.

#include <string>

#include "core/model/modelgraph.h"

namespace phaze {

// Each layer's "body" is the index into "distinct_layers" of the layer whose body it shares.
// A negative indent writes compact JSON.
std::string modelSummaryJson(const ModelGraph &graph, int indent = 2);

} // namespace phaze
