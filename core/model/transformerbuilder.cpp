#include "core/model/transformerbuilder.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/model/transformerlayers.h"

namespace phaze {

namespace {

std::string describe(const TransformerSpec &spec)
{
    return "model '" + spec.key + "': ";
}

// The first reason the experts, or their split over ep devices and t slices, do not fit.
std::optional<std::string> validateExperts(const TransformerSpec &spec, int ep, int t)
{
    const MixtureOfExperts &m = spec.moe;
    if (ep < 1)
        return "expert-parallel width ep=" + std::to_string(ep) + " must be at least 1";
    if (!spec.hasExperts()) {
        if (m.expertsPerToken != 0 || m.expertFfn != 0 || m.sharedFfn != 0 || m.denseLayers != 0)
            return std::optional<std::string>("expert settings without experts (experts: 0)");
        if (ep > 1)
            return "expert-parallel width ep=" + std::to_string(ep) +
                   " needs a mixture-of-experts model";
        return std::nullopt;
    }
    if (m.experts < 0 || m.expertsPerToken < 1 || m.expertsPerToken > m.experts)
        return "experts per token k=" + std::to_string(m.expertsPerToken) +
               " must be between 1 and the " + std::to_string(m.experts) + " experts";
    if (m.expertFfn < 1)
        return std::optional<std::string>("the experts' width must be at least 1");
    if (m.sharedFfn < 0 || m.denseLayers < 0 || m.denseLayers > spec.layers)
        return "shared-expert width and dense leading layers must be between 0 and the model's "
               "size (dense layers " + std::to_string(m.denseLayers) + " of " +
               std::to_string(spec.layers) + ")";
    if (spec.activation != ActivationKind::SwiGLU)
        return std::optional<std::string>("experts are SwiGLU MLPs: the model needs activation "
                                          "swiglu");
    if (m.experts % ep != 0)
        return "expert-parallel width ep=" + std::to_string(ep) + " does not divide the " +
               std::to_string(m.experts) + " experts";
    if (m.expertFfn % t != 0 || m.sharedFfn % t != 0)
        return "tensor-parallel width t=" + std::to_string(t) +
               " does not divide the expert width " + std::to_string(m.expertFfn) +
               (m.sharedFfn > 0 ? " and the shared width " + std::to_string(m.sharedFfn) : "");
    return std::nullopt;
}

// The first reason the options do not fit the model, if any.
std::optional<std::string> validate(const TransformerSpec &spec, const GraphBuildOptions &options,
                                    int sequence)
{
    const std::string what = describe(spec);
    const int t = options.tensorParallel;
    if (spec.layers < 1 || spec.hidden < 1 || spec.heads < 1 || spec.ffn < 1 || spec.vocab < 1) {
        return what + "layers, hidden, heads, ffn and vocab must all be at least 1";
    }
    if (spec.headDim < 0) {
        return what + "head width " + std::to_string(spec.headDim) + " must be positive";
    }
    if (spec.headDim == 0 && spec.hidden % spec.heads != 0) {
        return what + "the " + std::to_string(spec.heads) +
               " attention heads do not divide the hidden size " + std::to_string(spec.hidden);
    }
    if (spec.kvHeads < 0 || (spec.kvHeads > 0 && spec.heads % spec.kvHeads != 0)) {
        return what + "the " + std::to_string(spec.kvHeads) +
               " key/value heads do not divide the " + std::to_string(spec.heads) +
               " attention heads";
    }
    if (t < 1) {
        return what + "tensor-parallel width t=" + std::to_string(t) + " must be at least 1";
    }
    if (auto problem = validateExperts(spec, options.expertParallel, t)) {
        return what + *problem;
    }
    const int cp = options.contextParallel;
    if (cp < 1) {
        return what + "context-parallel width cp=" + std::to_string(cp) + " must be at least 1";
    }
    if (cp > 1 && sequence % (2 * cp) != 0) {
        // Load-balanced causal splitting takes 2 cp chunks of equal length.
        return what + "context-parallel width cp=" + std::to_string(cp) +
               ": the sequence length s=" + std::to_string(sequence) +
               " must be a multiple of 2 x cp";
    }
    if (options.microbatch < 1) {
        return what + "microbatch b=" + std::to_string(options.microbatch) + " must be at least 1";
    }
    if (sequence < 1) {
        return what + "sequence length s=" + std::to_string(sequence) + " must be at least 1";
    }
    if (options.bytesPerElement < 1) {
        return what + "bytes per element " + std::to_string(options.bytesPerElement) +
               " must be at least 1";
    }
    const std::pair<int, const char *> divisible[] = {
        {spec.heads, "attention heads"}, {spec.keyValueHeads(), "key/value heads"},
        {spec.hidden, "hidden size"}, {spec.ffn, "FFN size"}};
    for (const auto &[value, noun] : divisible) {
        if (value % t != 0) {
            return what + "tensor-parallel width t=" + std::to_string(t) + " does not divide the " +
                   noun + " " + std::to_string(value);
        }
    }
    if (spec.positions == PositionKind::Learned && spec.maxPositions > 0 &&
        sequence > spec.maxPositions) {
        return what + "sequence length s=" + std::to_string(sequence) + " exceeds the " +
               std::to_string(spec.maxPositions) + " learned positions";
    }
    return std::nullopt;
}

// Bytes kept for the backward pass: the outputs of every operation that computes something.
// Taken from the unfused DAG on purpose, so that switching fusion on or off does not change a
// layer's memory footprint (a fused kernel still saves what its backward needs).
std::int64_t activationBytes(const OperatorDag &dag)
{
    std::int64_t total = 0;
    for (const Operator &op : dag.ops) {
        for (const PrimitiveOp &part : op.parts) {
            if (!isNoOpKind(part.kind) && !isCollectiveKind(part.kind)) {
                total += part.outputBytes;
            }
        }
    }
    return total;
}

std::shared_ptr<const LayerBody> finishBody(const LayerDagBuilder &parts, bool fusion,
                                            int expertGroup = 1)
{
    auto body = std::make_shared<LayerBody>();
    OperatorDag unfused = parts.dag();
    body->unfusedOperatorCount = int(unfused.ops.size());
    body->activationBytes = activationBytes(unfused);
    body->forward = fusion ? fuseOperators(unfused) : std::move(unfused);
    body->flopsForward = body->forward.flops();
    body->flopsBackward = backwardDag(body->forward).flops();
    body->shardedParameters = parts.shardedParameters();
    body->replicatedParameters = parts.replicatedParameters();
    body->tiedParameters = parts.tiedParameters();
    body->expertParameters = parts.expertParameters();
    body->expertGroup = parts.expertParameters() > 0 ? expertGroup : 1;
    body->parameterBytes = (body->sliceParameters() + body->tiedParameters) *
                           parts.bytesPerElement();
    return body;
}

} // namespace

Result<ModelGraph> buildTransformer(const TransformerSpec &spec, const GraphBuildOptions &options)
{
    const int sequence = options.sequence == 0 ? spec.sequence : options.sequence;
    if (auto problem = validate(spec, options, sequence)) {
        return Result<ModelGraph>::error(std::move(*problem));
    }
    const int t = options.tensorParallel;
    const int ep = options.expertParallel;
    SliceDims dims =
        SliceDims::of(spec, options.microbatch, sequence, t, options.bytesPerElement, ep,
                      options.contextParallel);
    dims.fusedAttention = options.fusedAttention;

    ModelGraph graph;
    graph.name = spec.key;
    graph.options = options;
    graph.options.sequence = sequence;
    graph.transformerBlocks = spec.layers;
    graph.layers.reserve(std::size_t(spec.layers) + 2);

    auto addLayer = [&](int externalId, std::string name, LayerKind kind,
                        std::shared_ptr<const LayerBody> body) {
        Layer layer;
        layer.id = int(graph.layers.size());
        layer.externalId = externalId;
        layer.name = std::move(name);
        layer.kind = kind;
        layer.tensorParallel = t > 1; // blocks are Megatron slices, the ends vocabulary-parallel
        layer.body = std::move(body);
        graph.layers.push_back(std::move(layer));
    };

    addLayer(-1, "embedding", LayerKind::Embedding,
             finishBody(buildEmbeddingSlice(spec, dims), options.fusion));
    // Every block is one of two slices (the dense MLP, or the experts): build each once and
    // let the blocks share them.
    std::shared_ptr<const LayerBody> dense;
    std::shared_ptr<const LayerBody> experts;
    for (int i = 0; i < spec.layers; ++i) {
        const bool moe = spec.isExpertBlock(i);
        std::shared_ptr<const LayerBody> &body = moe ? experts : dense;
        if (!body)
            body = finishBody(buildBlockSlice(spec, dims, moe), options.fusion, ep);
        addLayer(i, "block." + std::to_string(i), LayerKind::TransformerBlock, body);
    }
    if (spec.hasExperts()) {
        const MixtureOfExperts &m = spec.moe;
        const std::int64_t perExpert =
            3 * std::int64_t(spec.hidden) * std::int64_t(m.expertFfn); // gate, up, down
        graph.inactiveParameters = std::int64_t(spec.layers - m.denseLayers) *
                                   (m.experts - m.expertsPerToken) * perExpert;
    }
    addLayer(spec.layers, "head", LayerKind::Head,
             finishBody(buildHeadSlice(spec, dims), options.fusion));

    // Every layer hands the next one the b x s x h hidden state.
    const std::int64_t edgeBytes = dims.tokens * dims.hidden * dims.bytes;
    graph.edges.reserve(graph.layers.size() - 1);
    for (std::size_t i = 0; i + 1 < graph.layers.size(); ++i) {
        graph.edges.push_back(LayerEdge{int(i), int(i) + 1, edgeBytes});
    }
    shareIdenticalBodies(graph);
    return Result<ModelGraph>::optimal(std::move(graph));
}

bool isAttentionCoreOperator(std::string_view name)
{
    // The fused kernel (attn.core) is not among them: its backward recomputes it already.
    for (std::string_view core : {"attn.scores", "attn.scale", "attn.mask", "attn.softmax",
                                  "attn.dropout", "attn.context"})
        if (name == core)
            return true;
    return false;
}

bool isRoutedExpertOperator(std::string_view name)
{
    return name.substr(0, 11) == "moe.expert.";
}

} // namespace phaze
