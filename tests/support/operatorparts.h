#pragma once

// Primitive operators built by hand for the cost-model tests, bf16 (2 bytes per element).

#include <cstdint>

#include "core/model/operator.h"

namespace phaze::testsupport {

// An m x k by k x n linear layer: inputs, weights and outputs each read or written once.
inline PrimitiveOp linearPart(std::int64_t m, std::int64_t k, std::int64_t n)
{
    PrimitiveOp op;
    op.kind = OpKind::Linear;
    op.gemm = GemmShape{1, m, k, n};
    op.inputBytes = m * k * 2;
    op.weightBytes = k * n * 2;
    op.outputBytes = m * n * 2;
    return op;
}

// An element-wise operator of `elements` elements, read and written once.
inline PrimitiveOp vectorPart(OpKind kind, std::int64_t elements)
{
    PrimitiveOp op;
    op.kind = kind;
    op.elements = elements;
    op.inputBytes = op.outputBytes = elements * 2;
    return op;
}

} // namespace phaze::testsupport
