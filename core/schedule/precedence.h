#pragma once

// The precedence relation of a small operator DAG: transitive closure (bit rows), a topological
// order, the transitive reduction, and longest head/tail paths for given durations. Everything
// the scheduler asks about pairs ("is j after i?") is answered here in constant time.

#include <cstdint>
#include <utility>
#include <vector>

namespace phaze {

class Precedence
{
public:
    Precedence(int n, const std::vector<std::pair<int, int>> &edges);

    int size() const { return m_n; }
    bool acyclic() const { return m_acyclic; }
    const std::vector<int> &topologicalOrder() const { return m_order; } // empty on a cycle
    // i must finish before j starts (a path i -> j exists).
    bool before(int i, int j) const
    {
        return (m_reach[std::size_t(i) * m_words + std::size_t(j) / 64] >> (j % 64)) & 1u;
    }
    bool comparable(int i, int j) const { return before(i, j) || before(j, i); }
    const std::vector<std::vector<int>> &predecessors() const { return m_pred; } // direct
    const std::vector<std::vector<int>> &successors() const { return m_succ; }
    // Edges of the transitive reduction, sorted.
    std::vector<std::pair<int, int>> reductionEdges() const;
    // Longest path of durations ending just before i starts (head) and starting just after i
    // ends (tail).
    std::vector<double> heads(const std::vector<double> &duration) const;
    std::vector<double> tails(const std::vector<double> &duration) const;
    // Largest set of pairwise incomparable operators among `subset` (Dilworth, by matching).
    int width(const std::vector<int> &subset) const;

private:
    int m_n = 0;
    std::size_t m_words = 0;
    bool m_acyclic = true;
    std::vector<std::uint64_t> m_reach;
    std::vector<int> m_order;
    std::vector<std::vector<int>> m_pred;
    std::vector<std::vector<int>> m_succ;
};

} // namespace phaze
