#include "core/model/modelzoo.h"

namespace phaze {

namespace {

struct Dimensions {
    int layers;
    int hidden;
    int heads;
    int ffn;
    std::int64_t vocab;
    int sequence;
};

TransformerSpec makeSpec(std::string key, std::string family, const Dimensions &d)
{
    TransformerSpec spec;
    spec.key = std::move(key);
    spec.family = std::move(family);
    spec.layers = d.layers;
    spec.hidden = d.hidden;
    spec.heads = d.heads;
    spec.ffn = d.ffn;
    spec.vocab = d.vocab;
    spec.sequence = d.sequence;
    return spec;
}

// Hugging Face BERT: post-LN encoder with learned positions, token types and the pre-training
// heads (pooler, masked-LM transform, next-sentence classifier).
TransformerSpec bertLarge()
{
    TransformerSpec spec = makeSpec("bert-large", "BERT", {24, 1024, 16, 4096, 30522, 512});
    spec.preNorm = false;
    spec.finalNorm = false;
    spec.causal = false;
    spec.maxPositions = 512;
    spec.tokenTypes = 2;
    spec.bertHeads = true;
    spec.fixedStrategy = {8, 128, 1};
    // HF BertModel with its pooler has 335,141,888 parameters; the pre-training heads add ~1 M.
    spec.referenceParameters = 335e6;
    spec.notes = "post-LN encoder, GELU, learned positions (512), 2 token types, MLM+NSP heads";
    return spec;
}

TransformerSpec gpt2Xl()
{
    TransformerSpec spec = makeSpec("gpt2-xl", "GPT-2", {48, 1600, 25, 6400, 50257, 1024});
    spec.maxPositions = 1024;
    spec.fixedStrategy = {32, 32, 1};
    // Counted from the Hugging Face checkpoint: 1,557,611,200 (the GPT-2 paper rounds to 1542M
    // with a different count).
    spec.referenceParameters = 1.5576e9;
    spec.notes = "pre-LN decoder, GELU, learned positions (1024), tied LM head";
    return spec;
}

TransformerSpec opt350m()
{
    TransformerSpec spec = makeSpec("opt-350m", "OPT", {24, 1024, 16, 4096, 50272, 2048});
    spec.activation = ActivationKind::Relu;
    // OPT-350m is the one OPT size with do_layer_norm_before=False: post-LN, no final norm.
    spec.preNorm = false;
    spec.finalNorm = false;
    spec.maxPositions = 2048 + 2; // OPT offsets learned positions by 2
    spec.embeddingDim = 512;      // word embeddings projected 512 -> 1024 and back
    spec.fixedStrategy = {12, 85, 1};
    spec.referenceParameters = 331e6;
    spec.notes = "post-LN decoder, ReLU, learned positions (2050), embeddings projected 512<->1024";
    return spec;
}

TransformerSpec llama2_7b()
{
    TransformerSpec spec = makeSpec("llama2-7b", "Llama 2", {32, 4096, 32, 11008, 32000, 4096});
    spec.norm = NormKind::RMSNorm;
    spec.activation = ActivationKind::SwiGLU;
    spec.positions = PositionKind::Rotary;
    spec.bias = false;
    spec.tiedHead = false;
    spec.fixedStrategy = {8, 128, 1};
    spec.referenceParameters = 6.738e9;
    spec.notes = "pre-RMSNorm decoder, SwiGLU, rotary positions, no biases, untied LM head";
    return spec;
}

// Llama 3 (Grattafiori et al., "The Llama 3 Herd of Models", 2024, Table 3; the released
// config.json files): Llama 2's block with grouped-query attention (8 key/value heads), a
// 128,256-token vocabulary and 8,192-token training sequences.
TransformerSpec llama3(std::string key, const Dimensions &d, MegatronBaseline fixed,
                       double reference)
{
    TransformerSpec spec = makeSpec(std::move(key), "Llama 3", d);
    spec.kvHeads = 8;
    spec.norm = NormKind::RMSNorm;
    spec.activation = ActivationKind::SwiGLU;
    spec.positions = PositionKind::Rotary;
    spec.bias = false;
    spec.tiedHead = false;
    spec.tensorParallelWidths = {1, 2, 4, 8};
    spec.fixedStrategy = fixed;
    spec.referenceParameters = reference;
    spec.notes = "pre-RMSNorm decoder, SwiGLU, rotary positions, grouped-query attention (8 "
                 "key/value heads), no biases, untied LM head";
    return spec;
}

// Mixtral 8x7B (Jiang et al. 2024, "Mixtral of Experts"; Hugging Face config): Mistral 7B's
// attention (32 heads, 8 key/value heads) with 8 SwiGLU experts of width 14,336 per block, 2 per
// token. Published: 46.7 B parameters, 12.9 B active. Default sequence 4,096 (the paper trains
// at 32K: set the project's seq).
TransformerSpec mixtral8x7b()
{
    TransformerSpec spec =
        llama3("mixtral-8x7b", {32, 4096, 32, 14336, 32000, 4096}, {4, 32, 8}, 46.7e9);
    spec.family = "Mixtral";
    spec.moe = {8, 2, 14336, 0, 0};
    spec.referenceActiveParameters = 12.9e9;
    spec.notes = "Mistral-style decoder (RMSNorm, rotary, 8 key/value heads, untied head) with "
                 "8 SwiGLU experts per block, top-2 routing";
    return spec;
}

// Qwen3-235B-A22B (Qwen3 technical report, 2025; Hugging Face config): 94 blocks of 64 query
// heads of width 128 (h / a = 64: a head width of its own) over 4 key/value heads with RMSNorm
// on Q and K, 128 experts of width 1,536, 8 per token. Published: 235 B total, 22 B active.
// Default sequence 4,096 (the report's first pre-training stage).
TransformerSpec qwen3_235b()
{
    TransformerSpec spec =
        llama3("qwen3-235b-a22b", {94, 4096, 64, 12288, 151936, 4096}, {2, 128, 4}, 235e9);
    spec.family = "Qwen3";
    spec.kvHeads = 4;
    spec.headDim = 128;
    spec.qkNorm = true;
    spec.moe = {128, 8, 1536, 0, 0};
    spec.tensorParallelWidths = {1, 2, 4};
    spec.referenceActiveParameters = 22e9;
    spec.notes = "pre-RMSNorm decoder, rotary, 4 key/value heads, head width 128, Q/K RMSNorm, "
                 "128 SwiGLU experts per block, top-8 routing, untied head";
    return spec;
}

// Megatron-LM's BERT: pre-LN with a final LayerNorm, no LayerNorm on the embeddings.
TransformerSpec megatronBert()
{
    TransformerSpec spec =
        makeSpec("megatron-bert", "BERT (Megatron)", {24, 1024, 16, 4096, 30522, 512});
    spec.causal = false;
    spec.maxPositions = 512;
    spec.tokenTypes = 2;
    spec.bertHeads = true;
    spec.tensorParallelWidths = {1, 2, 4, 8};
    spec.fixedStrategy = {8, 128, 1};
    // Shoeybi et al. 2019 (Megatron-LM), Table 4: 336M for the 24-layer, 1024-hidden BERT;
    // models.md's "~0.34 B" is this figure rounded.
    spec.referenceParameters = 336e6;
    spec.notes = "Megatron BERT: pre-LN with final LN, tensor-parallel graphs";
    return spec;
}

TransformerSpec megatronGpt(std::string key, const Dimensions &d, std::vector<int> widths,
                            MegatronBaseline fixed, double reference)
{
    TransformerSpec spec = makeSpec(std::move(key), "GPT-2 (Megatron)", d);
    spec.maxPositions = d.sequence; // Megatron learns exactly s positions
    spec.tensorParallelWidths = std::move(widths);
    spec.fixedStrategy = fixed;
    spec.referenceParameters = reference;
    spec.notes = "Megatron GPT: pre-LN with final LN, tied LM head, tensor-parallel graphs";
    return spec;
}

std::vector<TransformerSpec> makeZoo()
{
    std::vector<TransformerSpec> zoo;
    zoo.push_back(bertLarge());
    zoo.push_back(gpt2Xl());
    zoo.push_back(opt350m());
    zoo.push_back(llama2_7b());
    // Published totals: 8.03 B, 70.6 B, 405 B (Meta's model cards).
    zoo.push_back(llama3("llama3-8b", {32, 4096, 32, 14336, 128256, 8192}, {4, 32, 8}, 8.03e9));
    zoo.push_back(llama3("llama3-70b", {80, 8192, 64, 28672, 128256, 8192}, {16, 8, 8}, 70.6e9));
    zoo.push_back(
        llama3("llama3.1-405b", {126, 16384, 128, 53248, 128256, 8192}, {63, 2, 8}, 405e9));
    zoo.push_back(mixtral8x7b());
    zoo.push_back(qwen3_235b());
    zoo.push_back(megatronBert());
    // 20 heads: t = 8 does not divide them, so the 2.5B model is sliced at most 4 ways.
    zoo.push_back(megatronGpt("megatron-gpt2-2.5b", {54, 1920, 20, 7680, 51200, 1024}, {1, 2, 4},
                              {8, 32, 4}, 2.5e9));
    zoo.push_back(megatronGpt("megatron-gpt2-8.3b", {72, 3072, 24, 12288, 51200, 1024},
                              {1, 2, 4, 8}, {8, 16, 8}, 8.3e9));
    TransformerSpec gpt3 =
        megatronGpt("gpt3-175b", {96, 12288, 96, 49152, 51200, 2048}, {4, 8}, {32, 8, 4}, 175e9);
    gpt3.family = "GPT-3 (Megatron)";
    gpt3.notes = "GPT-3 175B as a Megatron GPT: pre-LN, tied LM head, tensor-parallel graphs";
    zoo.push_back(std::move(gpt3));
    return zoo;
}

} // namespace

const std::vector<TransformerSpec> &modelZoo()
{
    static const std::vector<TransformerSpec> zoo = makeZoo();
    return zoo;
}

const TransformerSpec *findZooModel(std::string_view key)
{
    for (const TransformerSpec &spec : modelZoo()) {
        if (spec.key == key) {
            return &spec;
        }
    }
    return nullptr;
}

const TransformerSpec *transformerOf(const ModelRef &ref)
{
    if (ref.transformer)
        return &*ref.transformer;
    return ref.zoo.empty() ? nullptr : findZooModel(ref.zoo);
}

} // namespace phaze
