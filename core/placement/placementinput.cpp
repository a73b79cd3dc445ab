#include "core/placement/placementinput.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "core/model/modelgraph.h"
#include "core/placement/layerdag.h"

namespace phaze {

namespace {

// A batch's time and a device's bytes are sums and products of the inputs: refuse inputs whose
// totals leave the range of a double, so that no result is inf or NaN.
std::string checkMagnitudes(const PlacementInput &input)
{
    for (const PlacementGraph &g : input.graphs) {
        double time = 0.0, bytes = 0.0, sent = 0.0;
        for (const PlacementLayer &l : g.layers) {
            time += l.forward + 2 * l.backward; // backward includes a replayed forward
            bytes += 3 * l.parameterBytes + l.activationBytes;
        }
        for (const PlacementEdge &e : g.edges)
            sent += e.bytes;
        // Each stage sends at most everything, twice per microbatch (forward and backward).
        const double transfer = 2 * (sent + bytes) / input.bandwidth;
        const double perBatch =
            (time + transfer) * (double(input.microbatches) + double(g.layers.size()));
        // At most one stage's activations per device in flight, plus everything else.
        const double perDevice = bytes * (1.0 + double(input.devices));
        if (!std::isfinite(perBatch) || !std::isfinite(perDevice))
            return "the latencies or sizes of the graph of width " +
                   std::to_string(g.tensorParallelWidth) +
                   " are too large: the time per batch or the bytes per device would overflow";
    }
    return {};
}

} // namespace

std::string validatePlacementInput(const PlacementInput &input)
{
    if (input.devices < 1)
        return "the number of devices must be at least 1";
    if (input.devices > kMaxPlacementDevices)
        return "the number of devices " + std::to_string(input.devices) +
               " is too large: at most " + std::to_string(kMaxPlacementDevices) +
               " devices are supported";
    if (!std::isfinite(input.bandwidth) || input.bandwidth <= 0.0)
        return "the bandwidth must be positive";
    if (!std::isfinite(input.memoryPerDevice) || input.memoryPerDevice <= 0.0)
        return "the memory per device must be positive";
    if (input.microbatches < 1)
        return "the number of microbatches per batch must be at least 1";
    if (input.microbatches > kMaxPlacementMicrobatches)
        return "the number of microbatches per batch " + std::to_string(input.microbatches) +
               " is too large: at most " + std::to_string(kMaxPlacementMicrobatches) +
               " are supported";
    if (input.graphs.empty())
        return "no layer graph (no tensor-parallel width) given";
    std::set<int> widths;
    for (const PlacementGraph &g : input.graphs) {
        if (g.layers.size() > std::size_t(kMaxPlacementLayers))
            return "the graph of width " + std::to_string(g.tensorParallelWidth) + " has " +
                   std::to_string(g.layers.size()) + " layers, over the limit of " +
                   std::to_string(kMaxPlacementLayers) + " for the placement DP";
        if (!widths.insert(g.tensorParallelWidth).second)
            return "tensor-parallel width " + std::to_string(g.tensorParallelWidth) +
                   " is given twice";
        LayerDag dag;
        if (std::string why = LayerDag::build(g, dag); !why.empty())
            return why;
    }
    // Every width must describe the same layers and edges, only with other costs.
    const auto shape = [](const PlacementGraph &g) {
        std::vector<int> ids;
        for (const PlacementLayer &l : g.layers)
            ids.push_back(l.id);
        std::vector<std::pair<int, int>> edges;
        for (const PlacementEdge &e : g.edges)
            edges.emplace_back(e.source, e.target);
        std::sort(ids.begin(), ids.end());
        std::sort(edges.begin(), edges.end());
        return std::make_pair(ids, edges);
    };
    const auto reference = shape(input.graphs.front());
    for (const PlacementGraph &g : input.graphs) {
        if (shape(g) != reference)
            return "the graphs of widths " +
                   std::to_string(input.graphs.front().tensorParallelWidth) + " and " +
                   std::to_string(g.tensorParallelWidth) + " do not have the same layers and edges";
    }
    return checkMagnitudes(input);
}

PlacementGraph placementGraphFromModel(const ModelGraph &graph, const std::vector<double> &forward,
                                       const std::vector<double> &backward)
{
    PlacementGraph out;
    out.tensorParallelWidth = graph.options.tensorParallel;
    for (std::size_t i = 0; i < graph.layers.size(); ++i) {
        const Layer &l = graph.layers[i];
        PlacementLayer p;
        p.id = l.externalId;
        if (l.body) {
            p.parameterBytes = double(l.body->parameterBytes);
            p.activationBytes = double(l.body->activationBytes);
        }
        p.forward = i < forward.size() ? forward[i] : 0.0;
        p.backward = i < backward.size() ? backward[i] : 0.0;
        p.tensorParallel = l.tensorParallel && out.tensorParallelWidth > 1;
        out.layers.push_back(p);
    }
    for (const LayerEdge &e : graph.edges) {
        out.edges.push_back({graph.layers[std::size_t(e.source)].externalId,
                             graph.layers[std::size_t(e.target)].externalId, double(e.bytes)});
    }
    return out;
}

} // namespace phaze
