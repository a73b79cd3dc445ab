#include "core/io/operatorgraphjson.h"

// This file is longer than most for one reason: every problem in a hand-written graph gets its
// own located, explained diagnostic. In order: text positions (nlohmann keeps none), small
// helpers, the importer (field readers, then passes over header, layers, operators, edges,
// sizes, cycles and layer order, then the build), and the export.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <queue>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace phaze {
namespace {

using Json = nlohmann::json;
constexpr std::size_t kNpos = std::string::npos;
constexpr const char *kFormatName = "phaze-operator-graph";
constexpr int kFormatVersion = 1;
constexpr std::int64_t kMaxGroup = std::int64_t(1) << 20;
constexpr const char *kBytesLimit = "1e18 bytes";
constexpr const char *kElementsLimit = "2^53";

// ---- Positions in the text --------------------------------------------------------------------
// nlohmann/json does not record where values sit, so diagnostics find them with a light scan of
// the text, which has already parsed: the members of the top-level object and the elements of
// its three big arrays are indexed once; a key inside one element is looked up on demand, so
// locating stays cheap however many errors a large file has.

struct Path {
    std::string top;         // top-level member ("operators"); empty for top-level fields
    std::int64_t index = -1; // element of that array
    std::string key;         // field of that element (or a top-level field when top is empty)
    int sub = -1;            // element of the field's array (edges in array form)

    Path withKey(std::string k) const
    {
        Path p = *this;
        p.key = std::move(k);
        return p;
    }
    Path withSub(int s) const
    {
        Path p = *this;
        p.sub = s;
        return p;
    }
    std::string str() const
    {
        std::string out = top;
        if (index >= 0)
            out += '[' + std::to_string(index) + ']';
        if (!key.empty())
            out += (out.empty() ? "" : ".") + key;
        if (sub >= 0)
            out += '[' + std::to_string(sub) + ']';
        return out;
    }
};

Path elementPath(std::string top, std::int64_t index)
{
    Path p;
    p.top = std::move(top);
    p.index = index;
    return p;
}

class JsonScanner
{
public:
    explicit JsonScanner(const std::string &text) : m_text(text) {}

    std::size_t skipSpace(std::size_t p) const
    {
        while (p < m_text.size()) {
            const char c = m_text[p];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                ++p;
            else if (c == '/' && p + 1 < m_text.size() && m_text[p + 1] == '/')
                p = std::min(m_text.find('\n', p), m_text.size());
            else if (c == '/' && p + 1 < m_text.size() && m_text[p + 1] == '*')
                p = std::min(m_text.find("*/", p + 2), m_text.size() - 2) + 2;
            else
                break;
        }
        return p;
    }

    // Iterative so that deeply nested input cannot exhaust the stack.
    std::size_t skipValue(std::size_t p) const
    {
        if (p >= m_text.size())
            return p;
        if (m_text[p] == '"')
            return skipString(p);
        if (m_text[p] != '{' && m_text[p] != '[') {
            while (p < m_text.size() && std::string_view(",]} \t\r\n/").find(m_text[p]) == kNpos)
                ++p;
            return p;
        }
        int depth = 0;
        while (p < m_text.size()) {
            const char c = m_text[p];
            if (c == '"') {
                p = skipString(p);
                continue;
            }
            if (c == '/') {
                const std::size_t q = skipSpace(p);
                if (q != p) {
                    p = q;
                    continue;
                }
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return p + 1;
            }
            ++p;
        }
        return p;
    }

    // f(rawKey, keyOffset, valueOffset) returns false to stop.
    void
    forEachMember(std::size_t p,
                  const std::function<bool(std::string_view, std::size_t, std::size_t)> &f) const
    {
        p = skipSpace(p);
        if (!at(p, '{'))
            return;
        p = skipSpace(p + 1);
        while (at(p, '"')) {
            const std::size_t keyEnd = skipString(p);
            const std::string_view key(m_text.data() + p + 1, keyEnd - p - 2);
            std::size_t value = skipSpace(keyEnd);
            if (at(value, ':'))
                value = skipSpace(value + 1);
            if (!f(key, p, value))
                return;
            p = skipSpace(skipValue(value));
            if (!at(p, ','))
                return;
            p = skipSpace(p + 1);
        }
    }

    // f(index, offset) returns false to stop.
    void forEachElement(std::size_t p, const std::function<bool(int, std::size_t)> &f) const
    {
        p = skipSpace(p);
        if (!at(p, '['))
            return;
        p = skipSpace(p + 1);
        for (int i = 0; p < m_text.size() && !at(p, ']'); ++i) {
            if (!f(i, p))
                return;
            p = skipSpace(skipValue(p));
            if (!at(p, ','))
                return;
            p = skipSpace(p + 1);
        }
    }

private:
    std::size_t skipString(std::size_t p) const
    {
        for (++p; p < m_text.size(); ++p) {
            if (m_text[p] == '\\')
                ++p;
            else if (m_text[p] == '"')
                return p + 1;
        }
        return m_text.size();
    }
    bool at(std::size_t p, char c) const { return p < m_text.size() && m_text[p] == c; }

    const std::string &m_text;
};

// 1-based line and column of a byte offset; columns count characters, not UTF-8 bytes.
class LineTable
{
public:
    explicit LineTable(const std::string &text) : m_text(text) {}

