#include "core/io/modeljson.h"

#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/jsontext.h"

namespace phaze {

std::string modelSummaryJson(const ModelGraph &graph, int indent)
{
    using Json = nlohmann::ordered_json; // keeps the fields in a readable order

    const std::vector<int> distinct = graph.distinctLayers();
    // Bodies are matched by object first; the key covers graphs whose equal bodies were not
    // merged into one object.
    std::map<const LayerBody *, int> byObject;
    std::map<std::string, int> byKey;
    for (std::size_t i = 0; i < distinct.size(); ++i) {
        const Layer &layer = graph.layers[std::size_t(distinct[i])];
        byObject.emplace(layer.body.get(), int(i));
        if (layer.body && !layer.body->key.empty())
            byKey.emplace(layer.body->key, int(i));
    }

    Json out;
    out["name"] = graph.name;
    out["microbatch"] = graph.options.microbatch;
    out["sequence"] = graph.options.sequence;
    out["tensor_parallel"] = graph.options.tensorParallel;
    out["fusion"] = graph.options.fusion;
    out["bytes_per_element"] = graph.options.bytesPerElement;
    out["parameters"] = graph.totalParameters();
    out["active_parameters"] = graph.activeParameters();
    out["transformer_blocks"] = graph.transformerBlocks;

    Json layers = Json::array();
    for (const Layer &layer : graph.layers) {
        static const LayerBody kEmpty;
        const LayerBody &body = layer.body ? *layer.body : kEmpty;
        int bodyIndex = -1;
        if (const auto it = byObject.find(layer.body.get()); it != byObject.end())
            bodyIndex = it->second;
        else if (const auto k = byKey.find(body.key); !body.key.empty() && k != byKey.end())
            bodyIndex = k->second;
        Json l;
        l["id"] = layer.id;
        l["external_id"] = layer.externalId;
        l["name"] = layer.name;
        l["kind"] = std::string(layerKindName(layer.kind));
        l["tensor_parallel"] = layer.tensorParallel;
        l["parameters"] = body.sliceParameters();
        l["sharded_parameters"] = body.shardedParameters;
        l["replicated_parameters"] = body.replicatedParameters;
        l["tied_parameters"] = body.tiedParameters;
        l["parameter_bytes"] = body.parameterBytes;
        l["activation_bytes"] = body.activationBytes;
        l["operators"] = body.forward.ops.size();
        l["operators_unfused"] = body.unfusedOperatorCount;
        l["flops_forward"] = body.flopsForward;
        l["flops_backward"] = body.flopsBackward;
        l["body"] = bodyIndex;
        layers.push_back(std::move(l));
    }
    out["layers"] = std::move(layers);

    Json edges = Json::array();
    for (const LayerEdge &e : graph.edges)
        edges.push_back(Json{{"source", e.source}, {"target", e.target}, {"bytes", e.bytes}});
    out["edges"] = std::move(edges);

    Json ids = Json::array();
    for (int index : distinct)
        ids.push_back(graph.layers[std::size_t(index)].id);
    out["distinct_layers"] = std::move(ids);
    // Names come from user files; never let a stray byte turn into an exception.
    return dumpJson(out, indent);
}

} // namespace phaze
