#include "core/io/scheduleinstancejson.h"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/base/textcheck.h"
#include "core/io/documenttext.h"
#include "core/io/jsonfieldreader.h"
#include "core/io/jsonpositions.h"
#include "core/io/jsontext.h"

namespace phaze {
namespace {

using Json = nlohmann::json;
constexpr int kMaxDiagnostics = 50;

// Finds where a path of this format points: a top-level field, an element of "ops" or
// "edges", a field of that element, an entry of an edge pair.
class Locator
{
public:
    explicit Locator(const std::string &text) : m_scan(text), m_lines(text) {}

    std::pair<int, int> at(const JsonPath &path) const
    {
        std::size_t p = m_scan.skipSpace(0);
        const std::string &top = path.top.empty() ? path.key : path.top;
        p = member(p, top).value_or(p);
        if (path.index >= 0)
            p = element(p, int(path.index)).value_or(p);
        if (!path.top.empty() && !path.key.empty())
            p = member(p, path.key).value_or(p);
        if (path.sub >= 0)
            p = element(p, path.sub).value_or(p);
        return m_lines.at(p);
    }

private:
    std::optional<std::size_t> member(std::size_t object, const std::string &key) const
    {
        std::optional<std::size_t> found;
        if (key.empty())
            return found;
        m_scan.forEachMember(object, [&](std::string_view k, std::size_t, std::size_t v) {
            if (k == key)
                found = v;
            return true;
        });
        return found;
    }
    std::optional<std::size_t> element(std::size_t array, int index) const
    {
        std::optional<std::size_t> found;
        m_scan.forEachElement(array, [&](int i, std::size_t q) {
            if (i == index)
                found = q;
            return i < index;
        });
        return found;
    }

    JsonScanner m_scan;
    LineTable m_lines;
};

class Reader
{
public:
    Reader(const std::string &text, std::string file) : m_locator(text), m_file(std::move(file)) {}

