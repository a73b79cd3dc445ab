#pragma once

// A layer's operator DAG (forward or backward). Edges run from producer to consumer and are
// kept sorted and unique. Built forward DAGs list operators in a topological order; a backward
// DAG keeps its forward DAG's indices (so it is in reverse order): use topologicalOrder().

#include <string>
#include <utility>
#include <vector>

#include "core/model/operator.h"

namespace phaze {

struct OperatorDag {
    std::vector<Operator> ops;
    std::vector<std::pair<int, int>> edges; // (from, to) indices into ops

    std::vector<std::vector<int>> successors() const;
    std::vector<std::vector<int>> predecessors() const;
    // Empty when the graph has a cycle.
    std::vector<int> topologicalOrder() const;
    bool isAcyclic() const { return ops.empty() || !topologicalOrder().empty(); }
    double flops() const;
    bool operator==(const OperatorDag &) const = default;
};

// Kahn's algorithm taking the lowest ready index first (deterministic); empty on a cycle.
std::vector<int> topologicalOrderOf(const std::vector<std::vector<int>> &successors);

// The backward DAG: the forward DAG reversed, each operator replaced by its backward
// (a GEMM part becomes two GEMMs, data gradient and weight gradient; a row-parallel all-reduce
// disappears; a TpIdentity becomes an all-reduce of the input gradient).
OperatorDag backwardDag(const OperatorDag &forward);
Operator backwardOperator(const Operator &forward);
void appendBackwardParts(const PrimitiveOp &forward, std::vector<PrimitiveOp> &out);

// Fusion (algorithms.md §1): zero-cost view-like operators between two others are contracted;
// a GEMM followed by element-wise operators becomes one TC+VC operator; runs of element-wise
// operators become one VC operator. Collectives never fuse.
OperatorDag fuseOperators(const OperatorDag &dag);

// A content key: two DAGs with equal keys have identical shapes and structure (names ignored).
std::string structuralKey(const OperatorDag &dag);

} // namespace phaze
