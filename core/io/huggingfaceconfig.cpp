#include "core/io/huggingfaceconfig.h"

#include <algorithm>
#include <filesystem>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/io/documenttext.h"
#include "core/io/jsonfieldreader.h"
#include "core/io/jsontext.h"

namespace phaze {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDiagnostics = 50;
constexpr std::int64_t kMaxWidth = 1 << 20;        // hidden, heads, ffn
constexpr std::int64_t kMaxLayers = 100000;
constexpr std::int64_t kMaxVocabulary = 1LL << 31;

// Field names of one family's config (GPT-2 spells them differently from Llama).
struct Spelling {
    const char *hidden;
    const char *layers;
    const char *heads;
    const char *ffn;
    const char *positions;
};

constexpr Spelling kLlama{"hidden_size", "num_hidden_layers", "num_attention_heads",
                          "intermediate_size", "max_position_embeddings"};
constexpr Spelling kGpt2{"n_embd", "n_layer", "n_head", "n_inner", "n_positions"};

JsonPath field(const char *key)
{
    return JsonPath{}.withKey(key);
}

bool present(const Json &root, const char *key)
{
    const auto it = root.find(key);
    return it != root.end() && !it->is_null();
}

// A field whose presence (with a value other than null, 0 or false) asks for a feature the
// builder does not have.
bool asksFor(const Json &root, const char *key)
{
    const auto it = root.find(key);
    if (it == root.end() || it->is_null())
        return false;
    if (it->is_boolean())
        return it->get<bool>();
    if (it->is_number())
        return it->get<double>() != 0.0;
    return true;
}

class ConfigReader
{
public:
    ConfigReader(const std::string &text, const std::string &file, std::string name)
        : m_text(text), m_file(file), m_reader(file, kMaxDiagnostics), m_name(std::move(name))
    {
    }

    Result<TransformerSpec> read();

private:
    void refuseUnmodelled(const Json &root);
    void readLlama(const Json &root, TransformerSpec &spec);
    void readExperts(const Json &root, TransformerSpec &spec);
    void readGpt2(const Json &root, TransformerSpec &spec);
    // Hugging Face writes null for "not set": a null field reads as an absent one throughout.
    std::int64_t integer(const Json &root, const char *key, std::int64_t max, bool required = true)
    {
        if (!present(root, key)) {
            if (required)
                m_reader.error(field(key), "missing required field " + inQuotes(key));
            return 0;
        }
        const IntField f = m_reader.readInteger(root, {}, key, required, 1, max, "the builder's");
        return f.valid ? f.value : 0;
    }
    bool boolean(const Json &root, const char *key, bool fallback)
    {
        return present(root, key) ? m_reader.readBool(root, {}, key).value_or(fallback) : fallback;
    }
    std::optional<std::string> text(const Json &root, const char *key)
    {
        return present(root, key) ? m_reader.readString(root, {}, key, false) : std::nullopt;
    }
    void checkShape(const Json &root, const Spelling &names, TransformerSpec &spec);