    std::pair<int, int> at(std::size_t offset) const
    {
        if (m_starts.empty()) { // built on the first error only
            m_starts.push_back(0);
            for (std::size_t i = 0; i < m_text.size(); ++i) {
                if (m_text[i] == '\n')
                    m_starts.push_back(i + 1);
            }
        }
        offset = std::min(offset, m_text.size());
        const auto line = std::upper_bound(m_starts.begin(), m_starts.end(), offset) - 1;
        int column = 1;
        for (std::size_t i = *line; i < offset; ++i)
            column += (static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80;
        return {int(line - m_starts.begin()) + 1, column};
    }

private:
    const std::string &m_text;
    mutable std::vector<std::size_t> m_starts;
};

class PositionIndex
{
public:
    explicit PositionIndex(const std::string &text) : m_scan(text), m_lines(text)
    {
        m_root = m_scan.skipSpace(0);
        // nlohmann keeps the last of duplicate keys; so does this index.
        m_scan.forEachMember(m_root, [this](std::string_view key, std::size_t, std::size_t v) {
            m_top[std::string(key)] = v;
            return true;
        });
        for (const char *name : {"layers", "operators", "edges"}) {
            const auto it = m_top.find(name);
            if (it == m_top.end())
                continue;
            std::vector<std::size_t> &offsets = m_elements[name];
            m_scan.forEachElement(it->second, [&offsets](int, std::size_t p) {
                offsets.push_back(p);
                return true;
            });
        }
    }

    std::size_t locate(const Path &path) const
    {
        std::size_t p = m_root;
        const std::string &topKey = path.top.empty() ? path.key : path.top;
        if (topKey.empty())
            return p;
        const auto it = m_top.find(topKey);
        if (it == m_top.end())
            return p;
        p = it->second;
        if (path.index >= 0) {
            const auto elements = m_elements.find(path.top);
            if (elements == m_elements.end() || path.index >= std::int64_t(elements->second.size()))
                return p;
            p = elements->second[std::size_t(path.index)];
        }
        if (!path.top.empty() && !path.key.empty())
            p = member(p, path.key).value_or(p);
        if (path.sub >= 0) {
            m_scan.forEachElement(p, [&](int i, std::size_t q) {
                if (i == path.sub)
                    p = q;
                return i < path.sub;
            });
        }
        return p;
    }

    // Keys that occur more than once in the object at the path (offsets of the repeats).
    std::vector<std::pair<std::string, std::size_t>> duplicateKeys(const Path &object) const
    {
        std::vector<std::pair<std::string, std::size_t>> out;
        std::set<std::string_view> seen;
        m_scan.forEachMember(locate(object), [&](std::string_view key, std::size_t k, std::size_t) {
            if (!seen.insert(key).second)
                out.emplace_back(std::string(key), k);
            return true;
        });
        return out;
    }

    std::pair<int, int> lineColumn(std::size_t offset) const { return m_lines.at(offset); }

private:
    std::optional<std::size_t> member(std::size_t object, std::string_view key) const
    {
        std::optional<std::size_t> found;
        m_scan.forEachMember(object, [&](std::string_view k, std::size_t, std::size_t v) {
            if (k == key)
                found = v; // the last one, as nlohmann keeps
            return true;
        });
        return found;
    }

    JsonScanner m_scan;
    std::size_t m_root = 0;
    std::map<std::string, std::size_t, std::less<>> m_top;
    std::map<std::string, std::vector<std::size_t>, std::less<>> m_elements;
    LineTable m_lines;
};

// ---- Small helpers ----------------------------------------------------------------------------

int editDistance(std::string_view a, std::string_view b)
{
    std::vector<int> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const int next =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = row[j];
            row[j] = next;
        }
    }
    return row[b.size()];
}

// The candidate nearest to word, if near enough to be a likely typo.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string> &options)
{
    std::optional<std::string> best;
    int bestDistance = std::max(2, int(word.size()) / 3) + 1;
    for (const std::string &option : options) {
        const int d = editDistance(word, option);
        if (d < bestDistance) {
            bestDistance = d;
            best = option;
        }
    }
    return best;
}

std::string joined(const std::vector<std::string> &words)
{
    std::string out;
    for (const std::string &w : words)
        out += (out.empty() ? "" : ", ") + w;
    return out;
}

std::string inQuotes(std::string_view s)
{
    return '"' + std::string(s) + '"';
}

std::string describe(const Json &v)
{
    std::string text = v.dump();
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    switch (v.type()) {
    case Json::value_t::string:
        return "a string (" + text + ")";
    case Json::value_t::boolean:
        return "a boolean (" + text + ")";
    case Json::value_t::null:
        return "null";
    case Json::value_t::object:
        return "an object";
    case Json::value_t::array:
        return "an array";
    default:
        return text;
    }
}

// Operator kinds a file may use: every forward kind (embedding_grad exists only in backward DAGs).
const std::vector<std::string> &operatorKindNames()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (int k = 0; k <= int(OpKind::TpIdentity); ++k) {
            if (OpKind(k) != OpKind::EmbeddingGrad)
                out.emplace_back(opKindName(OpKind(k)));
        }
        return out;
    }();
    return names;
}

const std::vector<LayerKind> kLayerKinds = {LayerKind::Embedding, LayerKind::TransformerBlock,
                                            LayerKind::Head, LayerKind::Custom};

bool takesGroup(OpKind kind)
{
    return kind == OpKind::AllReduce || kind == OpKind::TpIdentity;
}

// Collectives move data rather than produce activations, and no-ops alias their input.
bool keepsActivation(OpKind kind)
{
    return !isNoOpKind(kind) && kind != OpKind::AllReduce;
}

