#include "core/io/phazejson.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/textcheck.h"
#include "core/io/jsonpositions.h"
#include "core/io/jsontext.h"

namespace phaze {
namespace {

using Json = nlohmann::json;
using Step = std::variant<std::string, int>; // member key or array index

// Collects located errors; positions are found by scanning the (already parsed) text.
class Reader
{
public:
    Reader(const std::string &text, const std::string &file, Diagnostics &errors)
        : m_file(file), m_errors(errors), m_scan(text), m_lines(text)
    {
    }

    void error(const std::vector<Step> &path, std::string message)
    {
        if (m_errors.size() >= 50)
            return;
        // Paths and messages quote user text: keep them printable, whatever that text held.
        Diagnostic d{m_file, 0, 0, printable(pathText(path)), printable(message)};
        std::tie(d.line, d.column) = m_lines.at(locate(path));
        m_errors.push_back(std::move(d));
    }

    std::optional<double> number(const Json &object, std::vector<Step> path, const char *key,
                                 bool positive)
    {
        path.emplace_back(std::string(key));
        const auto it = object.find(key);
        if (it == object.end()) {
            path.pop_back();
            error(path, std::string("missing required field \"") + key + "\"");
            return std::nullopt;
        }
        if (!it->is_number()) {
            error(path, "must be a number, not " + std::string(it->type_name()));
            return std::nullopt;
        }
        const double v = it->get<double>();
        if (!std::isfinite(v) || v < 0.0 || (positive && v == 0.0)) {
            error(path, positive ? "must be positive" : "must be >= 0");
            return std::nullopt;
        }
        return v;
    }

    std::optional<int> integer(const Json &object, std::vector<Step> path, const char *key, int min,
                               bool required = true)
    {
        path.emplace_back(std::string(key));
        const auto it = object.find(key);
        if (it == object.end()) {
            path.pop_back();
            if (required)
                error(path, std::string("missing required field \"") + key + "\"");
            return std::nullopt;
        }
        if (!it->is_number_integer()) {
            error(path, "must be an integer, not " + std::string(it->type_name()));
            return std::nullopt;
        }
        const auto v = it->get<long long>();
        if (v < min || v > std::numeric_limits<int>::max()) {
            error(path, "must be an integer >= " + std::to_string(min));
            return std::nullopt;
        }
        return int(v);
    }

    std::optional<bool> boolean(const Json &object, std::vector<Step> path, const char *key)
    {
        path.emplace_back(std::string(key));
        const auto it = object.find(key);
        if (it == object.end()) {
            path.pop_back();
            error(path, std::string("missing required field \"") + key + "\"");
            return std::nullopt;
        }
        if (!it->is_boolean()) {
            error(path, "must be true or false, not " + std::string(it->type_name()));
            return std::nullopt;
        }
        return it->get<bool>();
    }

private:
    static std::string pathText(const std::vector<Step> &path)
    {
        std::string out;
        for (const Step &s : path) {
            if (const auto *k = std::get_if<std::string>(&s))
                out += (out.empty() ? "" : ".") + *k;
            else
                out += "[" + std::to_string(std::get<int>(s)) + "]";
        }
        return out;
    }

    std::size_t locate(const std::vector<Step> &path) const
    {
        std::size_t p = m_scan.skipSpace(0);
        for (const Step &s : path) {
            std::optional<std::size_t> next;
            if (const auto *k = std::get_if<std::string>(&s)) {
                m_scan.forEachMember(p, [&](std::string_view key, std::size_t, std::size_t v) {
                    if (key == *k)
                        next = v;
                    return true;
                });
            } else {
                m_scan.forEachElement(p, [&](int i, std::size_t v) {
                    if (i == std::get<int>(s))
                        next = v;
                    return i < std::get<int>(s);
                });
            }
            if (!next)
                break;
            p = *next;
        }
        return p;
    }

