#include "core/io/operatorgraphparser.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "core/io/operatorgraphformat.h"

namespace phaze {
namespace {

using Json = nlohmann::json;

// Operator kinds a file may use: every forward kind (embedding_grad exists only in backward DAGs).
const std::vector<std::string> &operatorKindNames()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        // The expert all-to-all is built by the transformer builder only: a file has no
        // expert-parallel group to give it.
        for (int k = 0; k <= int(OpKind::TpIdentity); ++k) {
            if (OpKind(k) != OpKind::EmbeddingGrad && OpKind(k) != OpKind::AllToAll)
                out.emplace_back(opKindName(OpKind(k)));
        }
        return out;
    }();
    return names;
}

const std::vector<LayerKind> kLayerKinds = {LayerKind::Embedding, LayerKind::TransformerBlock,
                                            LayerKind::Head, LayerKind::Custom};

} // namespace

Result<ModelGraph> OperatorGraphParser::run()
{
    if (auto malformed = parseJsonText(m_text, m_file, m_json))
        return Result<ModelGraph>::error(Diagnostics{std::move(*malformed)});
    m_fields.indexPositions(m_text);
    if (!m_json.is_object()) {
        m_fields.error(JsonPath{}, "the top level must be a JSON object with \"format\": \"" +
                                       std::string(kOperatorGraphFormatName) + "\", not " +
                                       describe(m_json));
    } else if (parseHeader()) {
        if (const Json *layers = readArray("layers", true, m_limits.maxLayers, "layer")) {
            for (std::size_t i = 0; i < layers->size(); ++i)
                parseLayer((*layers)[i], std::int64_t(i));
        }
        if (const Json *ops = readArray("operators", true, m_limits.maxOperators, "operator")) {
            for (std::size_t i = 0; i < ops->size(); ++i)
                parseOperator((*ops)[i], std::int64_t(i));
        }
        for (std::size_t o = 0; o < m_ops.size(); ++o) {
            GraphOperatorIn &op = m_ops[o];
            if (op.valid) {
                GraphLayerIn &layer = m_layers[std::size_t(op.layer)];
                op.local = int(layer.ops.size());
                layer.ops.push_back(int(o));
            }
        }
        if (const Json *edges = readArray("edges", false, m_limits.maxEdges, "edge")) {
            for (std::size_t i = 0; i < edges->size(); ++i)
                parseEdge((*edges)[i], std::int64_t(i));
        }
        resolveLayers();
        checkOperatorCycles();
        orderLayers();
    }
    Diagnostics errors = m_fields.takeErrors();
    if (!errors.empty())
        return Result<ModelGraph>::error(std::move(errors));
    return Result<ModelGraph>::optimal(build());
}

const Json *OperatorGraphParser::readArray(const char *key, bool required, std::int64_t limit,
                                           const char *what)
{
    const JsonPath path = JsonPath{}.withKey(key);
    const auto it = m_json.find(key);
    if (it == m_json.end()) {
        if (required)
            m_fields.error(path, "missing required field " + inQuotes(key));
        return nullptr;
    }
    if (!it->is_array()) {
        m_fields.error(path, "must be an array, not " + describe(*it));
        return nullptr;
    }
    if (required && it->empty()) {
        m_fields.error(path, std::string("the graph is empty: it needs at least one ") + what);
        return nullptr;
    }
    if (std::int64_t(it->size()) > limit) {
        m_fields.error(path, "too many " + std::string(what) + "s: " + std::to_string(it->size()) +
                                 " (the limit is " + std::to_string(limit) + ")");
        return nullptr;
    }
    return &*it;
}

bool OperatorGraphParser::parseHeader()
{
    const JsonPath root;
    // Another kind of file (a PHAZE placement input, a project) would otherwise drown the one
    // useful message in a list of unknown fields.
    const auto format = m_fields.readString(m_json, root, "format", true);
    if (format && *format != kOperatorGraphFormatName)
        m_fields.error(root.withKey("format"), "expected " + inQuotes(kOperatorGraphFormatName) +
                                                   ", not " + inQuotes(*format));
    if (!format || *format != kOperatorGraphFormatName)
        return false;
    m_fields.checkObject(m_json, root,
                         {"format", "version", "name", "bytes_per_element", "tensor_parallel",
                          "layers", "operators", "edges"});
    if (const IntField version =
            m_fields.readInteger(m_json, root, "version", true, 1, 1'000'000, "1e6");
        version.present && version.valid && version.value != kOperatorGraphFormatVersion)
        m_fields.error(root.withKey("version"),
                       "unsupported version " + std::to_string(version.value) +
                           " (this build reads version " +
                           std::to_string(kOperatorGraphFormatVersion) + ")");
    if (const auto name = m_fields.readString(m_json, root, "name", false))
        m_name = *name;
    else if (!m_file.empty())
        m_name = std::filesystem::path(m_file).stem().string();
    if (m_name.empty())
        m_name = "imported";
    if (const IntField bpe =
            m_fields.readInteger(m_json, root, "bytes_per_element", false, 1, 64, "64");
        bpe.present && bpe.valid)
        m_bytesPerElement = int(bpe.value);
    if (const IntField t =
            m_fields.readInteger(m_json, root, "tensor_parallel", false, 1, 65536, "65536");
        t.present && t.valid)
        m_tensorParallel = int(t.value);
    return true;
}