// Kahn's algorithm, taking the lowest-numbered ready node first so that the order follows the
// file wherever the graph allows. Returns the order; on a cycle, a cycle (first node repeated
// at the end) in `cycle` and a partial order.
std::vector<int> stableTopologicalOrder(int n, const std::vector<std::pair<int, int>> &edges,
                                        std::vector<int> *cycle)
{
    const auto size = static_cast<std::size_t>(n);
    std::vector<std::vector<int>> successors(size), predecessors(size);
    std::vector<int> indegree(std::size_t(n), 0);
    for (const auto &[from, to] : edges) {
        successors[std::size_t(from)].push_back(to);
        predecessors[std::size_t(to)].push_back(from);
        ++indegree[std::size_t(to)];
    }
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (int i = 0; i < n; ++i) {
        if (indegree[std::size_t(i)] == 0)
            ready.push(i);
    }
    std::vector<int> order;
    while (!ready.empty()) {
        const int node = ready.top();
        ready.pop();
        order.push_back(node);
        for (int next : successors[std::size_t(node)]) {
            if (--indegree[std::size_t(next)] == 0)
                ready.push(next);
        }
    }
    if (int(order.size()) == n || !cycle)
        return order;
    // Every node left has a predecessor that is also left: walking back must close a cycle.
    int node = 0;
    while (indegree[std::size_t(node)] == 0)
        ++node;
    std::vector<int> visitedAt(std::size_t(n), -1), walk;
    while (visitedAt[std::size_t(node)] < 0) {
        visitedAt[std::size_t(node)] = int(walk.size());
        walk.push_back(node);
        for (int p : predecessors[std::size_t(node)]) {
            if (indegree[std::size_t(p)] > 0) {
                node = p;
                break;
            }
        }
    }
    cycle->assign(walk.begin() + visitedAt[std::size_t(node)], walk.end());
    std::reverse(cycle->begin(), cycle->end());
    // Start the cycle at its first node in file order, so the message does not depend on
    // where the walk happened to enter it.
    std::rotate(cycle->begin(), std::min_element(cycle->begin(), cycle->end()), cycle->end());
    cycle->push_back(cycle->front());
    return order;
}

std::string cycleText(const std::vector<int> &cycle, const std::function<std::string(int)> &name)
{
    std::string out;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
        if (i == 8 && cycle.size() > 10) {
            out += " -> ... (" + std::to_string(cycle.size() - 9) + " more)";
            i = cycle.size() - 1;
        }
        out += (i == 0 ? "" : " -> ") + inQuotes(name(cycle[i]));
    }
    return out;
}

// Where a parse error is. nlohmann counts bytes from 1 and, for an unexpected token, points at
// the token's last character; users expect its first.
std::size_t parseErrorOffset(const std::string &text, std::size_t byte, const std::string &what)
{
    std::size_t p = std::min(byte > 0 ? byte - 1 : 0, text.size());
    if (p >= text.size() || what.find("unexpected") == kNpos)
        return p;
    if (what.find("unexpected string literal") != kNpos && text[p] == '"') {
        while (p > 0) { // back to the opening quote, skipping escaped quotes
            --p;
            std::size_t backslashes = 0;
            while (p >= backslashes + 1 && text[p - backslashes - 1] == '\\')
                ++backslashes;
            if (text[p] == '"' && backslashes % 2 == 0)
                break;
        }
    } else if (what.find(" literal") != kNpos) {
        while (p > 0 && (std::isalnum(static_cast<unsigned char>(text[p - 1])) ||
                         std::string_view("+-.").find(text[p - 1]) != kNpos))
            --p;
    }
    return p;
}

// ---- Import -----------------------------------------------------------------------------------

struct IntField {
    bool present = false;
    bool valid = true;
    std::int64_t value = 0;
};

struct LayerIn {
    std::string id;
    LayerKind kind = LayerKind::Custom;
    bool tensorParallel = false;
    IntField parameters, replicated, tied, activation;
    bool valid = true;
    int references = 0;                     // operators naming this layer, valid or not
    std::vector<int> ops;                   // valid operators, in file order
    std::vector<std::pair<int, int>> edges; // local indices into ops
    std::map<std::pair<int, int>, std::int64_t> edgeIndex; // local edge -> edges[i]
    // resolved sizes
    std::int64_t parameterCount = 0, parameterBytes = 0, activationBytes = 0;
};

struct OpIn {
    std::string id;
    std::string name;
    int layer = -1;
    int local = -1; // index in its layer's ops
    PrimitiveOp prim;
    bool valid = false;
};

struct CrossEdge {
    int from = 0;
    int to = 0;
    std::int64_t bytes = 0;
    std::int64_t index = 0;
};

class Importer
{
public:
    Importer(const std::string &text, std::string file, bool fusion,
             const OperatorGraphLimits &limits)
        : m_text(text), m_file(std::move(file)), m_fusion(fusion), m_limits(limits)
    {
    }

    GraphImport run();

private:
    void error(const Path &path, std::string message);
    void checkObject(const Json &object, const Path &at, const std::vector<std::string> &allowed);
    IntField readInteger(const Json &object, const Path &at, const char *key, bool required,
                         std::int64_t min, std::int64_t max, const char *limitText);
    IntField readInteger(const Json &value, const Path &path, std::int64_t min, std::int64_t max,
                         const char *limitText);
    std::optional<std::string> readString(const Json &object, const Path &at, const char *key,
                                          bool required);
    std::optional<bool> readBool(const Json &object, const Path &at, const char *key);
    const Json *readArray(const char *key, bool required, std::int64_t limit, const char *what);

    bool parseHeader(); // false when this is not an operator-graph file at all
    void parseLayer(const Json &v, std::int64_t i);
    void parseOperator(const Json &v, std::int64_t i);
    void parseEdge(const Json &v, std::int64_t i);
    std::optional<std::int64_t> defaultBytes(const Path &at, const char *key, long double bytes);
    void resolveLayers();
    void checkOperatorCycles();
    void orderLayers();
    ModelGraph build() const;

