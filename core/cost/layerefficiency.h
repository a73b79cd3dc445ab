#pragma once

// How well each distinct layer of a model graph uses the chip: its FLOPs over the time its
// pass takes over the chip's peak FLOP/s. PHAZE's profile times a layer by its exact schedule,
// the system profile by its kernels run one after another (docs/search.md, "Results").

#include <string>
#include <vector>

#include "core/model/modelgraph.h"

namespace phaze {

// One distinct layer body, per pass.
struct LayerEfficiency {
    std::string layer; // the first layer of this content ("block.0")
    int count = 0;     // layers of this content
    double forward = 0.0, backward = 0.0;
};

// Each distinct layer body's efficiency in the order the bodies first appear. `forward[i]` and
// `backward[i]` are the seconds of graph.layers[i]'s passes; a pass of zero seconds (or a zero
// peak) has efficiency 0.
std::vector<LayerEfficiency> layerEfficiencies(const ModelGraph &graph,
                                               const std::vector<double> &forward,
                                               const std::vector<double> &backward, double peak);

} // namespace phaze
