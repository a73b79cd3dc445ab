#pragma once

// The importer behind importOperatorGraph (operatorgraphjson.h). It reads the file in passes,
// each reporting every problem it finds rather than stopping at the first: the header, layers,
// operators and edges (operatorgraphparser.cpp), then layer sizes, cycles and the layer order,
// and finally, when nothing was wrong, the build of the ModelGraph (operatorgraphbuild.cpp).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/jsonfieldreader.h"
#include "core/io/operatorgraphjson.h"

namespace phaze {

struct GraphLayerIn {
    std::string id;
    LayerKind kind = LayerKind::Custom;
    bool tensorParallel = false;
    IntField parameters, replicated, tied, activation;
    bool valid = true;
    int references = 0;                     // operators naming this layer, valid or not
    std::vector<int> ops;                   // valid operators, in file order
    std::vector<std::pair<int, int>> edges; // local indices into ops
    std::map<std::pair<int, int>, std::int64_t> edgeIndex; // local edge -> edges[i]
    // resolved sizes
    std::int64_t parameterCount = 0, parameterBytes = 0, activationBytes = 0;
};

struct GraphOperatorIn {
    std::string id;
    std::string name;
    int layer = -1;
    int local = -1; // index in its layer's ops
    PrimitiveOp prim;
    bool valid = false;
};

// An edge between operators of different layers.
struct GraphCrossEdge {
    int from = 0;
    int to = 0;
    std::int64_t bytes = 0;
    std::int64_t index = 0; // in "edges"
};

class OperatorGraphParser
{
public:
    // text must outlive the parser.
    OperatorGraphParser(const std::string &text, std::string file, bool fusion,
                        const OperatorGraphLimits &limits)
        : m_text(text), m_file(std::move(file)), m_fusion(fusion), m_limits(limits),
          m_fields(m_file, limits.maxDiagnostics)
    {
    }

    Result<ModelGraph> run();

private:
    const nlohmann::json *readArray(const char *key, bool required, std::int64_t limit,
                                    const char *what);
    bool parseHeader(); // false when this is not an operator-graph file at all
    void parseLayer(const nlohmann::json &v, std::int64_t i);
    void parseOperator(const nlohmann::json &v, std::int64_t i);
    void parseEdge(const nlohmann::json &v, std::int64_t i);
    std::optional<std::int64_t> defaultBytes(const JsonPath &at, const char *key,
                                             long double bytes);
    // operatorgraphbuild.cpp
    void resolveLayers();
    void checkOperatorCycles();
    void orderLayers();
    ModelGraph build() const;

    const std::string &m_text;
    std::string m_file;
    bool m_fusion = true;
    OperatorGraphLimits m_limits;
    JsonFieldReader m_fields;
    nlohmann::json m_json;

    std::string m_name;
    int m_bytesPerElement = 2;
    int m_tensorParallel = 1;
    std::vector<GraphLayerIn> m_layers;
    std::unordered_map<std::string, int> m_layerIndex;
    std::vector<GraphOperatorIn> m_ops;
    std::unordered_map<std::string, int> m_opIndex;
    std::vector<GraphCrossEdge> m_cross;
    std::vector<int> m_layerOrder;
    std::map<std::pair<int, int>, std::int64_t> m_layerEdgeBytes; // file layer indices
};

} // namespace phaze
