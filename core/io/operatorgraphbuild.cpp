#include "core/io/operatorgraphparser.h"

// The passes of OperatorGraphParser that need every layer, operator and edge read (sizes,
// cycles, the layer order) and the build of the ModelGraph from what they validated.

#include <algorithm>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <tuple>
#include <vector>

#include "core/io/operatorgraphformat.h"

namespace phaze {
namespace {

// Collectives move data rather than produce activations, and no-ops alias their input.
bool keepsActivation(OpKind kind)
{
    return !isNoOpKind(kind) && !isCollectiveKind(kind);
}

// Kahn's algorithm, taking the lowest-numbered ready node first so that the order follows the
// file wherever the graph allows. Returns the order; on a cycle, a cycle (first node repeated
// at the end) in `cycle` and a partial order.
std::vector<int> stableTopologicalOrder(int n, const std::vector<std::pair<int, int>> &edges,
                                        std::vector<int> *cycle)
{
    const auto size = static_cast<std::size_t>(n);
    std::vector<std::vector<int>> successors(size), predecessors(size);
    std::vector<int> indegree(std::size_t(n), 0);
    for (const auto &[from, to] : edges) {
        successors[std::size_t(from)].push_back(to);
        predecessors[std::size_t(to)].push_back(from);
        ++indegree[std::size_t(to)];
    }
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (int i = 0; i < n; ++i) {
        if (indegree[std::size_t(i)] == 0)
            ready.push(i);
    }
    std::vector<int> order;
    while (!ready.empty()) {
        const int node = ready.top();
        ready.pop();
        order.push_back(node);
        for (int next : successors[std::size_t(node)]) {
            if (--indegree[std::size_t(next)] == 0)
                ready.push(next);
        }
    }
    if (int(order.size()) == n || !cycle)
        return order;
    // Every node left has a predecessor that is also left: walking back must close a cycle.
    int node = 0;
    while (indegree[std::size_t(node)] == 0)
        ++node;
    std::vector<int> visitedAt(std::size_t(n), -1), walk;
    while (visitedAt[std::size_t(node)] < 0) {
        visitedAt[std::size_t(node)] = int(walk.size());
        walk.push_back(node);
        for (int p : predecessors[std::size_t(node)]) {
            if (indegree[std::size_t(p)] > 0) {
                node = p;
                break;
            }
        }
    }
    cycle->assign(walk.begin() + visitedAt[std::size_t(node)], walk.end());
    std::reverse(cycle->begin(), cycle->end());
    // Start the cycle at its first node in file order, so the message does not depend on
    // where the walk happened to enter it.
    std::rotate(cycle->begin(), std::min_element(cycle->begin(), cycle->end()), cycle->end());
    cycle->push_back(cycle->front());
    return order;
}

std::string cycleText(const std::vector<int> &cycle, const std::function<std::string(int)> &name)
{
    std::string out;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
        if (i == 8 && cycle.size() > 10) {
            out += " -> ... (" + std::to_string(cycle.size() - 9) + " more)";
            i = cycle.size() - 1;
        }
        out += (i == 0 ? "" : " -> ") + inQuotes(name(cycle[i]));
    }
    return out;
}

} // namespace

void OperatorGraphParser::resolveLayers()
{
    const std::int64_t bpe = m_bytesPerElement;
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        GraphLayerIn &layer = m_layers[l];
        const JsonPath at = elementPath("layers", std::int64_t(l));
        if (layer.valid && layer.references == 0)
            m_fields.error(at, "layer " + inQuotes(layer.id) + " has no operators");
        std::int64_t weight = 0, activation = 0;
        bool overflow = false;
        for (int o : layer.ops) {
            const PrimitiveOp &p = m_ops[std::size_t(o)].prim;
            weight += p.weightBytes; // each term <= 1e18, so a sum capped at 1e18 cannot overflow
            activation += keepsActivation(p.kind) ? p.outputBytes : 0;
            overflow =
                overflow || weight > kOperatorGraphMaxBytes || activation > kOperatorGraphMaxBytes;
            weight = std::min(weight, kOperatorGraphMaxBytes);
            activation = std::min(activation, kOperatorGraphMaxBytes);
        }
        if (!layer.valid)
            continue;
        if (overflow && (!layer.parameters.present || !layer.activation.present)) {
            m_fields.error(at, "the operators' weight or output bytes add up to more than " +
                                   std::string(kOperatorGraphBytesLimitText) +
                                   "; give parameters and activation_bytes");
            continue;
        }
        const std::int64_t tied = layer.tied.value;
        layer.parameterCount = layer.parameters.present
                                   ? layer.parameters.value
                                   : std::max<std::int64_t>(0, weight / bpe - tied);
        layer.activationBytes = layer.activation.present ? layer.activation.value : activation;
        if (layer.replicated.value > layer.parameterCount)
            m_fields.error(at.withKey("replicated_parameters"),
                           "replicated_parameters (" + std::to_string(layer.replicated.value) +
                               ") exceeds the layer's parameters (" +
                               std::to_string(layer.parameterCount) + ")");
        const long double bytes = static_cast<long double>(layer.parameterCount + tied) * bpe;
        if (bytes > static_cast<long double>(kOperatorGraphMaxBytes))
            m_fields.error(at.withKey("parameters"), "the parameter bytes exceed the limit of " +
                                                         std::string(kOperatorGraphBytesLimitText));
        layer.parameterBytes = (layer.parameterCount + tied) * bpe;
    }
}