    const std::string &m_text;
    std::string m_file;
    JsonFieldReader m_reader;
    std::string m_name;
};

void ConfigReader::refuseUnmodelled(const Json &root)
{
    if (asksFor(root, "shared_expert_intermediate_size"))
        m_reader.error(field("shared_expert_intermediate_size"),
                       "a shared expert behind a sigmoid gate (Qwen2-MoE) is not modelled");
    if (present(root, "decoder_sparse_step") && root["decoder_sparse_step"] != 1)
        m_reader.error(field("decoder_sparse_step"),
                       "experts in only every n-th block are not modelled (only 1)");
    if (present(root, "moe_layer_freq") && root["moe_layer_freq"] != 1)
        m_reader.error(field("moe_layer_freq"),
                       "experts in only every n-th block are not modelled (only 1)");
    if (present(root, "mlp_only_layers") &&
        !(root["mlp_only_layers"].is_array() && root["mlp_only_layers"].empty()))
        m_reader.error(field("mlp_only_layers"),
                       "dense blocks among the expert blocks are not modelled (only leading "
                       "ones, first_k_dense_replace)");
    for (const char *key : {"kv_lora_rank", "q_lora_rank"})
        if (asksFor(root, key))
            m_reader.error(field(key), "multi-head latent attention is not modelled");
    for (const char *key : {"attention_bias", "mlp_bias"})
        if (asksFor(root, key))
            m_reader.error(field(key), "biases on only some of the linear layers are not "
                                       "modelled (a model has biases everywhere or nowhere)");
    const auto sliding = root.find("use_sliding_window");
    const bool slidingOff = sliding != root.end() && sliding->is_boolean() && !sliding->get<bool>();
    if (sliding != root.end() && !sliding->is_null() && !sliding->is_boolean())
        m_reader.error(field("use_sliding_window"), "must be true or false, not " + describe(*sliding));
    if (present(root, "sliding_window") && !slidingOff)
        m_reader.error(field("sliding_window"), "sliding-window attention is not modelled");
}

// The sizes every family has, and their consistency.
void ConfigReader::checkShape(const Json &root, const Spelling &names, TransformerSpec &spec)
{
    spec.hidden = int(integer(root, names.hidden, kMaxWidth));
    spec.layers = int(integer(root, names.layers, kMaxLayers));
    spec.heads = int(integer(root, names.heads, kMaxWidth));
    spec.vocab = integer(root, "vocab_size", kMaxVocabulary);
    spec.maxPositions = int(integer(root, names.positions, 1 << 24, false));
    // A head width of its own (Qwen3: 128 at hidden / heads = 64) is read; without one the
    // heads must split the hidden size.
    const std::int64_t headDim = present(root, "head_dim") ? integer(root, "head_dim", kMaxWidth)
                                                           : 0;
    if (headDim == 0 && spec.hidden > 0 && spec.heads > 0 && spec.hidden % spec.heads != 0)
        m_reader.error(field(names.heads), "the " + std::to_string(spec.heads) +
                                               " attention heads do not divide " + names.hidden +
                                               " " + std::to_string(spec.hidden));
    if (headDim > 0 && !(spec.heads > 0 && spec.hidden % spec.heads == 0 &&
                         headDim == spec.hidden / spec.heads))
        spec.headDim = int(headDim);
}

// Routed experts: three spellings of their count, the top-k, their width (Mixtral: the
// intermediate_size; Qwen3-MoE and DeepSeek: moe_intermediate_size, intermediate_size being
// the dense blocks'), shared experts and dense leading blocks.
void ConfigReader::readExperts(const Json &root, TransformerSpec &spec)
{
    const char *countKey = nullptr;
    for (const char *key : {"num_local_experts", "num_experts", "n_routed_experts"}) {
        if (!asksFor(root, key))
            continue;
        const int experts = int(integer(root, key, kMaxWidth));
        if (countKey && experts != spec.moe.experts)
            m_reader.error(field(key), std::string(key) + " " + std::to_string(experts) +
                                           " contradicts " + countKey + " " +
                                           std::to_string(spec.moe.experts));
        countKey = key;
        spec.moe.experts = experts;
    }
    if (!countKey) {
        for (const char *key : {"num_experts_per_tok", "moe_intermediate_size",
                                "n_shared_experts", "first_k_dense_replace"})
            if (asksFor(root, key))
                m_reader.error(field(key), std::string(key) +
                                               " without an expert count (num_local_experts, "
                                               "num_experts or n_routed_experts)");
        return;
    }
    spec.moe.expertsPerToken = int(integer(root, "num_experts_per_tok", kMaxWidth));
    if (spec.moe.expertsPerToken > spec.moe.experts)
        m_reader.error(field("num_experts_per_tok"),
                       "num_experts_per_tok " + std::to_string(spec.moe.expertsPerToken) +
                           " exceeds the " + std::to_string(spec.moe.experts) + " experts");
    spec.moe.expertFfn = present(root, "moe_intermediate_size")
                             ? int(integer(root, "moe_intermediate_size", kMaxWidth))
                             : spec.ffn;
    if (asksFor(root, "n_shared_experts"))
        spec.moe.sharedFfn =
            int(integer(root, "n_shared_experts", kMaxWidth)) * spec.moe.expertFfn;
    if (asksFor(root, "first_k_dense_replace")) {
        spec.moe.denseLayers = int(integer(root, "first_k_dense_replace", kMaxLayers));
        if (spec.moe.denseLayers > spec.layers)
            m_reader.error(field("first_k_dense_replace"),
                           "first_k_dense_replace " + std::to_string(spec.moe.denseLayers) +
                               " exceeds the " + std::to_string(spec.layers) + " layers");
    }
}

void ConfigReader::readLlama(const Json &root, TransformerSpec &spec)
{
    checkShape(root, kLlama, spec);
    spec.ffn = int(integer(root, "intermediate_size", kMaxWidth));
    if (present(root, "num_key_value_heads")) {
        const int kv = int(integer(root, "num_key_value_heads", kMaxWidth));
        if (kv > 0 && spec.heads > 0 && spec.heads % kv != 0)
            m_reader.error(field("num_key_value_heads"),
                           "the " + std::to_string(kv) +
                               " key/value heads do not divide the " +
                               std::to_string(spec.heads) + " attention heads");
        spec.kvHeads = kv == spec.heads ? 0 : kv;
    }
    // "swish" is Hugging Face's other name for SiLU.
    if (const auto act = text(root, "hidden_act"); act && *act != "silu" && *act != "swish")
        m_reader.error(field("hidden_act"), "a gated MLP with " + inQuotes(*act) +
                                                " is not modelled; llama-type models use "
                                                "\"silu\" (SwiGLU)");
    spec.norm = NormKind::RMSNorm;
    spec.activation = ActivationKind::SwiGLU;
    spec.positions = PositionKind::Rotary;
    spec.bias = false;
    spec.tiedHead = boolean(root, "tie_word_embeddings", false);
    readExperts(root, spec);
}

void ConfigReader::readGpt2(const Json &root, TransformerSpec &spec)
{
    checkShape(root, kGpt2, spec);
    // n_inner: null (or absent) means 4 x n_embd.
    spec.ffn = present(root, "n_inner") ? int(integer(root, "n_inner", kMaxWidth))
                                        : 4 * spec.hidden;
    if (const auto act = text(root, "activation_function")) {
        if (*act == "relu")
            spec.activation = ActivationKind::Relu;
        else if (*act != "gelu" && *act != "gelu_new" && *act != "gelu_pytorch_tanh")
            m_reader.error(field("activation_function"),
                           inQuotes(*act) + " is not modelled; use gelu, gelu_new or relu");
    }
    if (!present(root, "n_positions"))
        m_reader.error(field("n_positions"), "missing required field \"n_positions\" (GPT-2 "
                                             "learns one position embedding per position)");
    spec.tiedHead = boolean(root, "tie_word_embeddings", true);
}

Result<TransformerSpec> ConfigReader::read()
{
    using R = Result<TransformerSpec>;
    Json root;
    if (std::optional<Diagnostic> bad = parseJsonText(m_text, m_file, root))
        return R::error(Diagnostics{std::move(*bad)});
    m_reader.indexPositions(m_text);
    if (!root.is_object()) {
        m_reader.error({}, "a Hugging Face config.json is a JSON object");
        return R::error(m_reader.takeErrors());
    }
    TransformerSpec spec;
    spec.key = m_name;
    refuseUnmodelled(root);
    const std::optional<std::string> type = m_reader.readString(root, {}, "model_type", true);
    // Llama's layout with, by family: experts (Mixtral), RMSNorm on Q and K (Qwen3), both.
    static const std::pair<const char *, const char *> kLlamaLike[] = {
        {"llama", "Llama"},   {"mistral", "Mistral"},    {"mixtral", "Mixtral"},
        {"qwen3", "Qwen3"},   {"qwen3_moe", "Qwen3-MoE"}};
    const auto llamaLike = std::find_if(std::begin(kLlamaLike), std::end(kLlamaLike),
                                        [&](const auto &kv) { return type == kv.first; });
    if (llamaLike != std::end(kLlamaLike)) {
        spec.family = llamaLike->second + std::string(" (Hugging Face)");
        readLlama(root, spec);
        spec.qkNorm = *type == "qwen3" || *type == "qwen3_moe";
        const bool moeType = *type == "mixtral" || *type == "qwen3_moe";
        if (moeType && !spec.hasExperts())
            m_reader.error(field("model_type"), inQuotes(*type) +
                                                    " names a mixture of experts but the config "
                                                    "gives no expert count");
        if (!moeType && spec.hasExperts())
            m_reader.error(field("model_type"), inQuotes(*type) + " is a dense model type, but "
                                                "the config gives experts");
    } else if (type == "gpt2") {
        spec.family = "GPT-2 (Hugging Face)";
        readGpt2(root, spec);
    } else if (type) {
        m_reader.error(field("model_type"),
                       inQuotes(*type) + " is not a model the builder represents exactly; "
                                         "supported: gpt2, llama, mistral, mixtral, qwen3, "
                                         "qwen3_moe");
    }
    Diagnostics errors = m_reader.takeErrors();
    if (!errors.empty())
        return R::error(std::move(errors));
    // The tensor-parallel widths a PHAZE-profile search builds: powers of two up to 8 that
    // split the heads, the key/value heads, hidden and ffn.
    spec.tensorParallelWidths.clear();
    const int kv = spec.keyValueHeads();
    for (int t = 1; t <= 8; t *= 2)
        if (spec.heads % t == 0 && kv % t == 0 && spec.hidden % t == 0 && spec.ffn % t == 0 &&
            spec.moe.expertFfn % t == 0 && spec.moe.sharedFfn % t == 0)
            spec.tensorParallelWidths.push_back(t);
    spec.notes = "imported from a Hugging Face config.json";
    return R::optimal(std::move(spec));
}

} // namespace

