#include "core/placement/downsets.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_map>

namespace phaze {
namespace {

using Words = std::vector<std::uint64_t>;

std::uint64_t hashWords(const std::uint64_t *w, int n)
{
    std::uint64_t h = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < n; ++i) {
        h ^= w[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdull;
    }
    return h ^ (h >> 31);
}

struct WordsHash {
    std::size_t operator()(const Words &w) const
    {
        return std::size_t(hashWords(w.data(), int(w.size())));
    }
};

bool has(const std::uint64_t *w, int v)
{
    return (w[v >> 6] >> (v & 63)) & 1u;
}

class Counter
{
public:
    Counter(const LayerDag &dag, std::size_t maxStates) : m_maxStates(maxStates)
    {
        const int n = dag.size();
        m_words = (n + 63) / 64;
        // Ancestors in topological order: a layer's ancestors are its inputs and theirs.
        m_ancestors.assign(std::size_t(n) * m_words, 0);
        for (int v = 0; v < n; ++v) {
            std::uint64_t *a = m_ancestors.data() + std::size_t(v) * m_words;
            for (const DagEdge *e = dag.inBegin(v); e != dag.inEnd(v); ++e) {
                const std::uint64_t *b = m_ancestors.data() + std::size_t(e->node) * m_words;
                for (int i = 0; i < m_words; ++i)
                    a[i] |= b[i];
                a[e->node >> 6] |= std::uint64_t(1) << (e->node & 63);
            }
        }
    }

    DownsetCount run(Words all)
    {
        const std::uint64_t c = count(all);
        return {c, !m_gaveUp};
    }

private:
    std::uint64_t count(Words &r)
    {
        int last = -1;
        for (int i = m_words - 1; i >= 0 && last < 0; --i) {
            if (r[i])
                last = i * 64 + 63 - std::countl_zero(r[i]);
        }
        if (last < 0)
            return 1;
        if (auto it = m_memo.find(r); it != m_memo.end())
            return it->second;
        if (m_gaveUp || m_memo.size() >= m_maxStates) {
            m_gaveUp = true;
            return 1;
        }
        Words without = r;
        without[last >> 6] &= ~(std::uint64_t(1) << (last & 63));
        Words rest = without;
        const std::uint64_t *a = m_ancestors.data() + std::size_t(last) * m_words;
        for (int i = 0; i < m_words; ++i)
            rest[i] &= ~a[i];
        const std::uint64_t x = count(without), y = count(rest);
        const std::uint64_t sum = x > std::numeric_limits<std::uint64_t>::max() - y
                                      ? std::numeric_limits<std::uint64_t>::max()
                                      : x + y;
        m_memo.emplace(r, sum);
        return sum;
    }

    std::size_t m_maxStates;
    int m_words = 1;
    bool m_gaveUp = false;
    Words m_ancestors;
    std::unordered_map<Words, std::uint64_t, WordsHash> m_memo;
};

} // namespace

DownsetCount DownsetLattice::count(const LayerDag &dag, std::size_t maxStates)
{
    Words all(std::size_t((dag.size() + 63) / 64), 0);
    for (int v = 0; v < dag.size(); ++v)
        all[std::size_t(v >> 6)] |= std::uint64_t(1) << (v & 63);
    return Counter(dag, maxStates).run(all);
}

std::string DownsetLattice::build(const LayerDag &dag, std::size_t limit, DownsetLattice &out)
{
    out = DownsetLattice();
    const int n = dag.size();
    const int words = (n + 63) / 64;
    out.m_words = words;
    std::unordered_map<Words, int, WordsHash> ids;
    std::vector<std::vector<int>> immediate;
    Words current(std::size_t(words), 0);
    ids.emplace(current, 0);
    out.m_bits = current;
    out.m_cardinality.push_back(0);
    immediate.emplace_back();
    // Breadth first by size: adding one layer whose successors are all in the set keeps it a
    // downset, and every downset arises this way from the one with its first layer removed.
    for (int id = 0; id < int(out.m_cardinality.size()); ++id) {
        std::copy_n(out.bits(id), words, current.begin());
        for (int v = n - 1; v >= 0; --v) {
            if (has(current.data(), v))
                continue;
            bool closed = true;
            for (const DagEdge *e = dag.outBegin(v); e != dag.outEnd(v) && closed; ++e)
                closed = has(current.data(), e->node);
            if (!closed)
                continue;
            Words next = current;
            next[std::size_t(v >> 6)] |= std::uint64_t(1) << (v & 63);
            auto [it, inserted] = ids.emplace(next, int(out.m_cardinality.size()));
            if (inserted) {
                if (out.m_cardinality.size() >= limit)
                    return "more than " + std::to_string(limit) + " downsets";
                out.m_bits.insert(out.m_bits.end(), next.begin(), next.end());
                out.m_cardinality.push_back(out.m_cardinality[std::size_t(id)] + 1);
                immediate.emplace_back();
            }
            immediate[std::size_t(it->second)].push_back(id);
        }
    }
    out.m_immediateStart.push_back(0);
    for (const std::vector<int> &subs : immediate) {
        out.m_immediate.insert(out.m_immediate.end(), subs.begin(), subs.end());
        out.m_immediateStart.push_back(int(out.m_immediate.size()));
    }
    out.m_stamp.assign(out.m_cardinality.size(), 0);
    return {};
}

const std::vector<int> &DownsetLattice::properSubsets(int id) const
{
    m_subsets.clear();
    if (++m_stampValue == std::numeric_limits<int>::max()) {
        std::fill(m_stamp.begin(), m_stamp.end(), 0);
        m_stampValue = 1;
    }
    // Depth-first over "one layer less"; the result is sorted so the order is independent of
    // the traversal.
    std::vector<int> &stack = m_subsets;
    std::size_t next = 0;
    m_stamp[std::size_t(id)] = m_stampValue;
    stack.push_back(id);
    while (next < stack.size()) {
        const int cur = stack[next++];
        for (int k = m_immediateStart[std::size_t(cur)]; k < m_immediateStart[std::size_t(cur) + 1];
             ++k) {
            const int sub = m_immediate[std::size_t(k)];
            if (m_stamp[std::size_t(sub)] != m_stampValue) {
                m_stamp[std::size_t(sub)] = m_stampValue;
                stack.push_back(sub);
            }
        }
    }
    stack.erase(stack.begin()); // id itself
    std::sort(stack.begin(), stack.end());
    return stack;
}

} // namespace phaze
