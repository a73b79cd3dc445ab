#include "core/io/transformeryaml.h"

#include "core/base/units.h"

namespace phaze {
namespace {

ParameterSpec count(double max)
{
    ParameterSpec p;
    p.type = ParamType::Integer;
    p.dimension = Dimension::Count;
    p.min = 1;
    p.max = max;
    return p;
}

struct IntegerKey {
    const char *key;
    double max;
    bool required;
};

const IntegerKey kIntegers[] = {{"layers", 1 << 16, true},   {"hidden", 1 << 20, true},
                                {"heads", 1 << 16, true},    {"ffn", 1 << 22, true},
                                {"sequence", 1 << 16, true}, {"vocabulary", 1 << 24, true},
                                {"kv_heads", 1 << 16, false}, {"head_dim", 1 << 16, false}};

// Mixture-of-experts keys (all optional; experts > 0 makes the MLP a mixture of experts).
struct ExpertKey {
    const char *key;
    int MixtureOfExperts::*field;
    double min;
    double max;
};

const ExpertKey kExpertKeys[] = {
    {"experts", &MixtureOfExperts::experts, 1, 1 << 16},
    {"experts_per_token", &MixtureOfExperts::expertsPerToken, 1, 1 << 16},
    {"expert_ffn", &MixtureOfExperts::expertFfn, 1, 1 << 22},
    {"shared_expert_ffn", &MixtureOfExperts::sharedFfn, 0, 1 << 22},
    {"dense_layers", &MixtureOfExperts::denseLayers, 0, 1 << 16}};

} // namespace

const std::vector<std::string> &transformerKeys()
{
    static const std::vector<std::string> keys = {
        "layers",   "hidden",     "heads",      "ffn",  "sequence",
        "vocabulary", "kv_heads", "activation", "norm", "tied_embeddings",
        "head_dim", "qk_norm", "experts", "experts_per_token", "expert_ffn",
        "shared_expert_ffn", "dense_layers"};
    return keys;
}

std::optional<TransformerSpec> readTransformer(YamlReader &r, const YAML::Node &node,
                                               const std::string &path, const std::string &name)
{
    TransformerSpec spec;
    spec.key = name;
    spec.family = "parametric transformer";
    bool ok = true;
    for (const IntegerKey &k : kIntegers) {
        const YAML::Node n = node[k.key];
        if (!n) {
            if (k.required) {
                r.error(node, path, std::string("missing key '") + k.key + "'");
                ok = false;
            }
            continue;
        }
        const std::optional<double> v = r.value(n, path + "." + k.key, count(k.max));
        if (!v) {
            ok = false;
            continue;
        }
        const int value = int(*v);
        const std::string key = k.key;
        if (key == "layers")
            spec.layers = value;
        else if (key == "hidden")
            spec.hidden = value;
        else if (key == "heads")
            spec.heads = value;
        else if (key == "ffn")
            spec.ffn = value;
        else if (key == "sequence")
            spec.sequence = value;
        else if (key == "vocabulary")
            spec.vocab = value;
        else if (key == "head_dim")
            spec.headDim = value;
        else
            spec.kvHeads = value;
    }
    for (const ExpertKey &k : kExpertKeys) {
        const YAML::Node n = node[k.key];
        if (!n)
            continue;
        ParameterSpec range = count(k.max);
        range.min = k.min;
        const std::optional<double> v = r.value(n, path + "." + k.key, range);
        if (!v) {
            ok = false;
            continue;
        }
        spec.moe.*k.field = int(*v);
    }
    if (spec.moe.experts > 0 && (spec.moe.expertsPerToken == 0 || spec.moe.expertFfn == 0)) {
        r.error(node, path, "a mixture of experts needs experts_per_token and expert_ffn");
        ok = false;
    }
    const bool expertSettings = node["experts_per_token"] || node["expert_ffn"] ||
                                node["shared_expert_ffn"] || node["dense_layers"];
    if (!node["experts"] && expertSettings) {
        r.error(node, path, "expert settings without 'experts'");
        ok = false;
    }
    if (spec.moe.expertsPerToken > spec.moe.experts && spec.moe.experts > 0) {
        r.error(node["experts_per_token"], path + ".experts_per_token",
                "more experts per token than the " + std::to_string(spec.moe.experts) +
                    " experts");
        ok = false;
    }
    if (const YAML::Node n = node["qk_norm"]) {
        const std::optional<bool> v = r.boolean(n, path + ".qk_norm");
        ok = ok && v.has_value();
        spec.qkNorm = v.value_or(false);
    }
    spec.maxPositions = spec.sequence;
    if (const YAML::Node n = node["activation"]) {
        const auto v = r.string(n, path + ".activation");
        if (v && *v == "swiglu") {
            spec.activation = ActivationKind::SwiGLU;
        } else if (v && *v != "gelu") {
            r.error(n, path + ".activation", "expected gelu or swiglu, not '" + *v + "'");
            ok = false;
        }
    }
    if (const YAML::Node n = node["norm"]) {
        const auto v = r.string(n, path + ".norm");
        if (v && *v == "rmsnorm") {
            spec.norm = NormKind::RMSNorm;
            spec.positions = PositionKind::Rotary;
            spec.bias = false;
            spec.maxPositions = 0;
        } else if (v && *v != "layernorm") {
            r.error(n, path + ".norm", "expected layernorm or rmsnorm, not '" + *v + "'");
            ok = false;
        }
    }
    if (const YAML::Node n = node["tied_embeddings"]) {
        const std::optional<bool> v = r.boolean(n, path + ".tied_embeddings");
        ok = ok && v.has_value();
        spec.tiedHead = v.value_or(true);
    }
    if (!ok)
        return std::nullopt;
    return spec;
}

void emitTransformer(YAML::Emitter &out, const TransformerSpec &s)
{
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "layers" << YAML::Value << s.layers;
    out << YAML::Key << "hidden" << YAML::Value << s.hidden;
    out << YAML::Key << "heads" << YAML::Value << s.heads;
    out << YAML::Key << "ffn" << YAML::Value << s.ffn;
    out << YAML::Key << "sequence" << YAML::Value << s.sequence;
    out << YAML::Key << "vocabulary" << YAML::Value << s.vocab;
    if (s.kvHeads > 0)
        out << YAML::Key << "kv_heads" << YAML::Value << s.kvHeads;
    if (s.activation == ActivationKind::SwiGLU)
        out << YAML::Key << "activation" << YAML::Value << "swiglu";
    if (s.norm == NormKind::RMSNorm)
        out << YAML::Key << "norm" << YAML::Value << "rmsnorm";
    if (!s.tiedHead)
        out << YAML::Key << "tied_embeddings" << YAML::Value << false;
    if (s.headDim > 0)
        out << YAML::Key << "head_dim" << YAML::Value << s.headDim;
    if (s.qkNorm)
        out << YAML::Key << "qk_norm" << YAML::Value << true;
    if (s.hasExperts()) {
        out << YAML::Key << "experts" << YAML::Value << s.moe.experts;
        out << YAML::Key << "experts_per_token" << YAML::Value << s.moe.expertsPerToken;
        out << YAML::Key << "expert_ffn" << YAML::Value << s.moe.expertFfn;
        if (s.moe.sharedFfn > 0)
            out << YAML::Key << "shared_expert_ffn" << YAML::Value << s.moe.sharedFfn;
        if (s.moe.denseLayers > 0)
            out << YAML::Key << "dense_layers" << YAML::Value << s.moe.denseLayers;
    }
    out << YAML::EndMap;
}

} // namespace phaze