Result<TransformerSpec> parseHuggingFaceConfig(const std::string &jsonText,
                                               const std::string &fileName,
                                               const std::string &name)
{
    using R = Result<TransformerSpec>;
    if (std::optional<Diagnostic> bad = checkDocumentText(jsonText, fileName))
        return R::error(Diagnostics{std::move(*bad)});
    return ConfigReader(jsonText, fileName, name).read();
}

Result<TransformerSpec> loadHuggingFaceConfig(const std::string &path, const std::string &name)
{
    const std::optional<std::string> text = readFileText(path);
    if (!text)
        return Result<TransformerSpec>::error(
            Diagnostics{Diagnostic{path, 0, 0, "", "cannot open for reading"}});
    return parseHuggingFaceConfig(*text, path, name);
}

bool looksLikeHuggingFaceConfig(const std::string &jsonText)
{
    const Json root = Json::parse(jsonText, nullptr, false, true);
    if (root.is_discarded() || !root.is_object())
        return false;
    const auto it = root.find("model_type");
    return it != root.end() && it->is_string();
}

std::string huggingFaceModelName(const std::string &path)
{
    const std::filesystem::path p(path);
    if (p.filename() == "config.json" && p.has_parent_path() &&
        !p.parent_path().filename().empty())
        return p.parent_path().filename().string();
    return p.stem().string();
}

