#include "core/schedule/precedence.h"

#include <algorithm>
#include <functional>

namespace phaze {

Precedence::Precedence(int n, const std::vector<std::pair<int, int>> &edges)
    : m_n(n), m_words((std::size_t(n) + 63) / 64), m_reach(std::size_t(n) * m_words, 0),
      m_pred(std::size_t(n)), m_succ(std::size_t(n))
{
    for (const auto &[from, to] : edges) {
        m_succ[std::size_t(from)].push_back(to);
        m_pred[std::size_t(to)].push_back(from);
    }
    for (auto *lists : {&m_succ, &m_pred})
        for (std::vector<int> &l : *lists) {
            std::sort(l.begin(), l.end());
            l.erase(std::unique(l.begin(), l.end()), l.end());
        }
    // Kahn's algorithm, smallest index first so that the order is deterministic.
    std::vector<int> indegree(std::size_t(n), 0);
    for (int i = 0; i < n; ++i)
        indegree[std::size_t(i)] = int(m_pred[std::size_t(i)].size());
    std::vector<int> ready;
    for (int i = n - 1; i >= 0; --i)
        if (indegree[std::size_t(i)] == 0)
            ready.push_back(i);
    while (!ready.empty()) {
        std::pop_heap(ready.begin(), ready.end(), std::greater<>());
        const int i = ready.back();
        ready.pop_back();
        m_order.push_back(i);
        for (int j : m_succ[std::size_t(i)])
            if (--indegree[std::size_t(j)] == 0) {
                ready.push_back(j);
                std::push_heap(ready.begin(), ready.end(), std::greater<>());
            }
    }
    if (int(m_order.size()) != n) {
        m_acyclic = false;
        m_order.clear();
        return;
    }
    // Reverse topological order: a node reaches its successors and everything they reach.
    for (auto it = m_order.rbegin(); it != m_order.rend(); ++it) {
        std::uint64_t *row = &m_reach[std::size_t(*it) * m_words];
        for (int j : m_succ[std::size_t(*it)]) {
            row[std::size_t(j) / 64] |= std::uint64_t(1) << (j % 64);
            const std::uint64_t *other = &m_reach[std::size_t(j) * m_words];
            for (std::size_t w = 0; w < m_words; ++w)
                row[w] |= other[w];
        }
    }
}

std::vector<std::pair<int, int>> Precedence::reductionEdges() const
{
    std::vector<std::pair<int, int>> out;
    for (int i = 0; i < m_n; ++i)
        for (int j = 0; j < m_n; ++j) {
            if (!before(i, j))
                continue;
            bool implied = false;
            for (int k : m_succ[std::size_t(i)])
                if (k != j && before(k, j)) {
                    implied = true;
                    break;
                }
            if (!implied)
                out.emplace_back(i, j);
        }
    return out;
}

std::vector<double> Precedence::heads(const std::vector<double> &duration) const
{
    std::vector<double> head(std::size_t(m_n), 0.0);
    for (int i : m_order)
        for (int p : m_pred[std::size_t(i)])
            head[std::size_t(i)] =
                std::max(head[std::size_t(i)], head[std::size_t(p)] + duration[std::size_t(p)]);
    return head;
}

std::vector<double> Precedence::tails(const std::vector<double> &duration) const
{
    std::vector<double> tail(std::size_t(m_n), 0.0);
    for (auto it = m_order.rbegin(); it != m_order.rend(); ++it)
        for (int s : m_succ[std::size_t(*it)])
            tail[std::size_t(*it)] =
                std::max(tail[std::size_t(*it)], tail[std::size_t(s)] + duration[std::size_t(s)]);
    return tail;
}

int Precedence::width(const std::vector<int> &subset) const
{
    // Dilworth: the largest antichain equals the smallest chain cover, which is the subset's
    // size minus a maximum matching in the bipartite graph of "u before v" (Kuhn's algorithm).
    const int k = int(subset.size());
    std::vector<int> matchOf(std::size_t(k), -1);
    std::vector<char> seen;
    std::function<bool(int)> augment = [&](int u) {
        for (int v = 0; v < k; ++v) {
            if (seen[std::size_t(v)] || !before(subset[std::size_t(u)], subset[std::size_t(v)]))
                continue;
            seen[std::size_t(v)] = 1;
            if (matchOf[std::size_t(v)] < 0 || augment(matchOf[std::size_t(v)])) {
                matchOf[std::size_t(v)] = u;
                return true;
            }
        }
        return false;
    };
    int matched = 0;
    for (int u = 0; u < k; ++u) {
        seen.assign(std::size_t(k), 0);
        if (augment(u))
            ++matched;
    }
    return k - matched;
}

} // namespace phaze