void OperatorGraphParser::checkOperatorCycles()
{
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        GraphLayerIn &layer = m_layers[l];
        std::vector<int> cycle;
        stableTopologicalOrder(int(layer.ops.size()), layer.edges, &cycle);
        if (cycle.empty())
            continue;
        const auto name = [&](int local) {
            return m_ops[std::size_t(layer.ops[std::size_t(local)])].id;
        };
        const std::int64_t edge = layer.edgeIndex.at({cycle[0], cycle[1]});
        m_fields.error(elementPath("edges", edge), "operators form a cycle in layer " +
                                                       inQuotes(layer.id) + ": " +
                                                       cycleText(cycle, name));
    }
}

void OperatorGraphParser::orderLayers()
{
    std::map<std::pair<int, int>, std::int64_t> firstEdge;     // layer pair -> an edges[i] on it
    std::vector<std::tuple<int, int, int, std::int64_t>> sent; // layers, producer, bytes
    for (const GraphCrossEdge &e : m_cross) {
        const int a = m_ops[std::size_t(e.from)].layer, b = m_ops[std::size_t(e.to)].layer;
        firstEdge.emplace(std::pair{a, b}, e.index);
        sent.emplace_back(a, b, e.from, e.bytes);
    }
    std::vector<std::pair<int, int>> pairs;
    for (const auto &[pair, unused] : firstEdge)
        pairs.push_back(pair);
    std::vector<int> cycle;
    m_layerOrder = stableTopologicalOrder(int(m_layers.size()), pairs, &cycle);
    if (!cycle.empty()) {
        const std::int64_t edge = firstEdge.at({cycle[0], cycle[1]});
        const GraphCrossEdge &e =
            *std::find_if(m_cross.begin(), m_cross.end(),
                          [edge](const GraphCrossEdge &c) { return c.index == edge; });
        m_fields.error(elementPath("edges", edge),
                       "layers form a cycle: " +
                           cycleText(cycle, [this](int l) { return m_layers[std::size_t(l)].id; }) +
                           " (this edge, " + inQuotes(m_ops[std::size_t(e.from)].id) + " -> " +
                           inQuotes(m_ops[std::size_t(e.to)].id) +
                           ", is on it); a layer must come after every layer it receives from");
    }
    // A tensor goes to a layer once, however many of its operators read it: per producer and
    // target layer count the largest edge, then sum over the producers.
    std::sort(sent.begin(), sent.end());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const auto &[a, b, producer, bytes] = sent[i];
        if (i + 1 < sent.size() && std::get<0>(sent[i + 1]) == a && std::get<1>(sent[i + 1]) == b &&
            std::get<2>(sent[i + 1]) == producer)
            continue; // sorted by bytes last: the last of a run is the largest
        std::int64_t &total = m_layerEdgeBytes[{a, b}];
        total += bytes;
        if (total > kOperatorGraphMaxBytes) {
            m_fields.error(elementPath("edges", firstEdge.at({a, b})),
                           "the bytes sent from layer " + inQuotes(m_layers[std::size_t(a)].id) +
                               " to layer " + inQuotes(m_layers[std::size_t(b)].id) +
                               " exceed the limit of " + kOperatorGraphBytesLimitText);
            total = 0;
        }
    }
}

ModelGraph OperatorGraphParser::build() const
{
    ModelGraph graph;
    graph.name = m_name;
    graph.options.microbatch = 1;
    graph.options.sequence = 0;
    graph.options.tensorParallel = m_tensorParallel;
    graph.options.fusion = m_fusion;
    graph.options.bytesPerElement = m_bytesPerElement;
    std::vector<int> position(m_layers.size());
    for (std::size_t i = 0; i < m_layerOrder.size(); ++i)
        position[std::size_t(m_layerOrder[i])] = int(i);
    for (int l : m_layerOrder) {
        const GraphLayerIn &in = m_layers[std::size_t(l)];
        OperatorDag dag;
        const std::vector<int> order =
            stableTopologicalOrder(int(in.ops.size()), in.edges, nullptr);
        std::vector<int> at(in.ops.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            const GraphOperatorIn &op = m_ops[std::size_t(in.ops[std::size_t(order[i])])];
            dag.ops.push_back(Operator{op.name, {op.prim}, 0});
            at[std::size_t(order[i])] = int(i);
        }
        for (const auto &[from, to] : in.edges)
            dag.edges.emplace_back(at[std::size_t(from)], at[std::size_t(to)]);
        std::sort(dag.edges.begin(), dag.edges.end());
        dag.edges.erase(std::unique(dag.edges.begin(), dag.edges.end()), dag.edges.end());

        auto body = std::make_shared<LayerBody>();
        body->unfusedOperatorCount = int(dag.ops.size());
        body->forward = m_fusion ? fuseOperators(dag) : std::move(dag);
        body->replicatedParameters = in.replicated.value;
        body->shardedParameters = in.parameterCount - in.replicated.value;
        body->tiedParameters = in.tied.value;
        body->parameterBytes = in.parameterBytes;
        body->activationBytes = in.activationBytes;
        body->flopsForward = body->forward.flops();
        body->flopsBackward = backwardDag(body->forward).flops();

        Layer layer;
        layer.id = int(graph.layers.size());
        layer.externalId = layer.id;
        layer.name = in.id;
        layer.kind = in.kind;
        layer.tensorParallel = in.tensorParallel;
        layer.body = std::move(body);
        graph.transformerBlocks += in.kind == LayerKind::TransformerBlock ? 1 : 0;
        graph.layers.push_back(std::move(layer));
    }
    for (const auto &[pair, bytes] : m_layerEdgeBytes)
        graph.edges.push_back(
            {position[std::size_t(pair.first)], position[std::size_t(pair.second)], bytes});
    std::sort(graph.edges.begin(), graph.edges.end(), [](const LayerEdge &a, const LayerEdge &b) {
        return std::pair{a.source, a.target} < std::pair{b.source, b.target};
    });
    shareIdenticalBodies(graph);
    return graph;
}

} // namespace phaze