Result<std::string> huggingFaceConfigText(const TransformerSpec &spec)
{
    using R = Result<std::string>;
    nlohmann::ordered_json j;
    const bool llama = spec.norm == NormKind::RMSNorm &&
                       spec.activation == ActivationKind::SwiGLU &&
                       spec.positions == PositionKind::Rotary && !spec.bias && spec.preNorm &&
                       spec.finalNorm && spec.causal && spec.tokenTypes == 0 &&
                       spec.embeddingDim == 0 && !spec.bertHeads;
    const bool gpt2 = spec.norm == NormKind::LayerNorm &&
                      spec.activation != ActivationKind::SwiGLU &&
                      spec.positions == PositionKind::Learned && spec.bias && spec.preNorm &&
                      spec.finalNorm && spec.causal && spec.tokenTypes == 0 &&
                      spec.embeddingDim == 0 && !spec.bertHeads && spec.kvHeads == 0 &&
                      spec.maxPositions > 0;
    const MixtureOfExperts &moe = spec.moe;
    // Mixtral's experts are as wide as its intermediate_size; Qwen3-MoE names both widths.
    const bool mixtral = llama && spec.hasExperts() && !spec.qkNorm && spec.headDim == 0 &&
                         moe.expertFfn == spec.ffn && moe.sharedFfn == 0 && moe.denseLayers == 0;
    const bool qwen3 = llama && spec.qkNorm && moe.sharedFfn == 0 && moe.denseLayers == 0;
    if (mixtral || qwen3 || (llama && !spec.hasExperts() && !spec.qkNorm && spec.headDim == 0)) {
        const char *type = mixtral ? "mixtral" : qwen3 ? (spec.hasExperts() ? "qwen3_moe" : "qwen3")
                                                       : "llama";
        const char *architecture = mixtral ? "MixtralForCausalLM"
                                   : qwen3 ? (spec.hasExperts() ? "Qwen3MoeForCausalLM"
                                                                : "Qwen3ForCausalLM")
                                           : "LlamaForCausalLM";
        j["architectures"] = {architecture};
        j["model_type"] = type;
        if (spec.headDim > 0)
            j["head_dim"] = spec.headDim;
        if (spec.hasExperts()) {
            j[mixtral ? "num_local_experts" : "num_experts"] = moe.experts;
            j["num_experts_per_tok"] = moe.expertsPerToken;
            if (!mixtral) {
                j["moe_intermediate_size"] = moe.expertFfn;
                j["decoder_sparse_step"] = 1;
                j["mlp_only_layers"] = nlohmann::ordered_json::array();
            }
        }
        j["hidden_size"] = spec.hidden;
        j["num_hidden_layers"] = spec.layers;
        j["num_attention_heads"] = spec.heads;
        if (spec.kvHeads > 0)
            j["num_key_value_heads"] = spec.kvHeads;
        j["intermediate_size"] = spec.ffn;
        j["vocab_size"] = spec.vocab;
        if (spec.maxPositions > 0)
            j["max_position_embeddings"] = spec.maxPositions;
        j["hidden_act"] = "silu";
        j["tie_word_embeddings"] = spec.tiedHead;
    } else if (gpt2) {
        j["architectures"] = {"GPT2LMHeadModel"};
        j["model_type"] = "gpt2";
        j["n_embd"] = spec.hidden;
        j["n_layer"] = spec.layers;
        j["n_head"] = spec.heads;
        j["n_inner"] = spec.ffn;
        j["vocab_size"] = spec.vocab;
        j["n_positions"] = spec.maxPositions;
        j["activation_function"] =
            spec.activation == ActivationKind::Relu ? "relu" : "gelu_new";
        j["tie_word_embeddings"] = spec.tiedHead;
    } else {
        return R::error("model '" + spec.key +
                        "': no supported Hugging Face model_type (llama, mixtral, qwen3, qwen3_moe, gpt2) "
                        "describes it");
    }
    return R::optimal(dumpOrderedJson(j, 2) + "\n");
}

} // namespace phaze
