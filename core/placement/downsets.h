#pragma once

// The downsets of a layer DAG: sets of layers closed under successors ("everything after a
// cut"). Pipeline stages are differences of two nested downsets, so the placement DP runs over
// this lattice. Its size is 1 + n for a chain but can grow exponentially with branching, so it
// is counted (cheaply, without listing) before anything is allocated.

#include <cstdint>
#include <string>
#include <vector>

#include "core/placement/layerdag.h"

namespace phaze {

struct DownsetCount {
    std::uint64_t count = 0; // saturates at UINT64_MAX
    bool exact = true;       // false: counting stopped early, count is a lower bound
};

class DownsetLattice
{
public:
    // Counts the downsets by the recurrence N(R) = N(R - x) + N(R - x - ancestors(x)) over the
    // undecided layers R (x the last of them), memoised on R; gives up (inexact) after
    // maxStates distinct R.
    static DownsetCount count(const LayerDag &dag, std::size_t maxStates);

    // Lists all downsets, smallest first (ids grow with size; id 0 is the empty set). Returns
    // "" or an error when there are more than limit.
    static std::string build(const LayerDag &dag, std::size_t limit, DownsetLattice &out);

    int size() const { return int(m_cardinality.size()); }
    int words() const { return m_words; }
    int fullId() const { return size() - 1; }
    const std::uint64_t *bits(int id) const { return m_bits.data() + std::size_t(id) * m_words; }
    int cardinality(int id) const { return m_cardinality[std::size_t(id)]; }

    // Ids of every proper sub-downset of id, in a fixed order; valid until the next call.
    const std::vector<int> &properSubsets(int id) const;

private:
    int m_words = 1;
    std::vector<std::uint64_t> m_bits;
    std::vector<int> m_cardinality;
    std::vector<int> m_immediateStart; // CSR: downsets with one layer less
    std::vector<int> m_immediate;
    mutable std::vector<int> m_stamp;
    mutable int m_stampValue = 0;
    mutable std::vector<int> m_subsets;
};

} // namespace phaze