void OperatorGraphParser::parseLayer(const Json &v, std::int64_t i)
{
    const JsonPath at = elementPath("layers", i);
    GraphLayerIn layer;
    layer.valid = false;
    if (!v.is_object()) {
        m_fields.error(at, "must be an object, not " + describe(v));
        m_layers.push_back(std::move(layer));
        return;
    }
    m_fields.checkObject(v, at,
                         {"id", "kind", "tensor_parallel", "parameters", "replicated_parameters",
                          "tied_parameters", "activation_bytes"});
    layer.valid = true;
    if (const auto id = m_fields.readString(v, at, "id", true)) {
        const auto [it, inserted] = m_layerIndex.emplace(*id, int(m_layers.size()));
        if (inserted)
            layer.id = *id;
        else
            m_fields.error(at.withKey("id"), "duplicate layer id " + inQuotes(*id) +
                                                 " (first defined at layers[" +
                                                 std::to_string(it->second) + "])");
        layer.valid = inserted;
    } else {
        layer.valid = false;
    }
    if (const auto kind = m_fields.readString(v, at, "kind", false)) {
        std::vector<std::string> names;
        bool found = false;
        for (LayerKind k : kLayerKinds) {
            names.emplace_back(layerKindName(k));
            if (*kind == names.back()) {
                layer.kind = k;
                found = true;
            }
        }
        if (!found) {
            m_fields.error(at.withKey("kind"), "unknown layer kind " + inQuotes(*kind) +
                                                   "; valid kinds: " + joined(names));
            layer.valid = false;
        }
    }
    layer.tensorParallel = m_fields.readBool(v, at, "tensor_parallel").value_or(false);
    const std::int64_t maxCount = kOperatorGraphMaxElements;
    layer.parameters = m_fields.readInteger(v, at, "parameters", false, 0, maxCount,
                                            kOperatorGraphElementsLimitText);
    layer.replicated = m_fields.readInteger(v, at, "replicated_parameters", false, 0, maxCount,
                                            kOperatorGraphElementsLimitText);
    layer.tied = m_fields.readInteger(v, at, "tied_parameters", false, 0, maxCount,
                                      kOperatorGraphElementsLimitText);
    layer.activation = m_fields.readInteger(v, at, "activation_bytes", false, 0,
                                            kOperatorGraphMaxBytes, kOperatorGraphBytesLimitText);
    for (const IntField *f : {&layer.parameters, &layer.replicated, &layer.tied, &layer.activation})
        layer.valid = layer.valid && f->valid;
    m_layers.push_back(std::move(layer));
}

std::optional<std::int64_t> OperatorGraphParser::defaultBytes(const JsonPath &at, const char *key,
                                                              long double bytes)
{
    if (bytes <= static_cast<long double>(kOperatorGraphMaxBytes))
        return static_cast<std::int64_t>(bytes);
    std::ostringstream out;
    out << "the default " << key << " (" << static_cast<double>(bytes)
        << " bytes, from the shape) exceeds the limit of " << kOperatorGraphBytesLimitText;
    m_fields.error(at, out.str());
    return std::nullopt;
}

