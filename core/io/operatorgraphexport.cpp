#include "core/io/operatorgraphjson.h"

// exportOperatorGraph: written as text line by line rather than through an nlohmann object, so
// that a large graph exports cheaply with one array element per line.

#include <set>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/jsontext.h"
#include "core/io/operatorgraphformat.h"

namespace phaze {
namespace {

using Json = nlohmann::json;

std::string jsonString(const std::string &s)
{
    // replace, not throw, should a name hold bytes that are not UTF-8
    return dumpJson(Json(s));
}

// One JSON object on one line, fields in the order written; far cheaper than building an
// nlohmann object per operator of a large graph.
class ObjectLine
{
public:
    ObjectLine &add(const char *key, const std::string &value)
    {
        return raw(key, jsonString(value));
    }
    ObjectLine &add(const char *key, std::string_view value)
    {
        return add(key, std::string(value));
    }
    ObjectLine &add(const char *key, std::int64_t value) { return raw(key, std::to_string(value)); }
    ObjectLine &add(const char *key, bool value) { return raw(key, value ? "true" : "false"); }
    std::string str() const { return "{" + m_text + "}"; }

private:
    ObjectLine &raw(const char *key, const std::string &value)
    {
        m_text += (m_text.empty() ? "\"" : ", \"") + std::string(key) + "\": " + value;
        return *this;
    }
    std::string m_text;
};

std::string uniqueName(std::string base, std::set<std::string> &taken)
{
    if (base.empty())
        base = "unnamed";
    std::string name = base;
    for (int i = 2; !taken.insert(name).second; ++i)
        name = base + "~" + std::to_string(i);
    return name;
}

void addPrimitive(ObjectLine &line, const PrimitiveOp &p)
{
    line.add("kind", opKindName(p.kind));
    if (isGemmKind(p.kind)) {
        line.add("batch", p.gemm.batch).add("m", p.gemm.m).add("k", p.gemm.k).add("n", p.gemm.n);
    } else {
        line.add("elements", p.elements);
    }
    if (operatorGraphTakesGroup(p.kind))
        line.add("group", std::int64_t(p.group));
    line.add("weight_bytes", p.weightBytes)
        .add("input_bytes", p.inputBytes)
        .add("output_bytes", p.outputBytes);
}

// One JSON array with an element per line, so that large graphs stay readable and diffable.
void appendArray(std::string &out, const char *key, const std::vector<std::string> &lines,
                 bool last)
{
    out += "  \"" + std::string(key) + "\": [";
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += (i == 0 ? "\n    " : ",\n    ") + lines[i];
    out += lines.empty() ? "]" : "\n  ]";
    out += last ? "\n" : ",\n";
}

std::string edgeLine(const std::string &from, const std::string &to)
{
    return "[" + jsonString(from) + ", " + jsonString(to) + "]";
}

} // namespace

std::string exportOperatorGraph(const ModelGraph &graph)
{
    std::set<std::string> layerNames, opIds;
    std::vector<std::string> layerIds, layerLines, opLines, edgeLines;
    std::vector<std::string> firstOp(graph.layers.size()), lastOp(graph.layers.size());
    for (const Layer &layer : graph.layers)
        layerIds.push_back(uniqueName(layer.name, layerNames));
    for (std::size_t l = 0; l < graph.layers.size(); ++l) {
        const Layer &layer = graph.layers[l];
        ObjectLine line;
        line.add("id", layerIds[l])
            .add("kind", layerKindName(layer.kind))
            .add("tensor_parallel", layer.tensorParallel);
        if (!layer.body) {
            layerLines.push_back(line.str());
            continue;
        }
        const LayerBody &body = *layer.body;
        line.add("parameters", body.sliceParameters())
            .add("replicated_parameters", body.replicatedParameters);
        if (body.tiedParameters != 0)
            line.add("tied_parameters", body.tiedParameters);
        line.add("activation_bytes", body.activationBytes);
        layerLines.push_back(line.str());

        // Each part of a fused operator becomes an operator of its own, chained in order.
        const OperatorDag &dag = body.forward;
        std::vector<std::vector<std::string>> partIds(dag.ops.size());
        for (std::size_t o = 0; o < dag.ops.size(); ++o) {
            const Operator &op = dag.ops[o];
            for (std::size_t p = 0; p < op.parts.size(); ++p) {
                const std::string name =
                    op.parts.size() == 1 ? op.name : op.name + "." + std::to_string(p);
                const std::string id = uniqueName(layerIds[l] + "/" + name, opIds);
                ObjectLine opLine;
                opLine.add("id", id).add("name", name).add("layer", layerIds[l]);
                addPrimitive(opLine, op.parts[p]);
                opLines.push_back(opLine.str());
                if (p > 0)
                    edgeLines.push_back(edgeLine(partIds[o].back(), id));
                partIds[o].push_back(id);
            }
        }
        for (const auto &[from, to] : dag.edges) {
            const auto &a = partIds[std::size_t(from)], &b = partIds[std::size_t(to)];
            if (!a.empty() && !b.empty())
                edgeLines.push_back(edgeLine(a.back(), b.front()));
        }
        if (!dag.ops.empty() && !partIds.front().empty() && !partIds.back().empty()) {
            firstOp[l] = partIds.front().front(); // ops are in topological order
            lastOp[l] = partIds.back().back();
        }
    }
    // A layer edge becomes one operator edge, from the layer's last operator to the target's
    // first, carrying the layer edge's bytes.
    for (const LayerEdge &e : graph.edges) {
        if (e.source < 0 || e.target < 0 || std::size_t(e.source) >= graph.layers.size() ||
            std::size_t(e.target) >= graph.layers.size())
            continue;
        const std::string &from = lastOp[std::size_t(e.source)];
        const std::string &to = firstOp[std::size_t(e.target)];
        if (!from.empty() && !to.empty())
            edgeLines.push_back(
                ObjectLine().add("from", from).add("to", to).add("bytes", e.bytes).str());
    }

    std::string out = "{\n";
    out += "  \"format\": " + jsonString(kOperatorGraphFormatName) + ",\n";
    out += "  \"version\": " + std::to_string(kOperatorGraphFormatVersion) + ",\n";
    out += "  \"name\": " + jsonString(graph.name) + ",\n";
    out += "  \"bytes_per_element\": " + std::to_string(graph.options.bytesPerElement) + ",\n";
    out += "  \"tensor_parallel\": " + std::to_string(graph.options.tensorParallel) + ",\n";
    appendArray(out, "layers", layerLines, false);
    appendArray(out, "operators", opLines, false);
    appendArray(out, "edges", edgeLines, true);
    out += "}\n";
    return out;
}

} // namespace phaze