    void error(const JsonPath &path, std::string message)
    {
        if (int(m_errors.size()) >= kMaxDiagnostics)
            return;
        // Paths and messages quote user text: keep them printable, whatever that text held.
        Diagnostic d{m_file, 0, 0, printable(path.str()), printable(message)};
        std::tie(d.line, d.column) = m_locator.at(path);
        m_errors.push_back(std::move(d));
    }
    void unknownFields(const Json &object, const JsonPath &at,
                       const std::vector<std::string> &allowed)
    {
        for (const auto &[key, value] : object.items()) {
            if (key == "comment" || key.rfind("x_", 0) == 0 ||
                std::find(allowed.begin(), allowed.end(), key) != allowed.end())
                continue;
            const auto suggestion = closest(key, allowed);
            error(at.withKey(key), "unknown field " + inQuotes(key) +
                                       (suggestion ? "; did you mean " + inQuotes(*suggestion) + "?"
                                                   : "; allowed fields: " + joined(allowed)));
        }
    }
    std::optional<double> number(const Json &object, const JsonPath &at, const char *key,
                                 bool required)
    {
        const auto it = object.find(key);
        if (it == object.end()) {
            if (required)
                error(at.withKey(key), "missing required field " + inQuotes(key));
            return std::nullopt;
        }
        if (!it->is_number()) {
            error(at.withKey(key), "must be a number, not " + describe(*it));
            return std::nullopt;
        }
        const double v = it->get<double>();
        if (!std::isfinite(v) || v < 0.0) {
            error(at.withKey(key), "must be a finite, non-negative number, not " + dumpJson(*it));
            return std::nullopt;
        }
        return v;
    }
    // A latency: as number(), and 0 or within the range the scheduler supports.
    std::optional<double> latency(const Json &object, const JsonPath &at, const char *key,
                                  bool required)
    {
        const std::optional<double> v = number(object, at, key, required);
        if (v && *v != 0.0 && (*v < kMinScheduleLatency || *v > kMaxScheduleLatency)) {
            std::ostringstream out;
            out << "must be 0 or between " << kMinScheduleLatency << " and " << kMaxScheduleLatency
                << ", not " << dumpJson(object.at(key)) << " (use another time unit)";
            error(at.withKey(key), out.str());
            return std::nullopt;
        }
        return v;
    }
    std::optional<std::int64_t> integer(const Json &v, const JsonPath &path, std::int64_t min)
    {
        if (!v.is_number() || !std::isfinite(v.get<double>()) ||
            v.get<double>() != std::floor(v.get<double>())) {
            error(path, "must be an integer, not " + describe(v));
            return std::nullopt;
        }
        const double d = v.get<double>();
        if (d < double(min) || d > 9.0e15) {
            error(path, "must be between " + std::to_string(min) + " and 9e15, not " + dumpJson(v));
            return std::nullopt;
        }
        return std::int64_t(d);
    }
    Diagnostics take() { return std::move(m_errors); }

private:
    Locator m_locator;
    std::string m_file;
    Diagnostics m_errors;
};

void readOps(Reader &r, const Json &root, ScheduleInstance &out,
             std::map<std::int64_t, int> &indexOf)
{
    const auto ops = root.find("ops");
    if (ops == root.end() || !ops->is_array()) {
        r.error(JsonPath{"", -1, "ops", -1},
                ops == root.end() ? "missing required field \"ops\""
                                  : "must be an array of operators, not " + describe(*ops));
        return;
    }
    for (std::size_t k = 0; k < ops->size(); ++k) {
        const Json &o = (*ops)[k];
        const JsonPath at = elementPath("ops", std::int64_t(k));
        if (!o.is_object()) {
            r.error(at, "must be an object, not " + describe(o));
            continue;
        }
        r.unknownFields(o, at, {"id", "name", "kind", "latency", "intra_latency"});
        ScheduleOp op;
        std::optional<std::int64_t> id;
        if (const auto it = o.find("id"); it == o.end())
            r.error(at.withKey("id"), "missing required field \"id\"");
        else if ((id = r.integer(*it, at.withKey("id"), 0)) && indexOf.count(*id))
            r.error(at.withKey("id"), "id " + std::to_string(*id) + " is used twice");
        if (const auto it = o.find("name"); it != o.end() && it->is_string()) {
            op.name = it->get<std::string>();
            if (const std::string problem = textValueProblem(op.name); !problem.empty())
                r.error(at.withKey("name"), problem);
        }
        const auto kind = o.find("kind");
        std::optional<ScheduleOpKind> k2;
        if (kind == o.end())
            r.error(at.withKey("kind"), "missing required field \"kind\"");
        else if (!kind->is_string() || !(k2 = scheduleOpKindFromName(kind->get<std::string>())) ||
                 *k2 == ScheduleOpKind::None)
            r.error(at.withKey("kind"),
                    "must be \"TC\", \"VC\", \"TCVC\" or \"collective\", not " + describe(*kind));
        const bool collective = k2 && *k2 == ScheduleOpKind::Collective;
        const auto latency = r.latency(o, at, "latency", true);
        const auto intra = r.latency(o, at, "intra_latency", !collective);
        if (!id || indexOf.count(*id) || !k2 || *k2 == ScheduleOpKind::None || !latency ||
            (!collective && !intra))
            continue;
        op.kind = *k2;
        op.latency = *latency;
        op.intraLatency = collective ? *latency : *intra;
        indexOf[*id] = int(out.problem.ops.size());
        out.ids.push_back(*id);
        out.problem.ops.push_back(std::move(op));
    }
}

void readEdges(Reader &r, const Json &root, ScheduleInstance &out,
               const std::map<std::int64_t, int> &indexOf)
{
    const auto edges = root.find("edges");
    if (edges == root.end())
        return; // no edges: independent operators
    if (!edges->is_array()) {
        r.error(JsonPath{"", -1, "edges", -1}, "must be an array of [from, to] pairs");
        return;
    }
    for (std::size_t k = 0; k < edges->size(); ++k) {
        const Json &e = (*edges)[k];
        const JsonPath at = elementPath("edges", std::int64_t(k));
        if (!e.is_array() || e.size() != 2) {
            r.error(at, "must be a [from, to] pair of operator ids, not " + describe(e));
            continue;
        }
        int ends[2] = {-1, -1};
        for (int s = 0; s < 2; ++s) {
            JsonPath p = at;
            p.sub = s;
            const auto id = r.integer(e[std::size_t(s)], p, 0);
            if (!id)
                continue;
            const auto it = indexOf.find(*id);
            if (it == indexOf.end())
                r.error(p, "no operator has id " + std::to_string(*id));
            else
                ends[s] = it->second;
        }
        if (ends[0] >= 0 && ends[1] >= 0)
            out.problem.edges.emplace_back(ends[0], ends[1]);
    }
}

} // namespace

Result<ScheduleInstance> parseScheduleInstance(const std::string &text, const std::string &file)
{
    using R = Result<ScheduleInstance>;
    Json root;
    if (auto bad = parseJsonText(text, file, root))
        return R::error(Diagnostics{std::move(*bad)});
    Reader r(text, file);
    if (!root.is_object()) {
        r.error(JsonPath{}, "the instance must be a JSON object");
        return R::error(r.take());
    }
    r.unknownFields(root, JsonPath{},
                    {"num_tc", "num_vc", "ops", "edges", "expected_makespan", "name"});
    ScheduleInstance out;
    for (const auto &[key, target] :
         {std::pair{"num_tc", &out.problem.numTc}, std::pair{"num_vc", &out.problem.numVc}}) {
        const auto it = root.find(key);
        if (it == root.end())
            r.error(JsonPath{"", -1, key, -1},
                    std::string("missing required field \"") + key + "\"");
        else if (const auto v = r.integer(*it, JsonPath{"", -1, key, -1}, 1))
            *target = int(std::min<std::int64_t>(*v, 1 << 20));
    }
    out.expectedMakespan = r.number(root, JsonPath{}, "expected_makespan", false);
    std::map<std::int64_t, int> indexOf;
    readOps(r, root, out, indexOf);
    readEdges(r, root, out, indexOf);
    Diagnostics errors = r.take();
    if (errors.empty()) {
        // What is left for validate() (a cycle) concerns the edges; anything else was located.
        if (const std::string why = out.problem.validate(); !why.empty())
            errors.push_back(Diagnostic{file, 0, 0, "edges", why});
    }
    return R::checked(std::move(out), std::move(errors));
}

Result<ScheduleInstance> loadScheduleInstance(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Result<ScheduleInstance>::error(
            Diagnostics{Diagnostic{path, 0, 0, "", "cannot open the file"}});
    std::ostringstream text;
    text << in.rdbuf();
    return parseScheduleInstance(text.str(), path);
}

std::string scheduleInstanceJson(const ScheduleInstance &instance)
{
    Json root;
    root["num_tc"] = instance.problem.numTc;
    root["num_vc"] = instance.problem.numVc;
    Json ops = Json::array();
    for (std::size_t k = 0; k < instance.problem.ops.size(); ++k) {
        const ScheduleOp &op = instance.problem.ops[k];
        Json o;
        o["id"] = instance.ids[k];
        if (!op.name.empty())
            o["name"] = op.name;
        o["kind"] = std::string(scheduleOpKindName(op.kind));
        o["latency"] = op.latency;
        if (op.kind != ScheduleOpKind::Collective)
            o["intra_latency"] = op.intraLatency;
        ops.push_back(std::move(o));
    }
    root["ops"] = std::move(ops);
    Json edges = Json::array();
    for (const auto &[a, b] : instance.problem.edges)
        edges.push_back(Json::array({instance.ids[std::size_t(a)], instance.ids[std::size_t(b)]}));
    root["edges"] = std::move(edges);
    if (instance.expectedMakespan)
        root["expected_makespan"] = *instance.expectedMakespan;
    return dumpJson(root, 1);
}

std::string scheduleResultJson(const ScheduleInstance &instance,
                               const Result<ScheduleSolution> &result)
{
    Json root;
    root["status"] = std::string(statusName(result.status));
    root["makespan"] = nullptr;
    root["lower_bound"] = nullptr;
    root["gap"] = result.gap ? Json(*result.gap) : Json(nullptr);
    if (!result.message.empty())
        root["message"] = result.message;
    Json ops = Json::array();
    if (result.value) {
        const ScheduleSolution &s = *result.value;
        root["makespan"] = s.schedule.makespan;
        root["lower_bound"] = s.lowerBound;
        root["solve_seconds"] = s.solveSeconds;
        root["ilp_solves"] = s.ilpSolves;
        for (const ScheduledOp &op : s.schedule.ops) {
            Json o;
            o["id"] = instance.ids[std::size_t(op.op)];
            o["mode"] = std::string(opModeName(op.mode));
            o["start"] = op.start;
            o["end"] = op.end;
            o["tc_core"] = op.tcCore >= 0 ? Json(op.tcCore) : Json(nullptr);
            o["vc_core"] = op.vcCore >= 0 ? Json(op.vcCore) : Json(nullptr);
            ops.push_back(std::move(o));
        }
    }
    root["ops"] = std::move(ops);
    return dumpJson(root, 1);
}

} // namespace phaze
