#include "core/model/modelgraph.h"

#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace phaze {

namespace {

// The body key covers everything a later stage reads from a body, not only the DAG: two
// layers with the same operators but different parameter counts must stay apart.
std::string bodyKey(const LayerBody &body)
{
    std::string key = structuralKey(body.forward);
    for (std::int64_t value : {std::int64_t(body.unfusedOperatorCount), body.shardedParameters,
                               body.replicatedParameters, body.tiedParameters, body.parameterBytes,
                               body.activationBytes, body.expertParameters,
                               std::int64_t(body.expertGroup)}) {
        key += '|';
        key += std::to_string(value);
    }
    return key;
}

} // namespace

std::string_view layerKindName(LayerKind kind)
{
    switch (kind) {
    case LayerKind::Embedding:
        return "embedding";
    case LayerKind::TransformerBlock:
        return "transformer";
    case LayerKind::Head:
        return "head";
    case LayerKind::Custom:
        return "custom";
    }
    return "custom";
}

std::int64_t Layer::fullParameters(int tensorParallelWidth) const
{
    if (!body) {
        return 0;
    }
    // A vocabulary-parallel table with V not divisible by t holds ceil(V/t) rows per slice; the
    // padding rows count, as in Megatron's padded vocabulary.
    const std::int64_t width = tensorParallelWidth < 1 ? 1 : tensorParallelWidth;
    return body->shardedParameters * width + body->replicatedParameters +
           body->expertParameters * width * body->expertGroup;
}

std::int64_t ModelGraph::totalParameters() const
{
    std::int64_t total = 0;
    for (const Layer &layer : layers) {
        total += layer.fullParameters(layer.tensorParallel ? options.tensorParallel : 1);
    }
    return total;
}

std::vector<int> ModelGraph::distinctLayers() const
{
    std::vector<int> result;
    std::unordered_set<const LayerBody *> seenBodies;
    std::unordered_set<std::string> seenKeys;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerBody *body = layers[i].body.get();
        if (!seenBodies.insert(body).second) {
            continue;
        }
        // Bodies that were never shared but carry equal keys are the same layer too.
        if (body && !body->key.empty() && !seenKeys.insert(body->key).second) {
            continue;
        }
        result.push_back(int(i));
    }
    return result;
}

bool ModelGraph::isChain() const
{
    const std::size_t count = layers.size();
    if (count <= 1) {
        return edges.empty();
    }
    if (edges.size() != count - 1) {
        return false;
    }
    std::vector<int> inDegree(count, 0);
    std::vector<int> outDegree(count, 0);
    for (const LayerEdge &edge : edges) {
        if (edge.source < 0 || edge.target < 0 || std::size_t(edge.source) >= count ||
            std::size_t(edge.target) >= count) {
            return false;
        }
        ++outDegree[edge.source];
        ++inDegree[edge.target];
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (inDegree[i] > 1 || outDegree[i] > 1) {
            return false;
        }
    }
    // n - 1 edges, degrees at most one and no cycle: a single path.
    return !topologicalOrder().empty();
}

std::vector<int> ModelGraph::topologicalOrder() const
{
    const int count = int(layers.size());
    std::vector<std::vector<int>> successors(static_cast<std::size_t>(count));
    for (const LayerEdge &edge : edges)
        if (edge.source >= 0 && edge.target >= 0 && edge.source < count && edge.target < count)
            successors[std::size_t(edge.source)].push_back(edge.target);
    return topologicalOrderOf(successors);
}

void shareIdenticalBodies(ModelGraph &graph)
{
    // The original bodies stay alive until the end so that their addresses, used to key each
    // distinct body object only once, cannot be reused by a new allocation meanwhile.
    std::vector<std::shared_ptr<const LayerBody>> originals;
    originals.reserve(graph.layers.size());
    std::unordered_map<const LayerBody *, std::string> keyOf;
    std::unordered_map<std::string, std::shared_ptr<const LayerBody>> canonical;
    for (Layer &layer : graph.layers) {
        if (!layer.body) {
            continue;
        }
        originals.push_back(layer.body);
        auto known = keyOf.find(layer.body.get());
        if (known == keyOf.end()) {
            known = keyOf.emplace(layer.body.get(), bodyKey(*layer.body)).first;
        }
        const std::string &key = known->second;
        auto found = canonical.find(key);
        if (found == canonical.end()) {
            std::shared_ptr<const LayerBody> body = layer.body;
            if (body->key != key) {
                auto keyed = std::make_shared<LayerBody>(*body);
                keyed->key = key;
                body = std::move(keyed);
            }
            found = canonical.emplace(key, std::move(body)).first;
        }
        layer.body = found->second;
    }
}

} // namespace phaze