void OperatorGraphParser::parseOperator(const Json &v, std::int64_t i)
{
    const JsonPath at = elementPath("operators", i);
    GraphOperatorIn op;
    const int index = int(m_ops.size());
    if (!v.is_object()) {
        m_fields.error(at, "must be an object, not " + describe(v));
        m_ops.push_back(std::move(op));
        return;
    }
    m_fields.checkObject(v, at,
                         {"id", "name", "layer", "kind", "m", "k", "n", "batch", "elements",
                          "weight_bytes", "input_bytes", "output_bytes", "group"});
    bool valid = true;
    if (const auto id = m_fields.readString(v, at, "id", true)) {
        const auto [it, inserted] = m_opIndex.emplace(*id, index);
        if (!inserted)
            m_fields.error(at.withKey("id"), "duplicate operator id " + inQuotes(*id) +
                                                 " (first defined at operators[" +
                                                 std::to_string(it->second) + "])");
        valid = inserted;
        op.id = *id;
    } else {
        valid = false;
    }
    op.name = m_fields.readString(v, at, "name", false).value_or(op.id);
    if (const auto layer = m_fields.readString(v, at, "layer", true)) {
        const auto it = m_layerIndex.find(*layer);
        if (it != m_layerIndex.end()) {
            op.layer = it->second;
            ++m_layers[std::size_t(op.layer)].references;
        } else {
            std::string message = "unknown layer " + inQuotes(*layer);
            // Suggestions cost a comparison per layer: none for large files, nor once the
            // message would be dropped (a million such operators would otherwise take minutes).
            if (m_layers.size() <= 1000 && !m_fields.full()) {
                std::vector<std::string> ids;
                for (const GraphLayerIn &l : m_layers) {
                    if (!l.id.empty())
                        ids.push_back(l.id);
                }
                if (const auto s = closest(*layer, ids))
                    message += "; did you mean " + inQuotes(*s) + "?";
            }
            m_fields.error(at.withKey("layer"), message + " (layers are declared in \"layers\")");
            valid = false;
        }
    } else {
        valid = false;
    }
    const auto kindName = m_fields.readString(v, at, "kind", true);
    std::optional<OpKind> kind = kindName ? opKindFromName(*kindName) : std::nullopt;
    if (kindName && (!kind || *kind == OpKind::EmbeddingGrad)) {
        const auto s = closest(*kindName, operatorKindNames());
        m_fields.error(at.withKey("kind"),
                       "unknown operator kind " + inQuotes(*kindName) +
                           (s ? "; did you mean " + inQuotes(*s) + "?"
                              : "; valid kinds: " + joined(operatorKindNames())));
        kind.reset();
    }
    if (!kind) {
        m_ops.push_back(std::move(op));
        return;
    }

    PrimitiveOp &prim = op.prim;
    prim.kind = *kind;
    const bool gemm = isGemmKind(*kind);
    const char *kindText = kindName->c_str();
    for (const char *key : {"m", "k", "n", "batch"}) {
        if (!gemm && v.contains(key)) {
            m_fields.error(at.withKey(key),
                           std::string("does not apply to ") + kindText +
                               " operators (m, k, n and batch describe GEMM kinds)");
            valid = false;
        }
    }
    if (gemm && v.contains("elements")) {
        m_fields.error(at.withKey("elements"), std::string("does not apply to GEMM kind ") +
                                                   kindText + " (give m, k, n and batch)");
        valid = false;
    }
    if (!operatorGraphTakesGroup(*kind) && v.contains("group")) {
        m_fields.error(at.withKey("group"), "applies only to all_reduce and tp_identity operators");
        valid = false;
    }

    const std::int64_t maxE = kOperatorGraphMaxElements;
    const long double bpe = m_bytesPerElement;
    long double in = 0, out = 0, weight = 0;
    if (gemm) {
        const IntField m =
            m_fields.readInteger(v, at, "m", true, 1, maxE, kOperatorGraphElementsLimitText);
        const IntField k =
            m_fields.readInteger(v, at, "k", true, 1, maxE, kOperatorGraphElementsLimitText);
        const IntField n =
            m_fields.readInteger(v, at, "n", true, 1, maxE, kOperatorGraphElementsLimitText);
        const IntField b =
            m_fields.readInteger(v, at, "batch", false, 1, maxE, kOperatorGraphElementsLimitText);
        valid = valid && m.valid && k.valid && n.valid && b.valid;
        prim.gemm = {b.present ? b.value : 1, m.value, k.value, n.value};
        const long double bb = prim.gemm.batch, mm = prim.gemm.m, kk = prim.gemm.k,
                          nn = prim.gemm.n;
        // Matrix sizes bound what later stages multiply out in 64-bit integers.
        if (std::max({bb * mm * kk, bb * kk * nn, bb * mm * nn}) >
            static_cast<long double>(kOperatorGraphMaxElements)) {
            m_fields.error(at,
                           "the GEMM is too large: batch x m x k, batch x k x n and batch x m x n "
                           "must each be at most 2^53 elements");
            valid = false;
        }
        out = bb * mm * nn * bpe;
        if (*kind == OpKind::Linear) {
            in = bb * mm * kk * bpe;
            weight = kk * nn * bpe;
        } else {
            in = bb * (mm * kk + kk * nn) * bpe; // both operands are activations
        }
    } else {
        const bool needed = !isNoOpKind(*kind);
        const IntField e = m_fields.readInteger(v, at, "elements", needed, needed ? 1 : 0, maxE,
                                                kOperatorGraphElementsLimitText);
        valid = valid && e.valid;
        prim.elements = e.value;
        out = static_cast<long double>(e.value) * bpe;
        in = out * (*kind == OpKind::Add || *kind == OpKind::Mul ? 2 : 1);
    }
    const IntField group =
        m_fields.readInteger(v, at, "group", false, 1, kOperatorGraphMaxGroup, "2^20");
    valid = valid && group.valid;
    prim.group = group.present ? int(group.value) : m_tensorParallel;

    const std::pair<const char *, long double> sizes[] = {
        {"weight_bytes", weight}, {"input_bytes", in}, {"output_bytes", out}};
    std::int64_t *targets[] = {&prim.weightBytes, &prim.inputBytes, &prim.outputBytes};
    for (int s = 0; s < 3; ++s) {
        const IntField f = m_fields.readInteger(
            v, at, sizes[s].first, false, 0, kOperatorGraphMaxBytes, kOperatorGraphBytesLimitText);
        valid = valid && f.valid;
        if (f.present) {
            *targets[s] = f.value;
        } else if (valid) {
            const auto d = defaultBytes(at, sizes[s].first, sizes[s].second);
            valid = d.has_value();
            *targets[s] = d.value_or(0);
        }
    }
    op.valid = valid;
    m_ops.push_back(std::move(op));
}

