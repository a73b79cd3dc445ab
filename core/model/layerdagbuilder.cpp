#include "core/model/layerdagbuilder.h"

#include <algorithm>
#include <utility>

namespace phaze {

int LayerDagBuilder::add(std::string name, const PrimitiveOp &part,
                         std::initializer_list<int> inputs)
{
    const int index = int(m_dag.ops.size());
    m_dag.ops.push_back(Operator{std::move(name), {part}, 0});
    for (int input : inputs) {
        if (input != kNoInput) {
            m_dag.edges.emplace_back(input, index);
        }
    }
    return index;
}

int LayerDagBuilder::linear(std::string name, std::int64_t m, std::int64_t k, std::int64_t n,
                            std::int64_t weightElements, std::initializer_list<int> inputs)
{
    PrimitiveOp part;
    part.kind = OpKind::Linear;
    part.gemm = GemmShape{1, m, k, n};
    part.inputBytes = m * k * m_bytes;
    part.outputBytes = m * n * m_bytes;
    part.weightBytes = weightElements * m_bytes;
    return add(std::move(name), part, inputs);
}

int LayerDagBuilder::groupedLinear(std::string name, std::int64_t groups, std::int64_t m,
                                   std::int64_t k, std::int64_t n, std::int64_t weightElements,
                                   std::initializer_list<int> inputs)
{
    // A batched GEMM: each group its own weights (a Linear with batch > 1 shares one weight
    // matrix over the batch, see GemmProblem::of).
    PrimitiveOp part;
    part.kind = OpKind::BatchedMatMul;
    part.gemm = GemmShape{groups, m, k, n};
    part.inputBytes = groups * m * k * m_bytes;
    part.outputBytes = groups * m * n * m_bytes;
    part.weightBytes = weightElements * m_bytes;
    return add(std::move(name), part, inputs);
}

PrimitiveOp LayerDagBuilder::batchedMatMulPart(const GemmShape &shape) const
{
    PrimitiveOp part;
    part.kind = OpKind::BatchedMatMul;
    part.gemm = shape;
    part.inputBytes = shape.batch * (shape.m * shape.k + shape.k * shape.n) * m_bytes;
    part.outputBytes = shape.batch * shape.m * shape.n * m_bytes;
    return part;
}

PrimitiveOp LayerDagBuilder::vectorPart(OpKind kind, std::int64_t elements, int operands) const
{
    PrimitiveOp part;
    part.kind = kind;
    part.elements = elements;
    part.inputBytes = elements * operands * m_bytes;
    part.outputBytes = elements * m_bytes;
    return part;
}

int LayerDagBuilder::batchedMatMul(std::string name, const GemmShape &shape,
                                   std::initializer_list<int> inputs)
{
    return add(std::move(name), batchedMatMulPart(shape), inputs);
}

int LayerDagBuilder::vector(std::string name, OpKind kind, std::int64_t elements,
                            std::initializer_list<int> inputs, int operands,
                            std::int64_t weightElements)
{
    PrimitiveOp part = vectorPart(kind, elements, operands);
    part.weightBytes = weightElements * m_bytes;
    return add(std::move(name), part, inputs);
}

int LayerDagBuilder::fusedKernel(std::string name, std::vector<PrimitiveOp> parts,
                                 std::int64_t hbmBytes, std::initializer_list<int> inputs)
{
    const int index = add(std::move(name), parts.front(), inputs);
    m_dag.ops.back().parts = std::move(parts);
    m_dag.ops.back().fusedHbmBytes = hbmBytes;
    return index;
}

int LayerDagBuilder::noOp(std::string name, OpKind kind, std::int64_t elements,
                          std::initializer_list<int> inputs)
{
    PrimitiveOp part;
    part.kind = kind;
    part.elements = elements;
    part.inputBytes = elements * m_bytes;
    part.outputBytes = elements * m_bytes;
    return add(std::move(name), part, inputs);
}

int LayerDagBuilder::collective(std::string name, OpKind kind, std::int64_t elements, int group,
                                std::initializer_list<int> inputs)
{
    PrimitiveOp part;
    part.kind = kind;
    part.elements = elements;
    part.group = group;
    part.inputBytes = elements * m_bytes;
    part.outputBytes = elements * m_bytes;
    return add(std::move(name), part, inputs);
}

OperatorDag LayerDagBuilder::dag() const
{
    OperatorDag result = m_dag;
    std::sort(result.edges.begin(), result.edges.end());
    result.edges.erase(std::unique(result.edges.begin(), result.edges.end()), result.edges.end());
    return result;
}

} // namespace phaze
