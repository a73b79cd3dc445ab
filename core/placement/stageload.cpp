#include "core/placement/stageload.h"

#include <algorithm>
#include <bit>

namespace phaze {

StageLoad::StageLoad(const LayerDag &dag, double bandwidth)
    : m_dag(dag), m_bandwidth(bandwidth), m_words((dag.size() + 63) / 64),
      m_finish(std::size_t(dag.size()), 0.0), m_bits(std::size_t(m_words), 0)
{
    m_nodes.reserve(std::size_t(dag.size()));
}

StageCost StageLoad::evaluate(const std::vector<int> &layers) const
{
    std::fill(m_bits.begin(), m_bits.end(), 0);
    for (int v : layers)
        m_bits[std::size_t(v >> 6)] |= std::uint64_t(1) << (v & 63);
    return evaluate(m_bits.data());
}

StageCost StageLoad::evaluate(const std::uint64_t *members) const
{
    m_nodes.clear();
    for (int w = 0; w < m_words; ++w) {
        for (std::uint64_t bits = members[w]; bits != 0; bits &= bits - 1)
            m_nodes.push_back(w * 64 + std::countr_zero(bits));
    }
    StageCost c;
    // The floating-point operations follow the order of the cost model's definition (start =
    // max over inputs, finish = start + latency), so chains give bit-identical loads to PHAZE.
    for (int v : m_nodes) {
        double start = 0.0;
        for (const DagEdge *e = m_dag.inBegin(v); e != m_dag.inEnd(v); ++e) {
            if (contains(members, e->node)) {
                start = std::max(start, m_finish[e->node]);
            } else {
                start = std::max(start, e->bytes / m_bandwidth);
                c.inputBytes += e->bytes;
            }
        }
        m_finish[v] = start + m_dag.layer(v).forward;
        c.forward = std::max(c.forward, m_finish[v]);
        const PlacementLayer &l = m_dag.layer(v);
        c.parameterBytes += l.parameterBytes;
        c.activationBytes += l.activationBytes;
        c.tensorParallel = c.tensorParallel || l.tensorParallel;
    }
    for (auto it = m_nodes.rbegin(); it != m_nodes.rend(); ++it) {
        const int v = *it;
        double start = 0.0;
        for (const DagEdge *e = m_dag.outBegin(v); e != m_dag.outEnd(v); ++e) {
            start = std::max(start, contains(members, e->node) ? m_finish[e->node]
                                                               : e->bytes / m_bandwidth);
        }
        m_finish[v] = start + m_dag.layer(v).backward;
        c.backward = std::max(c.backward, m_finish[v]);
    }
    // Recomputation: the stage's inputs are stashed locally, so the replayed forward waits for
    // nothing outside the stage; gradients from later stages may arrive during the replay.
    double replay = 0.0;
    for (int v : m_nodes) {
        double start = 0.0;
        for (const DagEdge *e = m_dag.inBegin(v); e != m_dag.inEnd(v); ++e) {
            if (contains(members, e->node))
                start = std::max(start, m_finish[e->node]);
        }
        m_finish[v] = start + m_dag.layer(v).forward;
        replay = std::max(replay, m_finish[v]);
    }
    for (auto it = m_nodes.rbegin(); it != m_nodes.rend(); ++it) {
        const int v = *it;
        double start = replay;
        for (const DagEdge *e = m_dag.outBegin(v); e != m_dag.outEnd(v); ++e) {
            start = std::max(start, contains(members, e->node) ? m_finish[e->node]
                                                               : e->bytes / m_bandwidth);
        }
        m_finish[v] = start + m_dag.layer(v).backward;
        c.recomputeBackward = std::max(c.recomputeBackward, m_finish[v]);
    }
    return c;
}

} // namespace phaze
