#pragma once

// Import and export of operator-graph JSON (docs/operator-graph-format.md): an arbitrary
// operator DAG whose operators carry a layer id, a kind and shapes. Importing turns it into a
// ModelGraph (layers in a topological order, bodies shared between identical layers) so that
// models beyond the built-in zoo can be placed and searched; every problem in the file is
// reported as a located diagnostic, never as an exception.

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/status.h"
#include "core/model/modelgraph.h"

namespace phaze {

// Limits that keep a hostile or broken file from exhausting memory or overflowing sizes.
struct OperatorGraphLimits {
    std::int64_t maxOperators = 1'000'000;
    std::int64_t maxLayers = 100'000;
    std::int64_t maxEdges = 10'000'000;
    int maxDiagnostics = 1000; // further errors are counted in one final diagnostic
};

inline constexpr std::int64_t kOperatorGraphMaxBytes = 1'000'000'000'000'000'000; // 1e18
inline constexpr std::int64_t kOperatorGraphMaxElements = std::int64_t(1) << 53;  // 2^53
inline constexpr std::int64_t kOperatorGraphMaxFileBytes = std::int64_t(1) << 30; // 1 GiB

// The imports give Optimal with the graph, or Error with every problem located in
// `diagnostics` (at most limits.maxDiagnostics of them). fileName only labels diagnostics and
// gives the default model name.
Result<ModelGraph> importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                       bool fusion = true);
Result<ModelGraph> importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                       bool fusion, const OperatorGraphLimits &limits);
// A file that cannot be read is reported as a diagnostic too.
Result<ModelGraph> importOperatorGraphFile(const std::string &path, bool fusion = true);

// Writes what the graph holds in the same format: each part of a fused operator becomes its
// own operator, and layer sizes (parameters, activations, edge bytes) are written explicitly,
// so importing the result reproduces the layers, edges, parameters and flops.
std::string exportOperatorGraph(const ModelGraph &graph);

} // namespace phaze
