#pragma once

// Hyperparameters of a transformer (models.md): a zoo member or a project's parametric model
// (`models: [{transformer: {...}}]`), from which the graph builder (core/model) generates the layer graph for a microbatch b, sequence s and tensor-parallel width t.

#include <cstdint>
#include <string>
#include <vector>

namespace phaze {

enum class NormKind { LayerNorm, RMSNorm };
enum class ActivationKind { Gelu, Relu, SwiGLU };
enum class PositionKind { Learned, Rotary };

struct MegatronBaseline {
    int pipeline = 1; // p
    int data = 1;     // d
    int tensor = 1;   // t
    bool operator==(const MegatronBaseline &) const = default;
};

// Mixture-of-experts MLPs (Shazeer et al. 2017; Mixtral, Qwen3-MoE): a linear router sends
// each token to `expertsPerToken` of `experts` routed SwiGLU experts of width `expertFfn`;
// `sharedFfn` is the total width of the shared experts every token also passes through; the
// first `denseLayers` blocks keep the dense MLP of width ffn.
struct MixtureOfExperts {
    int experts = 0;         // E routed experts; 0: a dense model
    int expertsPerToken = 0; // k (top-k routing)
    int expertFfn = 0;       // width of one routed expert
    int sharedFfn = 0;       // total width of the shared experts; 0: none
    int denseLayers = 0;     // leading blocks with the dense MLP
    bool operator==(const MixtureOfExperts &) const = default;
};

struct TransformerSpec {
    std::string key;    // "gpt3-175b"
    std::string family; // "GPT-3 (Megatron)"
    int layers = 0;     // L
    int hidden = 0;     // h
    int heads = 0;      // a
    int kvHeads = 0;    // key/value heads (grouped-query attention); 0: as many as heads
    int ffn = 0;        // f (the dense MLP; with experts, the dense leading layers')
    int headDim = 0;    // width of one head; 0: hidden / heads (Qwen3: 128 at h / a = 64)
    bool qkNorm = false; // RMSNorm over each head of Q and K before the rotary embedding (Qwen3)
    MixtureOfExperts moe;
    std::int64_t vocab = 0;
    int sequence = 0; // default s
    NormKind norm = NormKind::LayerNorm;
    ActivationKind activation = ActivationKind::Gelu;
    PositionKind positions = PositionKind::Learned;
    bool bias = true;       // linear layers have biases
    bool preNorm = true;    // pre-LN (GPT) or post-LN (BERT, OPT-350m)
    bool finalNorm = true;  // a norm after the last block (pre-LN models)
    bool causal = true;     // causal mask (decoders) or padding mask (encoders)
    bool tiedHead = true;   // LM head shares the token embedding
    int maxPositions = 0;   // learned position table rows (OPT: 2048 + 2)
    int tokenTypes = 0;     // BERT segment embeddings
    int embeddingDim = 0;   // token embedding width if projected to hidden (OPT-350m: 512)
    bool bertHeads = false; // pooler, MLM transform and next-sentence heads
    std::vector<int> tensorParallelWidths{1}; // widths PHAZE evaluates for this model
    MegatronBaseline fixedStrategy;           // PHAZE's Megatron-style baseline on 1024 devices
    double referenceParameters = 0.0;         // published parameter count
    double referenceActiveParameters = 0.0;   // published active count (mixture of experts)
    std::string notes;
    bool operator==(const TransformerSpec &) const = default;

    // Key/value heads: kv_heads with grouped-query attention, else one per attention head.
    int keyValueHeads() const { return kvHeads > 0 ? kvHeads : heads; }
    int headWidth() const { return headDim > 0 ? headDim : (heads > 0 ? hidden / heads : 0); }
    bool hasExperts() const { return moe.experts > 0; }
    // Whether block `index` (0-based) has the mixture-of-experts MLP.
    bool isExpertBlock(int index) const { return hasExperts() && index >= moe.denseLayers; }
};

} // namespace phaze