    const std::string &m_text;
    std::string m_file;
    bool m_fusion = true;
    OperatorGraphLimits m_limits;
    std::optional<PositionIndex> m_positions;
    Json m_json;
    Diagnostics m_errors;
    std::int64_t m_suppressed = 0;

    std::string m_name;
    int m_bytesPerElement = 2;
    int m_tensorParallel = 1;
    std::vector<LayerIn> m_layers;
    std::unordered_map<std::string, int> m_layerIndex;
    std::vector<OpIn> m_ops;
    std::unordered_map<std::string, int> m_opIndex;
    std::vector<CrossEdge> m_cross;
    std::vector<int> m_layerOrder;
    std::map<std::pair<int, int>, std::int64_t> m_layerEdgeBytes; // file layer indices
};

void Importer::error(const Path &path, std::string message)
{
    if (int(m_errors.size()) >= m_limits.maxDiagnostics) {
        ++m_suppressed;
        return;
    }
    Diagnostic d;
    d.file = m_file;
    d.path = path.str();
    d.message = std::move(message);
    if (m_positions) {
        std::tie(d.line, d.column) = m_positions->lineColumn(m_positions->locate(path));
    }
    m_errors.push_back(std::move(d));
}

// Unknown fields are errors (a misspelt optional field would otherwise be silently ignored),
// except "comment" and extension fields starting with "x_".
void Importer::checkObject(const Json &object, const Path &at,
                           const std::vector<std::string> &allowed)
{
    if (m_positions) {
        for (const auto &[key, offset] : m_positions->duplicateKeys(at))
            error(at.withKey(key),
                  "duplicate field " + inQuotes(key) + " (only the last one counts)");
    }
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

IntField Importer::readInteger(const Json &object, const Path &at, const char *key, bool required,
                               std::int64_t min, std::int64_t max, const char *limitText)
{
    const auto it = object.find(key);
    if (it != object.end())
        return readInteger(*it, at.withKey(key), min, max, limitText);
    if (required)
        error(at.withKey(key), "missing required field " + inQuotes(key));
    return IntField{false, !required, 0};
}

// Integral floats (4096.0, 1e6) are accepted: some exporters write every number as a double.
IntField Importer::readInteger(const Json &v, const Path &path, std::int64_t min, std::int64_t max,
                               const char *limitText)
{
    if (!v.is_number()) {
        error(path, "must be an integer, not " + describe(v));
        return IntField{true, false, 0};
    }
    const long double value =
        v.is_number_unsigned()  ? static_cast<long double>(v.get<std::uint64_t>())
        : v.is_number_integer() ? static_cast<long double>(v.get<std::int64_t>())
                                : static_cast<long double>(v.get<double>());
    std::string problem;
    if (!std::isfinite(value))
        problem = "must be a finite number";
    else if (value != std::floor(value))
        problem = "must be an integer, not " + v.dump();
    else if (value < static_cast<long double>(min) && value == 0 && min == 1)
        problem = "must be positive, not 0";
    else if (value < static_cast<long double>(min) && value < 0)
        problem = "must not be negative, not " + v.dump();
    else if (value < static_cast<long double>(min))
        problem = "must be at least " + std::to_string(min) + ", not " + v.dump();
    else if (value > static_cast<long double>(max))
        problem = "is too large: " + v.dump() + " exceeds the limit of " + limitText;
    if (!problem.empty()) {
        error(path, problem);
        return IntField{true, false, 0};
    }
    return IntField{true, true, static_cast<std::int64_t>(value)};
}

std::optional<std::string> Importer::readString(const Json &object, const Path &at, const char *key,
                                                bool required)
{
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required)
            error(at.withKey(key), "missing required field " + inQuotes(key));
        return std::nullopt;
    }
    if (!it->is_string()) {
        error(at.withKey(key), "must be a string, not " + describe(*it));
        return std::nullopt;
    }
    std::string s = it->get<std::string>();
    if (s.empty()) {
        error(at.withKey(key), "must not be empty");
        return std::nullopt;
    }
    return s;
}

std::optional<bool> Importer::readBool(const Json &object, const Path &at, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (!it->is_boolean()) {
        error(at.withKey(key), "must be true or false, not " + describe(*it));
        return std::nullopt;
    }
    return it->get<bool>();
}

const Json *Importer::readArray(const char *key, bool required, std::int64_t limit,
                                const char *what)
{
    const Path path = Path{}.withKey(key);
    const auto it = m_json.find(key);
    if (it == m_json.end()) {
        if (required)
            error(path, "missing required field " + inQuotes(key));
        return nullptr;
    }
    if (!it->is_array()) {
        error(path, "must be an array, not " + describe(*it));
        return nullptr;
    }
    if (required && it->empty()) {
        error(path, std::string("the graph is empty: it needs at least one ") + what);
        return nullptr;
    }
    if (std::int64_t(it->size()) > limit) {
        error(path, "too many " + std::string(what) + "s: " + std::to_string(it->size()) +
                        " (the limit is " + std::to_string(limit) + ")");
        return nullptr;
    }
    return &*it;
}

