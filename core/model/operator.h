#pragma once

// Operators of a layer's DAG. An Operator is what the scheduler places on cores; it is made of
// one or more primitive parts (one for an unfused operator; several after fusion, e.g. a GEMM
// with its bias-add and GELU epilogue). The core class (TC, VC, TC+VC, collective, none) follows
// from the parts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace phaze {

enum class OpKind {
    // GEMM-like: tensor cores
    Linear,        // activation x weight
    MatMul,        // activation x activation
    BatchedMatMul, // per-head matmul (attention), or per-expert GEMMs with their own weights
    // element-wise and reductions: vector cores
    Add,
    Mul,
    Scale,
    Mask,
    Softmax,
    LayerNorm,
    RMSNorm,
    Gelu,
    Relu,
    Silu,
    Rotary,
    Dropout,
    CrossEntropy,
    EmbeddingGrad, // scatter-add of gradients into an embedding table (backward only)
    Permute,       // a gather of token rows (mixture-of-experts dispatch order and back)
    // collectives
    AllReduce,
    AllToAll, // expert-parallel dispatch or combine: each device sends 1/n of its buffer to each
    // zero cost in the forward pass
    View,
    Transpose,
    Split,
    Concat,
    Embedding, // table lookup
    // Megatron's "f": identity forward, all-reduce of the input gradient backward
    TpIdentity,
};

enum class CoreClass { TC, VC, TCVC, Collective, None };

std::string_view opKindName(OpKind kind); // "linear", "batched_matmul", ...
std::optional<OpKind> opKindFromName(std::string_view name);
std::string_view coreClassName(CoreClass core); // "TC", "VC", "TCVC", "collective", "none"
bool isGemmKind(OpKind kind);
bool isVectorKind(OpKind kind);
bool isNoOpKind(OpKind kind); // zero cost in the forward pass
bool isCollectiveKind(OpKind kind); // AllReduce, AllToAll

// C[batch, m, n] = A[batch, m, k] x B[batch, k, n]
struct GemmShape {
    std::int64_t batch = 1;
    std::int64_t m = 0;
    std::int64_t k = 0;
    std::int64_t n = 0;
    double flops() const { return 2.0 * double(batch) * double(m) * double(k) * double(n); }
    bool operator==(const GemmShape &) const = default;
};

// One primitive operation. Sizes are per layer slice (after tensor-parallel slicing).
struct PrimitiveOp {
    OpKind kind = OpKind::View;
    bool backward = false;     // a backward-pass operation (affects vector cycles per element)
    GemmShape gemm;            // GEMM kinds only
    std::int64_t elements = 0; // vector kinds: elements processed; collectives: elements reduced
    std::int64_t inputBytes = 0;
    std::int64_t outputBytes = 0;
    std::int64_t weightBytes = 0; // bytes of parameters read (weights + bias)
    int group = 1;                // collectives: number of devices taking part
    double flops() const;         // GEMM: 2bmkn; vector: elements; others 0
    bool operator==(const PrimitiveOp &) const = default;
};

struct Operator {
    std::string name;               // unique within its layer, e.g. "attn.qkv"
    std::vector<PrimitiveOp> parts; // at least one; several after fusion
    // A fused kernel that keeps every tensor between its parts on chip (FlashAttention-style
    // attention): when positive, the bytes it moves to and from HBM, in place of the parts'
    // own; its backward replays the forward parts before its last GEMM (nothing was stored).
    std::int64_t fusedHbmBytes = 0;

    CoreClass coreClass() const;
    double flops() const;
    std::int64_t outputBytes() const; // the last part's output: what leaves the operator
    bool isFused() const { return parts.size() > 1; }
    bool keepsIntermediates() const { return fusedHbmBytes > 0; }
    bool operator==(const Operator &) const = default;
};

} // namespace phaze
