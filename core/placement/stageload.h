#pragma once

// The cost of one pipeline stage (a contiguous set of layers) per microbatch: its load (time)
// with and without activation recomputation, and the byte counts the memory model needs.
// Branching stages are handled: a layer starts when all its inputs are ready, so the load is
// the longest path through the stage's layer DAG (PHAZE's program only accepts chains).

#include <cstdint>
#include <vector>

#include "core/placement/layerdag.h"

namespace phaze {

struct StageCost {
    double forward = 0.0;           // forward pass, inputs from other stages arrive at C / W
    double backward = 0.0;          // backward pass alone
    double recomputeBackward = 0.0; // replayed forward (inputs local) then backward
    double parameterBytes = 0.0;    // P_S
    double activationBytes = 0.0;   // A_S
    double inputBytes = 0.0;        // bytes on edges entering the stage
    bool tensorParallel = false;    // any tensor-parallel layer: the stage needs t devices

    double loadWithoutRecompute() const { return forward + backward; }
    double loadWithRecompute() const { return forward + recomputeBackward; }
    // Recomputation is used only when the stage is not the last one (s > 1).
    double load(bool recomputation, int position) const
    {
        return recomputation && position > 1 ? loadWithRecompute() : loadWithoutRecompute();
    }
};

class StageLoad
{
public:
    StageLoad(const LayerDag &dag, double bandwidth);

    // members: bitset of the stage's layers (topological indices, 64 per word).
    StageCost evaluate(const std::uint64_t *members) const;
    StageCost evaluate(const std::vector<int> &layers) const;

private:
    bool contains(const std::uint64_t *members, int v) const
    {
        return (members[v >> 6] >> (v & 63)) & 1u;
    }

    const LayerDag &m_dag;
    double m_bandwidth;
    int m_words;
    mutable std::vector<int> m_nodes;     // scratch: the stage's layers in topological order
    mutable std::vector<double> m_finish; // scratch: finishing time per layer
    mutable std::vector<std::uint64_t> m_bits;
};

} // namespace phaze
