#pragma once

// Memory of a pipeline stage on one device (algorithms.md §4):
//   2 P + O + A + (inFlight - 1) K  <=  M
// P the stage's parameter bytes (weights and gradients: 2 P), O = P for Adam and 0 for SGD, A its
// activation bytes, K the bytes stashed per extra in-flight microbatch: the bytes entering the
// stage when recomputing, A otherwise. Under 1F1B (PipeDream-Flush) the stage at position s
// (s = 1 is the last stage) has s microbatches in flight; under GPipe all ceil(n_mb / d) are.

#include "core/placement/stageload.h"
#include "core/spec/projectspec.h"

namespace phaze {

// Where a stage's bytes per device go (the terms of the formula above), for views that draw
// them. The parts sum to MemoryModel::bytes() exactly: total() adds them in the order bytes()
// does.
struct MemoryBreakdown {
    double weights = 0.0;     // P
    double gradients = 0.0;   // P
    double optimizer = 0.0;   // O: Adam's state (P), none for SGD
    double activations = 0.0; // A: the microbatch being worked on
    double stash = 0.0;       // (inFlight - 1) K: the other microbatches in flight

    double total() const { return weights + gradients + optimizer + activations + stash; }
};

class MemoryModel
{
public:
    MemoryModel(double memoryPerDevice, int devices, bool recomputation, Optimizer optimizer)
        : m_memory(memoryPerDevice), m_devices(devices), m_recomputation(recomputation),
          m_optimizer(optimizer)
    {
    }

    double constantBytes(const StageCost &c) const
    {
        const double optimizer = m_optimizer == Optimizer::Adam ? c.parameterBytes : 0.0;
        return 2 * c.parameterBytes + optimizer + c.activationBytes;
    }
    double stashedBytes(const StageCost &c) const
    {
        return m_recomputation ? c.inputBytes : c.activationBytes;
    }
    double bytes(const StageCost &c, long long inFlight) const
    {
        return constantBytes(c) + double(inFlight - 1) * stashedBytes(c);
    }
    // The terms of bytes(c, inFlight), one by one.
    MemoryBreakdown breakdown(const StageCost &c, long long inFlight) const
    {
        MemoryBreakdown b;
        b.weights = c.parameterBytes;
        b.gradients = c.parameterBytes;
        b.optimizer = m_optimizer == Optimizer::Adam ? c.parameterBytes : 0.0;
        b.activations = c.activationBytes;
        b.stash = double(inFlight - 1) * stashedBytes(c);
        return b;
    }

    // The largest number of microbatches in flight that fits (0: not even one; capped at the
    // device count, which bounds any pipeline depth). Under 1F1B, the stage fits at position s
    // iff s <= maxInFlight.
    int maxInFlight(const StageCost &c) const;
    // The same without the cap, for GPipe (ceil(n_mb / d) may exceed the device count);
    // kUnbounded when nothing is stashed and one microbatch fits.
    long long maxInFlightUnbounded(const StageCost &c) const;
    static constexpr long long kUnbounded = 1ll << 60;

    double memoryPerDevice() const { return m_memory; }

private:
    double m_memory;
    int m_devices;
    bool m_recomputation;
    Optimizer m_optimizer;
};

} // namespace phaze
