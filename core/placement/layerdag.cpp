#include "core/placement/layerdag.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <set>

namespace phaze {
namespace {

std::string layerName(const PlacementGraph &g, int id)
{
    return "layer " + std::to_string(id) + " (width " + std::to_string(g.tensorParallelWidth) + ")";
}

bool badNumber(double x)
{
    return !std::isfinite(x) || x < 0.0;
}

} // namespace

int LayerDag::indexOf(int id) const
{
    const auto it =
        std::lower_bound(m_idToIndex.begin(), m_idToIndex.end(), std::make_pair(id, -1));
    return it != m_idToIndex.end() && it->first == id ? it->second : -1;
}

std::string LayerDag::build(const PlacementGraph &graph, LayerDag &dag)
{
    const int n = int(graph.layers.size());
    if (n == 0)
        return "the graph of width " + std::to_string(graph.tensorParallelWidth) + " has no layers";
    if (graph.tensorParallelWidth < 1)
        return "tensor-parallel width " + std::to_string(graph.tensorParallelWidth) + " < 1";
    std::vector<std::pair<int, int>> ids; // (id, input position)
    for (int i = 0; i < n; ++i) {
        const PlacementLayer &l = graph.layers[i];
        if (badNumber(l.parameterBytes) || badNumber(l.activationBytes) || badNumber(l.forward) ||
            badNumber(l.backward))
            return layerName(graph, l.id) + ": sizes and latencies must be finite and >= 0";
        if (l.tensorParallel && graph.tensorParallelWidth == 1)
            return layerName(graph, l.id) + " is tensor-parallel in the graph of width 1";
        ids.emplace_back(l.id, i);
    }
    std::sort(ids.begin(), ids.end());
    for (int i = 1; i < n; ++i) {
        if (ids[i].first == ids[i - 1].first)
            return "layer id " + std::to_string(ids[i].first) + " appears twice (width " +
                   std::to_string(graph.tensorParallelWidth) + ")";
    }
    const auto position = [&](int id) {
        const auto it = std::lower_bound(ids.begin(), ids.end(), std::make_pair(id, -1));
        return it != ids.end() && it->first == id ? it->second : -1;
    };
    std::vector<std::vector<int>> succ(n);
    std::vector<int> indegree(n, 0);
    std::set<std::pair<int, int>> seen;
    for (const PlacementEdge &e : graph.edges) {
        const int u = position(e.source), v = position(e.target);
        const std::string name = "edge " + std::to_string(e.source) + " -> " +
                                 std::to_string(e.target) + " (width " +
                                 std::to_string(graph.tensorParallelWidth) + ")";
        if (u < 0 || v < 0)
            return name + " names a layer that does not exist";
        if (u == v)
            return name + " is a self-loop";
        if (badNumber(e.bytes))
            return name + ": communication bytes must be finite and >= 0";
        if (!seen.insert({u, v}).second)
            return name + " appears twice (contract parallel edges)";
        succ[u].push_back(v);
        ++indegree[v];
    }
    // Kahn's algorithm, smallest input position first, so the order is deterministic and a
    // chain keeps its only order.
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (int i = 0; i < n; ++i) {
        if (indegree[i] == 0)
            ready.push(i);
    }
    std::vector<int> order, indexOfPosition(n, -1);
    while (!ready.empty()) {
        const int u = ready.top();
        ready.pop();
        indexOfPosition[u] = int(order.size());
        order.push_back(u);
        for (int v : succ[u]) {
            if (--indegree[v] == 0)
                ready.push(v);
        }
    }
    if (int(order.size()) != n)
        return "the layer graph of width " + std::to_string(graph.tensorParallelWidth) +
               " has a cycle";

    dag = LayerDag();
    dag.m_width = graph.tensorParallelWidth;
    for (int u : order)
        dag.m_layers.push_back(graph.layers[u]);
    for (int i = 0; i < n; ++i)
        dag.m_idToIndex.emplace_back(dag.m_layers[i].id, i);
    std::sort(dag.m_idToIndex.begin(), dag.m_idToIndex.end());
    std::vector<std::vector<DagEdge>> in(n), out(n);
    for (const PlacementEdge &e : graph.edges) {
        const int u = indexOfPosition[position(e.source)];
        const int v = indexOfPosition[position(e.target)];
        out[u].push_back({v, e.bytes});
        in[v].push_back({u, e.bytes});
    }
    dag.m_inStart.assign(1, 0);
    dag.m_outStart.assign(1, 0);
    for (int v = 0; v < n; ++v) {
        dag.m_in.insert(dag.m_in.end(), in[v].begin(), in[v].end());
        dag.m_out.insert(dag.m_out.end(), out[v].begin(), out[v].end());
        dag.m_inStart.push_back(int(dag.m_in.size()));
        dag.m_outStart.push_back(int(dag.m_out.size()));
        // A chain: every layer but the first has exactly its predecessor as input.
        if (v > 0 && (in[v].size() != 1 || in[v][0].node != v - 1))
            dag.m_chain = false;
    }
    return {};
}

} // namespace phaze
