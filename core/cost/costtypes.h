#pragma once

// Result structs of the cost model (algorithms.md §2). SI units: seconds, bytes, joules.
// "Single" runs an operator on one core of its kind (one TC and/or one VC) with that core's
// share of the GLB; "intra" spreads it over all cores of the chip (intra-operator parallelism).

#include "core/model/operator.h"

namespace phaze {

// One primitive part in one mode. Latency and energy of a part alone follow from these plus the
// part's mode-independent fields in PartCost; operators combine parts (core/cost/costmodel.h).
struct PartModeCost {
    double computeTime = 0.0; // s, busy time of the cores, ignoring memory stalls
    double reReadBytes = 0.0; // HBM bytes beyond the compulsory ones (GLB capacity misses)
};

struct PartCost {
    PartModeCost single;
    PartModeCost intra;
    double compulsoryBytes = 0.0; // inputs + weights + outputs, each moved once
    double linkTime = 0.0;        // s on chip-to-chip links (collectives)
    double onChipEnergy = 0.0;    // J: MACs, registers, scratchpads, GLB feeds, vector lanes, links
    double hbmByteEnergy = 0.0;   // J per HBM byte, including its pass through the GLB
    double outputRows = 0.0;      // GEMMs: batch x m, the pipelining granule of a fused epilogue
    // Bytes between the GLB and the cores (a GEMM's operand feeds and outputs, a vector
    // operator's inputs and outputs): what crosses the on-chip network when the operator is
    // spread over the chip (system profile, docs/cost-model.md "Per-core costs").
    double glbFeedBytes = 0.0;
};

// An operator (or a part on its own) in one mode.
struct ModeCost {
    double latency = 0.0;     // s
    double computeTime = 0.0; // s
    double hbmBytes = 0.0;    // bytes to and from HBM
    double energy = 0.0;      // J
    bool operator==(const ModeCost &) const = default;
};

struct OperatorCost {
    CoreClass coreClass = CoreClass::None;
    double flops = 0.0;
    ModeCost single;
    ModeCost intra;
    bool operator==(const OperatorCost &) const = default;
};

} // namespace phaze