    std::string m_file;
    Diagnostics &m_errors;
    JsonScanner m_scan;
    LineTable m_lines;
};

std::optional<int> widthOf(const std::string &key)
{
    if (key.empty() || key.size() > 6 || key.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoi(key);
}

void readGraphs(Reader &r, const Json &root, PlacementInput &input)
{
    for (const char *section : {"nodes", "edges"}) {
        const auto it = root.find(section);
        if (it == root.end()) {
            r.error({}, std::string("missing required field \"") + section + "\"");
            continue;
        }
        if (!it->is_object()) {
            r.error({std::string(section)},
                    "must be an object keyed by tensor-parallel width (\"1\", \"2\", ...)");
            continue;
        }
        for (const auto &[key, list] : it->items()) {
            const std::vector<Step> at{std::string(section), key};
            const std::optional<int> width = widthOf(key);
            if (!width || *width < 1) {
                r.error(at, "key \"" + key + "\" is not a tensor-parallel width >= 1");
                continue;
            }
            if (!list.is_array()) {
                r.error(at, "must be an array");
                continue;
            }
            PlacementGraph *graph = nullptr;
            for (PlacementGraph &g : input.graphs) {
                if (g.tensorParallelWidth == *width)
                    graph = &g;
            }
            if (!graph) {
                input.graphs.push_back({*width, {}, {}});
                graph = &input.graphs.back();
            }
            for (int i = 0; i < int(list.size()); ++i) {
                const Json &e = list[std::size_t(i)];
                std::vector<Step> path = at;
                path.emplace_back(i);
                if (!e.is_object()) {
                    r.error(path, "must be an object");
                    continue;
                }
                if (std::string(section) == "nodes") {
                    const auto id = r.integer(e, path, "id", std::numeric_limits<int>::min());
                    const auto p = r.number(e, path, "parameterSize", false);
                    const auto a = r.number(e, path, "activationSize", false);
                    const auto f = r.number(e, path, "optimalLatencyFw", false);
                    const auto b = r.number(e, path, "optimalLatencyBw", false);
                    const auto tp = r.boolean(e, path, "isTensorParallelized");
                    if (id && p && a && f && b && tp)
                        graph->layers.push_back({*id, *p, *a, *f, *b, *tp});
                } else {
                    const int low = std::numeric_limits<int>::min();
                    const auto s = r.integer(e, path, "sourceId", low);
                    const auto d = r.integer(e, path, "destId", low);
                    const auto c = r.number(e, path, "communicationCost", false);
                    if (s && d && c)
                        graph->edges.push_back({*s, *d, *c});
                }
            }
        }
    }
}

} // namespace

std::optional<PlacementInput> readPhazeInput(const std::string &text, const std::string &file,
                                             Diagnostics &errors)
{
    Json root;
    if (std::optional<Diagnostic> d = parseJsonText(text, file, root)) {
        errors.push_back(*d);
        return std::nullopt;
    }
    Reader r(text, file, errors);
    if (!root.is_object()) {
        r.error({}, "a PHAZE placement input must be a JSON object");
        return std::nullopt;
    }
    const std::size_t before = errors.size();
    PlacementInput in;
    in.memoryPerDevice = r.number(root, {}, "maxMemoryPerDevice", true).value_or(0.0);
    in.devices = r.integer(root, {}, "maxDevices", 1).value_or(1);
    in.bandwidth = r.number(root, {}, "bandwidth", true).value_or(0.0);
    in.microbatches = r.integer(root, {}, "mbsInBatch", 1).value_or(1);
    in.recomputation = r.boolean(root, {}, "activationRecomputation").value_or(false);
    const auto opt = root.find("optimizerAlgorithm");
    if (opt == root.end())
        r.error({}, "missing required field \"optimizerAlgorithm\"");
    else if (!opt->is_string() || (*opt != "SGD" && *opt != "Adam"))
        r.error({std::string("optimizerAlgorithm")}, "must be \"SGD\" or \"Adam\"");
    else
        in.optimizer = *opt == "Adam" ? Optimizer::Adam : Optimizer::Sgd;
    // The baseline fields are required by PHAZE's program; here it is skipped without them.
    const auto pp = r.integer(root, {}, "fixedPP", 1, false);
    const auto tmpc = r.integer(root, {}, "fixedTMPC", 1, false);
    const auto dp = r.integer(root, {}, "fixedDP", 1, false);
    const auto blocks = r.integer(root, {}, "numTransformerLayers", 0, false);
    if (pp && tmpc && dp && blocks)
        in.fixed = FixedStrategy{*pp, *tmpc, *dp, *blocks};
    readGraphs(r, root, in);
    if (errors.size() > before)
        return std::nullopt;
    if (std::string why = validatePlacementInput(in); !why.empty()) {
        errors.push_back({file, 0, 0, "", why});
        return std::nullopt;
    }
    return in;
}

std::optional<PlacementInput> loadPhazeInput(const std::string &path, Diagnostics &errors)
{
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        errors.push_back({path, 0, 0, "", "cannot open for reading"});
        return std::nullopt;
    }
    std::ostringstream text;
    text << f.rdbuf();
    return readPhazeInput(text.str(), path, errors);
}

std::string writePhazeOutput(const Result<Placement> &result)
{
    nlohmann::ordered_json out;
    out["stages"] = nlohmann::ordered_json::array();
    out["dataParallelDegree"] = nullptr;
    out["tensorParallelDegree"] = nullptr;
    out["finalTimePerBatch"] = nullptr;
    out["fixedStrategyTimePerBatch"] = nullptr;
    if (result.hasValue()) {
        const Placement &p = *result.value;
        for (const PlacedStage &s : p.stages)
            out["stages"].push_back({{"nodes", s.layers}, {"devicesForStage", s.devices}});
        out["dataParallelDegree"] = p.dataParallel;
        out["tensorParallelDegree"] = p.tensorParallel;
        out["finalTimePerBatch"] = p.timePerBatch;
        if (p.fixed && p.fixed->feasible)
            out["fixedStrategyTimePerBatch"] = p.fixed->timePerBatch;
    }
    out["status"] = std::string(statusName(result.status));
    out["message"] = result.message;
    if (result.hasValue() && result.value->fixed && !result.value->fixed->feasible)
        out["fixedStrategyMessage"] = result.value->fixed->message;
    return dumpJson(out, 4) + "\n";
}

} // namespace phaze