bool Importer::parseHeader()
{
    const Path root;
    // Another kind of file (a PHAZE placement input, a project) would otherwise drown the one
    // useful message in a list of unknown fields.
    const auto format = readString(m_json, root, "format", true);
    if (format && *format != kFormatName)
        error(root.withKey("format"),
              "expected " + inQuotes(kFormatName) + ", not " + inQuotes(*format));
    if (!format || *format != kFormatName)
        return false;
    checkObject(m_json, root,
                {"format", "version", "name", "bytes_per_element", "tensor_parallel", "layers",
                 "operators", "edges"});
    if (const IntField version = readInteger(m_json, root, "version", true, 1, 1'000'000, "1e6");
        version.present && version.valid && version.value != kFormatVersion)
        error(root.withKey("version"), "unsupported version " + std::to_string(version.value) +
                                           " (this build reads version " +
                                           std::to_string(kFormatVersion) + ")");
    if (const auto name = readString(m_json, root, "name", false))
        m_name = *name;
    else if (!m_file.empty())
        m_name = std::filesystem::path(m_file).stem().string();
    if (m_name.empty())
        m_name = "imported";
    if (const IntField bpe = readInteger(m_json, root, "bytes_per_element", false, 1, 64, "64");
        bpe.present && bpe.valid)
        m_bytesPerElement = int(bpe.value);
    if (const IntField t = readInteger(m_json, root, "tensor_parallel", false, 1, 65536, "65536");
        t.present && t.valid)
        m_tensorParallel = int(t.value);
    return true;
}

void Importer::parseLayer(const Json &v, std::int64_t i)
{
    const Path at = elementPath("layers", i);
    LayerIn layer;
    layer.valid = false;
    if (!v.is_object()) {
        error(at, "must be an object, not " + describe(v));
        m_layers.push_back(std::move(layer));
        return;
    }
    checkObject(v, at,
                {"id", "kind", "tensor_parallel", "parameters", "replicated_parameters",
                 "tied_parameters", "activation_bytes"});
    layer.valid = true;
    if (const auto id = readString(v, at, "id", true)) {
        const auto [it, inserted] = m_layerIndex.emplace(*id, int(m_layers.size()));
        if (inserted)
            layer.id = *id;
        else
            error(at.withKey("id"), "duplicate layer id " + inQuotes(*id) +
                                        " (first defined at layers[" + std::to_string(it->second) +
                                        "])");
        layer.valid = inserted;
    } else {
        layer.valid = false;
    }
    if (const auto kind = readString(v, at, "kind", false)) {
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
            error(at.withKey("kind"),
                  "unknown layer kind " + inQuotes(*kind) + "; valid kinds: " + joined(names));
            layer.valid = false;
        }
    }
    layer.tensorParallel = readBool(v, at, "tensor_parallel").value_or(false);
    const std::int64_t maxCount = kOperatorGraphMaxElements;
    layer.parameters = readInteger(v, at, "parameters", false, 0, maxCount, kElementsLimit);
    layer.replicated =
        readInteger(v, at, "replicated_parameters", false, 0, maxCount, kElementsLimit);
    layer.tied = readInteger(v, at, "tied_parameters", false, 0, maxCount, kElementsLimit);
    layer.activation =
        readInteger(v, at, "activation_bytes", false, 0, kOperatorGraphMaxBytes, kBytesLimit);
    for (const IntField *f : {&layer.parameters, &layer.replicated, &layer.tied, &layer.activation})
        layer.valid = layer.valid && f->valid;
    m_layers.push_back(std::move(layer));
}

std::optional<std::int64_t> Importer::defaultBytes(const Path &at, const char *key,
                                                   long double bytes)
{
    if (bytes <= static_cast<long double>(kOperatorGraphMaxBytes))
        return static_cast<std::int64_t>(bytes);
    std::ostringstream out;
    out << "the default " << key << " (" << static_cast<double>(bytes)
        << " bytes, from the shape) exceeds the limit of " << kBytesLimit;
    error(at, out.str());
    return std::nullopt;
}

