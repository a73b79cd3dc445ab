#pragma once

// Reads typed fields from parsed JSON and reports every problem as a located, explained
// diagnostic (a hand-written file deserves more than "type error"), capping their number so
// that a broken large file cannot flood the output.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/diagnostic.h"
#include "core/io/jsonpositions.h"

namespace phaze {

struct IntField {
    bool present = false;
    bool valid = true;
    std::int64_t value = 0;
};

// Message helpers. closest: the candidate nearest to word, if near enough to be a likely typo.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string> &options);
std::string joined(const std::vector<std::string> &words); // "a, b, c"
std::string inQuotes(std::string_view s);
std::string describe(const nlohmann::json &v); // "a string (\"x\")", "an object", "42", ...

class JsonFieldReader
{
public:
    JsonFieldReader(std::string file, int maxDiagnostics)
        : m_file(std::move(file)), m_maxDiagnostics(maxDiagnostics)
    {
    }

    // Until this is called (the text has parsed), diagnostics carry no line and column.
    void indexPositions(const std::string &text) { m_positions.emplace(text); }

    void error(const JsonPath &path, std::string message);
    // Unknown fields are errors, except "comment" and extension fields starting with "x_".
    void checkObject(const nlohmann::json &object, const JsonPath &at,
                     const std::vector<std::string> &allowed);
    IntField readInteger(const nlohmann::json &object, const JsonPath &at, const char *key,
                         bool required, std::int64_t min, std::int64_t max, const char *limitText);
    IntField readInteger(const nlohmann::json &value, const JsonPath &path, std::int64_t min,
                         std::int64_t max, const char *limitText);
    std::optional<std::string> readString(const nlohmann::json &object, const JsonPath &at,
                                          const char *key, bool required);
    std::optional<bool> readBool(const nlohmann::json &object, const JsonPath &at, const char *key);

    // The cap is reached: further errors are only counted, so callers can skip costly messages.
    bool full() const { return int(m_errors.size()) >= m_maxDiagnostics; }

    // The diagnostics so far, with a final one counting those over the cap.
    Diagnostics takeErrors();

private:
    // offset: where the value is, when the caller knows; otherwise it is found from the path.
    void report(const JsonPath &path, std::optional<std::size_t> offset, std::string message);

    std::string m_file;
    int m_maxDiagnostics = 0;
    std::optional<PositionIndex> m_positions;
    Diagnostics m_errors;
    std::int64_t m_suppressed = 0;
};

} // namespace phaze
