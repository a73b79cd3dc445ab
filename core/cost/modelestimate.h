#pragma once

// Costs of every operator of every distinct layer of a model graph, forward and backward, in
// both modes: what `phaze estimate` prints and what the GUI tables show.

#include <string>
#include <vector>

#include "core/cost/costmodel.h"
#include "core/model/modelgraph.h"

namespace phaze {

struct OperatorEstimate {
    std::string layer; // name of the representative layer ("block.0")
    std::string name;  // operator name ("attn.qkv+attn.qkv.bias", "mlp.fc1.bwd")
    std::string parts; // part kinds joined by '+' ("linear+add+gelu")
    bool backward = false;
    OperatorCost cost;
};

std::vector<OperatorEstimate>
estimateModel(const ModelGraph &graph, const AcceleratorConfig &config, const CostModel &model);

} // namespace phaze
