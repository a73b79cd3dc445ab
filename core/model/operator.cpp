#include "core/model/operator.h"

#include <array>
#include <utility>

namespace phaze {

namespace {

// One table drives both directions of the name mapping, so they cannot drift apart.
constexpr std::array<std::pair<OpKind, std::string_view>, 26> kOpKindNames{{
    {OpKind::Linear, "linear"},
    {OpKind::MatMul, "matmul"},
    {OpKind::BatchedMatMul, "batched_matmul"},
    {OpKind::Add, "add"},
    {OpKind::Mul, "mul"},
    {OpKind::Scale, "scale"},
    {OpKind::Mask, "mask"},
    {OpKind::Softmax, "softmax"},
    {OpKind::LayerNorm, "layer_norm"},
    {OpKind::RMSNorm, "rms_norm"},
    {OpKind::Gelu, "gelu"},
    {OpKind::Relu, "relu"},
    {OpKind::Silu, "silu"},
    {OpKind::Rotary, "rotary"},
    {OpKind::Dropout, "dropout"},
    {OpKind::CrossEntropy, "cross_entropy"},
    {OpKind::EmbeddingGrad, "embedding_grad"},
    {OpKind::Permute, "permute"},
    {OpKind::AllReduce, "all_reduce"},
    {OpKind::AllToAll, "all_to_all"},
    {OpKind::View, "view"},
    {OpKind::Transpose, "transpose"},
    {OpKind::Split, "split"},
    {OpKind::Concat, "concat"},
    {OpKind::Embedding, "embedding"},
    {OpKind::TpIdentity, "tp_identity"},
}};

} // namespace

std::string_view opKindName(OpKind kind)
{
    for (const auto &[k, name] : kOpKindNames) {
        if (k == kind) {
            return name;
        }
    }
    return "unknown";
}

std::optional<OpKind> opKindFromName(std::string_view name)
{
    for (const auto &[kind, n] : kOpKindNames) {
        if (n == name) {
            return kind;
        }
    }
    return std::nullopt;
}

std::string_view coreClassName(CoreClass core)
{
    switch (core) {
    case CoreClass::TC:
        return "TC";
    case CoreClass::VC:
        return "VC";
    case CoreClass::TCVC:
        return "TCVC";
    case CoreClass::Collective:
        return "collective";
    case CoreClass::None:
        return "none";
    }
    return "none";
}

bool isGemmKind(OpKind kind)
{
    return kind == OpKind::Linear || kind == OpKind::MatMul || kind == OpKind::BatchedMatMul;
}

bool isVectorKind(OpKind kind)
{
    // Relies on the enum order: Add .. Permute are the vector-core kinds.
    return int(kind) >= int(OpKind::Add) && int(kind) <= int(OpKind::Permute);
}

bool isCollectiveKind(OpKind kind)
{
    return kind == OpKind::AllReduce || kind == OpKind::AllToAll;
}

bool isNoOpKind(OpKind kind)
{
    switch (kind) {
    case OpKind::View:
    case OpKind::Transpose:
    case OpKind::Split:
    case OpKind::Concat:
    case OpKind::Embedding:
    case OpKind::TpIdentity:
        return true;
    default:
        return false;
    }
}

double PrimitiveOp::flops() const
{
    if (isGemmKind(kind)) {
        return gemm.flops();
    }
    if (isVectorKind(kind)) {
        return double(elements);
    }
    return 0.0;
}

CoreClass Operator::coreClass() const
{
    bool gemm = false;
    bool vector = false;
    bool collective = false;
    for (const PrimitiveOp &part : parts) {
        gemm = gemm || isGemmKind(part.kind);
        vector = vector || isVectorKind(part.kind);
        collective = collective || isCollectiveKind(part.kind);
    }
    if (gemm && vector) {
        return CoreClass::TCVC;
    }
    if (gemm) {
        return CoreClass::TC;
    }
    if (vector) {
        return CoreClass::VC;
    }
    if (collective) {
        return CoreClass::Collective;
    }
    return CoreClass::None;
}

double Operator::flops() const
{
    double total = 0.0;
    for (const PrimitiveOp &part : parts) {
        total += part.flops();
    }
    return total;
}

std::int64_t Operator::outputBytes() const
{
    return parts.empty() ? 0 : parts.back().outputBytes;
}

} // namespace phaze
