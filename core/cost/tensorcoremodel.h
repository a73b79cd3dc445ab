#pragma once

// Tensor-core GEMM model: a weight-stationary systolic array of width W (output columns) by
// depth D (reduction rows), with an output-stationary blocking of the GEMM in the GLB that
// decides how often operands are re-read from HBM. See docs/cost-model.md for the derivation
// and the proofs of the invariants (latency bounds, monotonicity) that the tests check.

#include <cstdint>

#include "core/arch/technology.h"
#include "core/cost/costtypes.h"
#include "core/model/operator.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

// A GEMM as the array sees it: a linear layer's weights are shared across its batch, so its
// batch folds into the streamed rows.
struct GemmProblem {
    double batch = 1;   // independent GEMMs
    std::int64_t m = 0; // rows streamed through the array
    std::int64_t k = 0; // reduction dimension (array depth)
    std::int64_t n = 0; // output columns (array width)
    double elementBytes = 2;

    static GemmProblem of(const PrimitiveOp &op, int defaultElementBytes);
    bool empty() const { return batch <= 0 || m <= 0 || k <= 0 || n <= 0; }
};

// Cycles of one core running the whole GEMM on its full width x depth array.
double gemmCyclesOneCore(const GemmProblem &g, std::int64_t width, std::int64_t depth);

// Cycles when the GEMM is spread over `cores` arrays of width x depth: the best tile shape that
// fits the array (a smaller shape uses part of each array), strips of output columns and, when
// there are more cores than strips, chunks of rows; never more than one core alone.
double gemmCyclesParallel(const GemmProblem &g, std::int64_t width, std::int64_t depth, int cores,
                          double syncCycles);

// Cycles when the GEMM's output is dealt as tiles of tech.tileRows x tech.tileCols (or the
// transpose, whichever is faster) to groups of tech.tileCores arrays, in waves over the groups:
// a GPU's thread blocks over its SMs. Each tile runs its whole reduction at the group's peak;
// edge tiles cost whole tiles. Plus the intra-operator sync.
double gemmCyclesTiled(const GemmProblem &g, std::int64_t width, std::int64_t depth, int cores,
                       const TechnologyTable &tech);

// HBM bytes beyond the compulsory ones when `capacityBytes` of GLB hold the output blocks.
double gemmReReadBytes(const GemmProblem &g, double capacityBytes, const TechnologyTable &tech);

// The full part cost of a GEMM primitive on a configuration.
PartCost tensorCorePartCost(const PrimitiveOp &op, const AcceleratorConfig &config,
                            const TechnologyTable &tech);

} // namespace phaze
