#pragma once

// The layer graph of one tensor-parallel width, renumbered 0..n-1 in a topological order, with
// incoming and outgoing edges in flat (CSR) arrays so that stage evaluation allocates nothing.

#include <string>
#include <vector>

#include "core/placement/placementinput.h"

namespace phaze {

struct DagEdge {
    int node = 0; // the other end (topological index)
    double bytes = 0.0;
};

class LayerDag
{
public:
    // Fills dag, or returns a message naming the offending layer or edge.
    static std::string build(const PlacementGraph &graph, LayerDag &dag);

    int size() const { return int(m_layers.size()); }
    int width() const { return m_width; }
    const PlacementLayer &layer(int v) const { return m_layers[v]; }
    int externalId(int v) const { return m_layers[v].id; }
    // Topological index of a caller id, or -1.
    int indexOf(int id) const;
    bool isChain() const { return m_chain; }

    const DagEdge *inBegin(int v) const { return m_in.data() + m_inStart[v]; }
    const DagEdge *inEnd(int v) const { return m_in.data() + m_inStart[v + 1]; }
    const DagEdge *outBegin(int v) const { return m_out.data() + m_outStart[v]; }
    const DagEdge *outEnd(int v) const { return m_out.data() + m_outStart[v + 1]; }

private:
    int m_width = 1;
    bool m_chain = true;
    std::vector<PlacementLayer> m_layers;         // in topological order
    std::vector<std::pair<int, int>> m_idToIndex; // sorted by id
    std::vector<int> m_inStart, m_outStart;
    std::vector<DagEdge> m_in, m_out;
};

} // namespace phaze
