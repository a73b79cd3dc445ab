#include "core/io/jsonfieldreader.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/arch/parameterregistry.h" // editDistance
#include "core/base/textcheck.h"
#include "core/io/documenttext.h"
#include "core/io/jsontext.h"

namespace phaze {
namespace {

using Json = nlohmann::json;

} // namespace

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
    return '"' + printable(s) + '"';
}

std::string describe(const Json &v)
{
    std::string text = dumpJson(v);
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

void JsonFieldReader::error(const JsonPath &path, std::string message)
{
    report(path, std::nullopt, std::move(message));
}

void JsonFieldReader::report(const JsonPath &path, std::optional<std::size_t> offset,
                             std::string message)
{
    if (full()) {
        ++m_suppressed;
        return;
    }
    Diagnostic d;
    d.file = m_file;
    // Paths and messages quote user text: keep them printable, whatever that text held.
    d.path = printable(path.str());
    d.message = printable(message);
    if (m_positions) {
        std::tie(d.line, d.column) =
            m_positions->lineColumn(offset ? *offset : m_positions->locate(path));
    }
    m_errors.push_back(std::move(d));
}

// A misspelt optional field would otherwise be silently ignored.
void JsonFieldReader::checkObject(const Json &object, const JsonPath &at,
                                  const std::vector<std::string> &allowed)
{
    if (m_positions) {
        for (const auto &[key, offset] : m_positions->duplicateKeys(at))
            error(at.withKey(key),
                  "duplicate field " + inQuotes(key) + " (only the last one counts)");
    }
    // Unknown keys are located in one scan of the object: locating each from its path would
    // scan the object once per key, which for one huge object with many keys is quadratic.
    std::optional<std::map<std::string_view, std::size_t, std::less<>>> offsets;
    for (const auto &[key, value] : object.items()) {
        if (key == "comment" || key.rfind("x_", 0) == 0 ||
            std::find(allowed.begin(), allowed.end(), key) != allowed.end())
            continue;
        if (full()) {
            ++m_suppressed;
            continue;
        }
        std::optional<std::size_t> offset;
        if (m_positions) {
            if (!offsets) {
                offsets.emplace();
                for (const auto &[raw, v] : m_positions->members(at))
                    (*offsets)[raw] = v; // the last of duplicates, as nlohmann keeps
            }
            const auto it = offsets->find(std::string_view(key));
            offset = it != offsets->end() ? it->second : m_positions->locate(at);
        }
        const auto suggestion = closest(key, allowed);
        report(at.withKey(key), offset,
               "unknown field " + inQuotes(key) +
                   (suggestion ? "; did you mean " + inQuotes(*suggestion) + "?"
                               : "; allowed fields: " + joined(allowed)));
    }
}

IntField JsonFieldReader::readInteger(const Json &object, const JsonPath &at, const char *key,
                                      bool required, std::int64_t min, std::int64_t max,
                                      const char *limitText)
{
    const auto it = object.find(key);
    if (it != object.end())
        return readInteger(*it, at.withKey(key), min, max, limitText);
    if (required)
        error(at.withKey(key), "missing required field " + inQuotes(key));
    return IntField{false, !required, 0};
}

// Integral floats (4096.0, 1e6) are accepted: some exporters write every number as a double.
IntField JsonFieldReader::readInteger(const Json &v, const JsonPath &path, std::int64_t min,
                                      std::int64_t max, const char *limitText)
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
        problem = "must be an integer, not " + dumpJson(v);
    else if (value < static_cast<long double>(min) && value == 0 && min == 1)
        problem = "must be positive, not 0";
    else if (value < static_cast<long double>(min) && value < 0)
        problem = "must not be negative, not " + dumpJson(v);
    else if (value < static_cast<long double>(min))
        problem = "must be at least " + std::to_string(min) + ", not " + dumpJson(v);
    else if (value > static_cast<long double>(max))
        problem = "is too large: " + dumpJson(v) + " exceeds the limit of " + limitText;
    if (!problem.empty()) {
        error(path, problem);
        return IntField{true, false, 0};
    }
    return IntField{true, true, static_cast<std::int64_t>(value)};
}

std::optional<std::string> JsonFieldReader::readString(const Json &object, const JsonPath &at,
                                                       const char *key, bool required)
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
    // "\u0005" decodes to a control character the file did not hold.
    if (const std::string problem = textValueProblem(s); !problem.empty()) {
        error(at.withKey(key), problem);
        return std::nullopt;
    }
    return s;
}

std::optional<bool> JsonFieldReader::readBool(const Json &object, const JsonPath &at,
                                              const char *key)
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

Diagnostics JsonFieldReader::takeErrors()
{
    if (m_suppressed > 0) {
        m_errors.push_back({m_file, 0, 0, "",
                            "... and " + std::to_string(m_suppressed) + " more errors not shown"});
        m_suppressed = 0;
    }
    return std::move(m_errors);
}

} // namespace phaze
