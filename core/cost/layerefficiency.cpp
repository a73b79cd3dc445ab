#include "core/cost/layerefficiency.h"

#include <map>

namespace phaze {

std::vector<LayerEfficiency> layerEfficiencies(const ModelGraph &graph,
                                               const std::vector<double> &forward,
                                               const std::vector<double> &backward, double peak)
{
    const auto ratio = [peak](double flops, double seconds) {
        return peak > 0.0 && seconds > 0.0 ? flops / seconds / peak : 0.0;
    };
    std::vector<LayerEfficiency> out;
    std::map<const LayerBody *, std::size_t> seen; // looked up only: the order is `out`'s
    for (std::size_t i = 0; i < graph.layers.size() && i < forward.size() && i < backward.size();
         ++i) {
        const Layer &layer = graph.layers[i];
        const auto [at, added] = seen.try_emplace(layer.body.get(), out.size());
        if (!added) {
            ++out[at->second].count;
            continue;
        }
        out.push_back({layer.name, 1, ratio(layer.body->flopsForward, forward[i]),
                       ratio(layer.body->flopsBackward, backward[i])});
    }
    return out;
}

} // namespace phaze