void OperatorGraphParser::parseEdge(const Json &v, std::int64_t i)
{
    const JsonPath at = elementPath("edges", i);
    JsonPath fromPath, toPath;
    const Json *from = nullptr, *to = nullptr;
    IntField bytes;
    if (v.is_array()) {
        if (v.size() != 2 && v.size() != 3) {
            m_fields.error(at, "an edge array must be [from, to] or [from, to, bytes], not " +
                                   std::to_string(v.size()) + " elements");
            return;
        }
        from = &v[0];
        to = &v[1];
        fromPath = at.withSub(0);
        toPath = at.withSub(1);
        if (v.size() == 3)
            bytes = m_fields.readInteger(v[2], at.withSub(2), 0, kOperatorGraphMaxBytes,
                                         kOperatorGraphBytesLimitText);
    } else if (v.is_object()) {
        m_fields.checkObject(v, at, {"from", "to", "bytes"});
        for (const char *key : {"from", "to"}) {
            if (!v.contains(key))
                m_fields.error(at.withKey(key), "missing required field " + inQuotes(key));
        }
        from = v.contains("from") ? &v["from"] : nullptr;
        to = v.contains("to") ? &v["to"] : nullptr;
        fromPath = at.withKey("from");
        toPath = at.withKey("to");
        bytes = m_fields.readInteger(v, at, "bytes", false, 0, kOperatorGraphMaxBytes,
                                     kOperatorGraphBytesLimitText);
    } else {
        m_fields.error(at, "an edge must be [from, to] or {\"from\": ..., \"to\": ...}, not " +
                               describe(v));
        return;
    }
    int ends[2] = {-1, -1};
    const std::pair<const Json *, const JsonPath *> sides[2] = {{from, &fromPath}, {to, &toPath}};
    for (int s = 0; s < 2; ++s) {
        const auto &[value, path] = sides[s];
        if (!value)
            continue;
        if (!value->is_string()) {
            m_fields.error(*path, "must be an operator id (a string), not " + describe(*value));
            continue;
        }
        const std::string id = value->get<std::string>();
        const auto it = m_opIndex.find(id);
        if (it == m_opIndex.end())
            m_fields.error(*path, "unknown operator " + inQuotes(id));
        else
            ends[s] = it->second;
    }
    if (ends[0] < 0 || ends[1] < 0 || !bytes.valid)
        return;
    if (ends[0] == ends[1]) {
        m_fields.error(at, "self-loop: operator " + inQuotes(m_ops[std::size_t(ends[0])].id) +
                               " feeds itself");
        return;
    }
    const GraphOperatorIn &a = m_ops[std::size_t(ends[0])];
    const GraphOperatorIn &b = m_ops[std::size_t(ends[1])];
    if (!a.valid || !b.valid)
        return; // already reported
    if (a.layer == b.layer) {
        GraphLayerIn &layer = m_layers[std::size_t(a.layer)];
        layer.edges.emplace_back(a.local, b.local);
        layer.edgeIndex.emplace(std::pair{a.local, b.local}, i);
    } else {
        m_cross.push_back({ends[0], ends[1], bytes.present ? bytes.value : a.prim.outputBytes, i});
    }
}

} // namespace phaze
