#pragma once

// Accumulates one layer slice while the transformer builder describes it operator by operator:
// the unfused forward DAG (operators in topological order, sizes and bytes filled in from the
// element counts) and the slice's parameter counts.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/model/operatordag.h"

namespace phaze {

class LayerDagBuilder
{
public:
    static constexpr int kNoInput = -1; // an operand that comes from outside the layer

    explicit LayerDagBuilder(std::int64_t bytesPerElement) : m_bytes(bytesPerElement) {}

    // activation[m, k] x weight[k, n]; weightElements counts the weights and any bias the GEMM
    // adds itself.
    int linear(std::string name, std::int64_t m, std::int64_t k, std::int64_t n,
               std::int64_t weightElements, std::initializer_list<int> inputs);
    // `groups` independent linears of the same shape run as one grouped GEMM (a device's local
    // experts, each over the tokens routed to it); weightElements counts all their weights.
    int groupedLinear(std::string name, std::int64_t groups, std::int64_t m, std::int64_t k,
                      std::int64_t n, std::int64_t weightElements,
                      std::initializer_list<int> inputs);
    // activation x activation, per head.
    int batchedMatMul(std::string name, const GemmShape &shape, std::initializer_list<int> inputs);
    // Element-wise or reduction over `elements` (the result size); `operands` input tensors of
    // that size; weightElements parameters read (norm weights, a bias folded in).
    int vector(std::string name, OpKind kind, std::int64_t elements,
               std::initializer_list<int> inputs, int operands = 1,
               std::int64_t weightElements = 0);
    // Zero-cost re-indexing or lookup producing `elements`.
    int noOp(std::string name, OpKind kind, std::int64_t elements,
             std::initializer_list<int> inputs);
    // One kernel of several parts that keeps its intermediates on chip, moving `hbmBytes` to
    // and from HBM (Operator::fusedHbmBytes).
    int fusedKernel(std::string name, std::vector<PrimitiveOp> parts, std::int64_t hbmBytes,
                    std::initializer_list<int> inputs);
    // The primitive parts the methods above would add, for a fused kernel.
    PrimitiveOp batchedMatMulPart(const GemmShape &shape) const;
    PrimitiveOp vectorPart(OpKind kind, std::int64_t elements, int operands = 1) const;
    // AllReduce, TpIdentity or AllToAll over `elements` among `group` devices.
    int collective(std::string name, OpKind kind, std::int64_t elements, int group,
                   std::initializer_list<int> inputs);

    void addSharded(std::int64_t count) { m_sharded += count; }
    void addReplicated(std::int64_t count) { m_replicated += count; }
    void addTied(std::int64_t count) { m_tied += count; }
    void addExpert(std::int64_t count) { m_expert += count; }

    std::int64_t bytesPerElement() const { return m_bytes; }
    std::int64_t shardedParameters() const { return m_sharded; }
    std::int64_t replicatedParameters() const { return m_replicated; }
    std::int64_t tiedParameters() const { return m_tied; }
    std::int64_t expertParameters() const { return m_expert; }
    // The DAG built so far, edges sorted and unique.
    OperatorDag dag() const;

private:
    int add(std::string name, const PrimitiveOp &part, std::initializer_list<int> inputs);

    std::int64_t m_bytes;
    OperatorDag m_dag;
    std::int64_t m_sharded = 0;
    std::int64_t m_replicated = 0;
    std::int64_t m_tied = 0;
    std::int64_t m_expert = 0; // routed experts' parameters held by this slice
};

} // namespace phaze