void Importer::parseOperator(const Json &v, std::int64_t i)
{
    const Path at = elementPath("operators", i);
    OpIn op;
    const int index = int(m_ops.size());
    if (!v.is_object()) {
        error(at, "must be an object, not " + describe(v));
        m_ops.push_back(std::move(op));
        return;
    }
    checkObject(v, at,
                {"id", "name", "layer", "kind", "m", "k", "n", "batch", "elements", "weight_bytes",
                 "input_bytes", "output_bytes", "group"});
    bool valid = true;
    if (const auto id = readString(v, at, "id", true)) {
        const auto [it, inserted] = m_opIndex.emplace(*id, index);
        if (!inserted)
            error(at.withKey("id"), "duplicate operator id " + inQuotes(*id) +
                                        " (first defined at operators[" +
                                        std::to_string(it->second) + "])");
        valid = inserted;
        op.id = *id;
    } else {
        valid = false;
    }
    op.name = readString(v, at, "name", false).value_or(op.id);
    if (const auto layer = readString(v, at, "layer", true)) {
        const auto it = m_layerIndex.find(*layer);
        if (it != m_layerIndex.end()) {
            op.layer = it->second;
            ++m_layers[std::size_t(op.layer)].references;
        } else {
            std::string message = "unknown layer " + inQuotes(*layer);
            if (m_layers.size() <= 1000) { // suggestions cost a comparison per layer
                std::vector<std::string> ids;
                for (const LayerIn &l : m_layers) {
                    if (!l.id.empty())
                        ids.push_back(l.id);
                }
                if (const auto s = closest(*layer, ids))
                    message += "; did you mean " + inQuotes(*s) + "?";
            }
            error(at.withKey("layer"), message + " (layers are declared in \"layers\")");
            valid = false;
        }
    } else {
        valid = false;
    }
    const auto kindName = readString(v, at, "kind", true);
    std::optional<OpKind> kind = kindName ? opKindFromName(*kindName) : std::nullopt;
    if (kindName && (!kind || *kind == OpKind::EmbeddingGrad)) {
        const auto s = closest(*kindName, operatorKindNames());
        error(at.withKey("kind"), "unknown operator kind " + inQuotes(*kindName) +
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
            error(at.withKey(key), std::string("does not apply to ") + kindText +
                                       " operators (m, k, n and batch describe GEMM kinds)");
            valid = false;
        }
    }
    if (gemm && v.contains("elements")) {
        error(at.withKey("elements"),
              std::string("does not apply to GEMM kind ") + kindText + " (give m, k, n and batch)");
        valid = false;
    }
    if (!takesGroup(*kind) && v.contains("group")) {
        error(at.withKey("group"), "applies only to all_reduce and tp_identity operators");
        valid = false;
    }

    const std::int64_t maxE = kOperatorGraphMaxElements;
    const long double bpe = m_bytesPerElement;
    long double in = 0, out = 0, weight = 0;
    if (gemm) {
        const IntField m = readInteger(v, at, "m", true, 1, maxE, kElementsLimit);
        const IntField k = readInteger(v, at, "k", true, 1, maxE, kElementsLimit);
        const IntField n = readInteger(v, at, "n", true, 1, maxE, kElementsLimit);
        const IntField b = readInteger(v, at, "batch", false, 1, maxE, kElementsLimit);
        valid = valid && m.valid && k.valid && n.valid && b.valid;
        prim.gemm = {b.present ? b.value : 1, m.value, k.value, n.value};
        const long double bb = prim.gemm.batch, mm = prim.gemm.m, kk = prim.gemm.k,
                          nn = prim.gemm.n;
        // Matrix sizes bound what later stages multiply out in 64-bit integers.
        if (std::max({bb * mm * kk, bb * kk * nn, bb * mm * nn}) >
            static_cast<long double>(kOperatorGraphMaxElements)) {
            error(at, "the GEMM is too large: batch x m x k, batch x k x n and batch x m x n "
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
        const IntField e =
            readInteger(v, at, "elements", needed, needed ? 1 : 0, maxE, kElementsLimit);
        valid = valid && e.valid;
        prim.elements = e.value;
        out = static_cast<long double>(e.value) * bpe;
        in = out * (*kind == OpKind::Add || *kind == OpKind::Mul ? 2 : 1);
    }
    const IntField group = readInteger(v, at, "group", false, 1, kMaxGroup, "2^20");
    valid = valid && group.valid;
    prim.group = group.present ? int(group.value) : m_tensorParallel;

    const std::pair<const char *, long double> sizes[] = {
        {"weight_bytes", weight}, {"input_bytes", in}, {"output_bytes", out}};
    std::int64_t *targets[] = {&prim.weightBytes, &prim.inputBytes, &prim.outputBytes};
    for (int s = 0; s < 3; ++s) {
        const IntField f =
            readInteger(v, at, sizes[s].first, false, 0, kOperatorGraphMaxBytes, kBytesLimit);
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

void Importer::parseEdge(const Json &v, std::int64_t i)
{
    const Path at = elementPath("edges", i);
    Path fromPath, toPath;
    const Json *from = nullptr, *to = nullptr;
    IntField bytes;
    if (v.is_array()) {
        if (v.size() != 2 && v.size() != 3) {
            error(at, "an edge array must be [from, to] or [from, to, bytes], not " +
                          std::to_string(v.size()) + " elements");
            return;
        }
        from = &v[0];
        to = &v[1];
        fromPath = at.withSub(0);
        toPath = at.withSub(1);
        if (v.size() == 3)
            bytes = readInteger(v[2], at.withSub(2), 0, kOperatorGraphMaxBytes, kBytesLimit);
    } else if (v.is_object()) {
        checkObject(v, at, {"from", "to", "bytes"});
        for (const char *key : {"from", "to"}) {
            if (!v.contains(key))
                error(at.withKey(key), "missing required field " + inQuotes(key));
        }
        from = v.contains("from") ? &v["from"] : nullptr;
        to = v.contains("to") ? &v["to"] : nullptr;
        fromPath = at.withKey("from");
        toPath = at.withKey("to");
        bytes = readInteger(v, at, "bytes", false, 0, kOperatorGraphMaxBytes, kBytesLimit);
    } else {
        error(at, "an edge must be [from, to] or {\"from\": ..., \"to\": ...}, not " + describe(v));
        return;
    }
    int ends[2] = {-1, -1};
    const std::pair<const Json *, const Path *> sides[2] = {{from, &fromPath}, {to, &toPath}};
    for (int s = 0; s < 2; ++s) {
        const auto &[value, path] = sides[s];
        if (!value)
            continue;
        if (!value->is_string()) {
            error(*path, "must be an operator id (a string), not " + describe(*value));
            continue;
        }
        const std::string id = value->get<std::string>();
        const auto it = m_opIndex.find(id);
        if (it == m_opIndex.end())
            error(*path, "unknown operator " + inQuotes(id));
        else
            ends[s] = it->second;
    }
    if (ends[0] < 0 || ends[1] < 0 || !bytes.valid)
        return;
    if (ends[0] == ends[1]) {
        error(at,
              "self-loop: operator " + inQuotes(m_ops[std::size_t(ends[0])].id) + " feeds itself");
        return;
    }
    const OpIn &a = m_ops[std::size_t(ends[0])];
    const OpIn &b = m_ops[std::size_t(ends[1])];
    if (!a.valid || !b.valid)
        return; // already reported
    if (a.layer == b.layer) {
        LayerIn &layer = m_layers[std::size_t(a.layer)];
        layer.edges.emplace_back(a.local, b.local);
        layer.edgeIndex.emplace(std::pair{a.local, b.local}, i);
    } else {
        m_cross.push_back({ends[0], ends[1], bytes.present ? bytes.value : a.prim.outputBytes, i});
    }
}

void Importer::resolveLayers()
{
    const std::int64_t bpe = m_bytesPerElement;
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        LayerIn &layer = m_layers[l];
        const Path at = elementPath("layers", std::int64_t(l));
        if (layer.valid && layer.references == 0)
            error(at, "layer " + inQuotes(layer.id) + " has no operators");
        std::int64_t weight = 0, activation = 0;
        bool overflow = false;
        for (int o : layer.ops) {
            const PrimitiveOp &p = m_ops[std::size_t(o)].prim;
            weight += p.weightBytes; // each term <= 1e18, so a sum capped at 1e18 cannot overflow
            activation += keepsActivation(p.kind) ? p.outputBytes : 0;
            overflow =
                overflow || weight > kOperatorGraphMaxBytes || activation > kOperatorGraphMaxBytes;
            weight = std::min(weight, kOperatorGraphMaxBytes);
            activation = std::min(activation, kOperatorGraphMaxBytes);
        }
        if (!layer.valid)
            continue;
        if (overflow && (!layer.parameters.present || !layer.activation.present)) {
            error(at, "the operators' weight or output bytes add up to more than " +
                          std::string(kBytesLimit) + "; give parameters and activation_bytes");
            continue;
        }
        const std::int64_t tied = layer.tied.value;
        layer.parameterCount = layer.parameters.present
                                   ? layer.parameters.value
                                   : std::max<std::int64_t>(0, weight / bpe - tied);
        layer.activationBytes = layer.activation.present ? layer.activation.value : activation;
        if (layer.replicated.value > layer.parameterCount)
            error(at.withKey("replicated_parameters"),
                  "replicated_parameters (" + std::to_string(layer.replicated.value) +
                      ") exceeds the layer's parameters (" + std::to_string(layer.parameterCount) +
                      ")");
        const long double bytes = static_cast<long double>(layer.parameterCount + tied) * bpe;
        if (bytes > static_cast<long double>(kOperatorGraphMaxBytes))
            error(at.withKey("parameters"),
                  "the parameter bytes exceed the limit of " + std::string(kBytesLimit));
        layer.parameterBytes = (layer.parameterCount + tied) * bpe;
    }
}

void Importer::checkOperatorCycles()
{
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        LayerIn &layer = m_layers[l];
        std::vector<int> cycle;
        stableTopologicalOrder(int(layer.ops.size()), layer.edges, &cycle);
        if (cycle.empty())
            continue;
        const auto name = [&](int local) {
            return m_ops[std::size_t(layer.ops[std::size_t(local)])].id;
        };
        const std::int64_t edge = layer.edgeIndex.at({cycle[0], cycle[1]});
        error(elementPath("edges", edge), "operators form a cycle in layer " + inQuotes(layer.id) +
                                              ": " + cycleText(cycle, name));
    }
}

void Importer::orderLayers()
{
    std::map<std::pair<int, int>, std::int64_t> firstEdge;     // layer pair -> an edges[i] on it
    std::vector<std::tuple<int, int, int, std::int64_t>> sent; // layers, producer, bytes
    for (const CrossEdge &e : m_cross) {
        const int a = m_ops[std::size_t(e.from)].layer, b = m_ops[std::size_t(e.to)].layer;
        firstEdge.emplace(std::pair{a, b}, e.index);
        sent.emplace_back(a, b, e.from, e.bytes);
    }
    std::vector<std::pair<int, int>> pairs;
    for (const auto &[pair, unused] : firstEdge)
        pairs.push_back(pair);
    std::vector<int> cycle;
    m_layerOrder = stableTopologicalOrder(int(m_layers.size()), pairs, &cycle);
    if (!cycle.empty()) {
        const std::int64_t edge = firstEdge.at({cycle[0], cycle[1]});
        const CrossEdge &e = *std::find_if(m_cross.begin(), m_cross.end(),
                                           [edge](const CrossEdge &c) { return c.index == edge; });
        error(elementPath("edges", edge),
              "layers form a cycle: " +
                  cycleText(cycle, [this](int l) { return m_layers[std::size_t(l)].id; }) +
                  " (this edge, " + inQuotes(m_ops[std::size_t(e.from)].id) + " -> " +
                  inQuotes(m_ops[std::size_t(e.to)].id) +
                  ", is on it); a layer must come after every layer it receives from");
    }
    // A tensor goes to a layer once, however many of its operators read it: per producer and
    // target layer count the largest edge, then sum over the producers.
    std::sort(sent.begin(), sent.end());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const auto &[a, b, producer, bytes] = sent[i];
        if (i + 1 < sent.size() && std::get<0>(sent[i + 1]) == a && std::get<1>(sent[i + 1]) == b &&
            std::get<2>(sent[i + 1]) == producer)
            continue; // sorted by bytes last: the last of a run is the largest
        std::int64_t &total = m_layerEdgeBytes[{a, b}];
        total += bytes;
        if (total > kOperatorGraphMaxBytes) {
            error(elementPath("edges", firstEdge.at({a, b})),
                  "the bytes sent from layer " + inQuotes(m_layers[std::size_t(a)].id) +
                      " to layer " + inQuotes(m_layers[std::size_t(b)].id) +
                      " exceed the limit of " + kBytesLimit);
            total = 0;
        }
    }
}

ModelGraph Importer::build() const
{
    ModelGraph graph;
    graph.name = m_name;
    graph.options.microbatch = 1;
    graph.options.sequence = 0;
    graph.options.tensorParallel = m_tensorParallel;
    graph.options.fusion = m_fusion;
    graph.options.bytesPerElement = m_bytesPerElement;
    std::vector<int> position(m_layers.size());
    for (std::size_t i = 0; i < m_layerOrder.size(); ++i)
        position[std::size_t(m_layerOrder[i])] = int(i);
    for (int l : m_layerOrder) {
        const LayerIn &in = m_layers[std::size_t(l)];
        OperatorDag dag;
        const std::vector<int> order =
            stableTopologicalOrder(int(in.ops.size()), in.edges, nullptr);
        std::vector<int> at(in.ops.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            const OpIn &op = m_ops[std::size_t(in.ops[std::size_t(order[i])])];
            dag.ops.push_back(Operator{op.name, {op.prim}});
            at[std::size_t(order[i])] = int(i);
        }
        for (const auto &[from, to] : in.edges)
            dag.edges.emplace_back(at[std::size_t(from)], at[std::size_t(to)]);
        std::sort(dag.edges.begin(), dag.edges.end());
        dag.edges.erase(std::unique(dag.edges.begin(), dag.edges.end()), dag.edges.end());

        auto body = std::make_shared<LayerBody>();
        body->unfusedOperatorCount = int(dag.ops.size());
        body->forward = m_fusion ? fuseOperators(dag) : std::move(dag);
        body->replicatedParameters = in.replicated.value;
        body->shardedParameters = in.parameterCount - in.replicated.value;
        body->tiedParameters = in.tied.value;
        body->parameterBytes = in.parameterBytes;
        body->activationBytes = in.activationBytes;
        body->flopsForward = body->forward.flops();
        body->flopsBackward = backwardDag(body->forward).flops();

        Layer layer;
        layer.id = int(graph.layers.size());
        layer.externalId = layer.id;
        layer.name = in.id;
        layer.kind = in.kind;
        layer.tensorParallel = in.tensorParallel;
        layer.body = std::move(body);
        graph.transformerBlocks += in.kind == LayerKind::TransformerBlock ? 1 : 0;
        graph.layers.push_back(std::move(layer));
    }
    for (const auto &[pair, bytes] : m_layerEdgeBytes)
        graph.edges.push_back(
            {position[std::size_t(pair.first)], position[std::size_t(pair.second)], bytes});
    std::sort(graph.edges.begin(), graph.edges.end(), [](const LayerEdge &a, const LayerEdge &b) {
        return std::pair{a.source, a.target} < std::pair{b.source, b.target};
    });
    shareIdenticalBodies(graph);
    return graph;
}

GraphImport Importer::run()
{
    GraphImport result;
    try {
        m_json = Json::parse(m_text, nullptr, true, /*ignore_comments=*/true);
    } catch (const Json::parse_error &e) {
        Diagnostic d{m_file, 0, 0, "", ""};
        const std::string what = e.what();
        std::tie(d.line, d.column) = LineTable(m_text).at(parseErrorOffset(m_text, e.byte, what));
        const std::size_t colon = what.find(": ");
        d.message = "malformed JSON: " + (colon == kNpos ? what : what.substr(colon + 2));
        result.errors.push_back(std::move(d));
        return result;
    } catch (const Json::exception &e) {
        // e.g. a number too large for a double: find the literal to point at it
        Diagnostic d{m_file, 0, 0, "", std::string("malformed JSON: ") + e.what()};
        const std::string what = e.what();
        const std::size_t quote = what.find('\'');
        if (quote != kNpos && what.back() == '\'') {
            const std::size_t at = m_text.find(what.substr(quote + 1, what.size() - quote - 2));
            if (at != kNpos)
                std::tie(d.line, d.column) = LineTable(m_text).at(at);
            d.message = "malformed JSON: number out of range: " + what.substr(quote);
        }
        result.errors.push_back(std::move(d));
        return result;
    }
    m_positions.emplace(m_text);
    if (!m_json.is_object()) {
        error(Path{}, "the top level must be a JSON object with \"format\": \"" +
                          std::string(kFormatName) + "\", not " + describe(m_json));
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
            OpIn &op = m_ops[o];
            if (op.valid) {
                LayerIn &layer = m_layers[std::size_t(op.layer)];
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
    if (m_suppressed > 0) {
        m_errors.push_back({m_file, 0, 0, "",
                            "... and " + std::to_string(m_suppressed) + " more errors not shown"});
    }
    if (m_errors.empty())
        result.graph = build();
    result.errors = std::move(m_errors);
    return result;
}

// ---- Export ----------------------------------------------------------------------------------

std::string jsonString(const std::string &s)
{
    // replace, not throw, should a name hold bytes that are not UTF-8
    return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
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
    if (takesGroup(p.kind))
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
    out += "  \"format\": " + jsonString(kFormatName) + ",\n";
    out += "  \"version\": " + std::to_string(kFormatVersion) + ",\n";
    out += "  \"name\": " + jsonString(graph.name) + ",\n";
    out += "  \"bytes_per_element\": " + std::to_string(graph.options.bytesPerElement) + ",\n";
    out += "  \"tensor_parallel\": " + std::to_string(graph.options.tensorParallel) + ",\n";
    appendArray(out, "layers", layerLines, false);
    appendArray(out, "operators", opLines, false);
    appendArray(out, "edges", edgeLines, true);
    out += "}\n";
    return out;
}

GraphImport importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                bool fusion, const OperatorGraphLimits &limits)
{
    return Importer(jsonText, fileName, fusion, limits).run();
}

GraphImport importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                bool fusion)
{
    return importOperatorGraph(jsonText, fileName, fusion, OperatorGraphLimits{});
}

GraphImport importOperatorGraphFile(const std::string &path, bool fusion)
{
    GraphImport result;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && std::int64_t(size) > kOperatorGraphMaxFileBytes) {
        result.errors.push_back(
            {path, 0, 0, "",
             "the file is too large (" + std::to_string(size) + " bytes; the limit is 1 GiB)"});
        return result;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path, ec)) {
        result.errors.push_back({path, 0, 0, "", "cannot open the file for reading"});
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        result.errors.push_back({path, 0, 0, "", "error while reading the file"});
        return result;
    }
    return importOperatorGraph(text.str(), path, fusion);
}

} // namespace phaze
