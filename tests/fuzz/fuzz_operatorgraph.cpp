// Fuzz target: the operator-graph JSON importer (importOperatorGraph). A graph that imports must
// be a well-formed ModelGraph, and exporting and importing it again must reproduce its layers,
// edges and parameters (docs/operator-graph-format.md).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/io/operatorgraphjson.h"
#include "tests/fuzz/fuzzcheck.h"

namespace {

using namespace phaze;

const std::string kFile = "fuzz.json";

void checkGraph(const ModelGraph &g)
{
    const int n = int(g.layers.size());
    fuzz::check(n > 0, "an imported graph has no layers");
    for (int i = 0; i < n; ++i) {
        fuzz::check(g.layers[std::size_t(i)].id == i, "layer ids are not indices");
        fuzz::check(g.layers[std::size_t(i)].body != nullptr, "a layer has no body");
    }
    for (const LayerEdge &e : g.edges) {
        fuzz::check(e.source >= 0 && e.source < n && e.target >= 0 && e.target < n,
                    "a layer edge is out of range");
        fuzz::check(e.source < e.target, "layers are not in topological order");
        fuzz::check(e.bytes >= 0, "a layer edge has negative bytes");
    }
    fuzz::check(int(g.topologicalOrder().size()) == n, "the layer graph has a cycle");
    fuzz::check(g.totalParameters() >= 0, "negative parameter count");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    // The first byte picks fusion on or off, so both build paths are exercised.
    const bool fusion = size == 0 || (data[0] & 1) == 0;
    const Result<ModelGraph> in = importOperatorGraph(text, kFile, fusion);
    fuzz::checkDiagnostics(in.diagnostics, kFile);
    fuzz::check(in.ok() == in.diagnostics.empty(),
                "a graph is returned exactly when there are no errors");
    if (!in.ok())
        return 0;
    const ModelGraph &g = *in.value;
    checkGraph(g);

    const std::string exported = exportOperatorGraph(g);
    const Result<ModelGraph> again = importOperatorGraph(exported, kFile, fusion);
    if (!again.ok())
        fuzz::fail("the exported graph does not import: " + fuzz::firstError(again.diagnostics) +
                   "\n--- exported:\n" + exported);
    const ModelGraph &h = *again.value;
    fuzz::check(h.layers.size() == g.layers.size(), "re-import changes the layer count");
    fuzz::check(h.edges.size() == g.edges.size(), "re-import changes the edge count");
    fuzz::check(h.totalParameters() == g.totalParameters(), "re-import changes the parameters");
    for (std::size_t i = 0; i < g.edges.size(); ++i) {
        fuzz::check(h.edges[i].source == g.edges[i].source &&
                        h.edges[i].target == g.edges[i].target &&
                        h.edges[i].bytes == g.edges[i].bytes,
                    "re-import changes edge " + std::to_string(i));
    }
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
        const LayerBody &a = *g.layers[i].body;
        const LayerBody &b = *h.layers[i].body;
        fuzz::check(a.parameterBytes == b.parameterBytes &&
                        a.activationBytes == b.activationBytes &&
                        a.sliceParameters() == b.sliceParameters(),
                    "re-import changes the sizes of layer " + std::to_string(i));
        const double scale = std::max(1.0, std::abs(a.flopsForward));
        fuzz::check(std::abs(a.flopsForward - b.flopsForward) <= 1e-9 * scale,
                    "re-import changes the flops of layer " + std::to_string(i));
    }
    return 0;
}
