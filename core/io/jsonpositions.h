#pragma once

// Positions in JSON text, for diagnostics. nlohmann/json does not record where values sit, so
// they are found with a light scan of the text, which has already parsed: the members of the
// top-level object and the elements of its three big arrays ("layers", "operators", "edges")
// are indexed once; a key inside one element is looked up on demand, so locating stays cheap
// however many errors a large file has.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/diagnostic.h"

namespace phaze {

// Where a value is, by the fields and elements that lead to it.
struct JsonPath {
    std::string top;         // top-level member ("operators"); empty for top-level fields
    std::int64_t index = -1; // element of that array
    std::string key;         // field of that element (or a top-level field when top is empty)
    int sub = -1;            // element of the field's array (edges in array form)

    JsonPath withKey(std::string k) const
    {
        JsonPath p = *this;
        p.key = std::move(k);
        return p;
    }
    JsonPath withSub(int s) const
    {
        JsonPath p = *this;
        p.sub = s;
        return p;
    }
    std::string str() const;
};

JsonPath elementPath(std::string top, std::int64_t index);

// Steps over JSON values (and // and /* */ comments) in text that is known to parse.
class JsonScanner
{
public:
    explicit JsonScanner(const std::string &text) : m_text(text) {}

    std::size_t skipSpace(std::size_t p) const;
    std::size_t skipValue(std::size_t p) const;
    // f(rawKey, keyOffset, valueOffset) returns false to stop.
    void
    forEachMember(std::size_t p,
                  const std::function<bool(std::string_view, std::size_t, std::size_t)> &f) const;
    // f(index, offset) returns false to stop.
    void forEachElement(std::size_t p, const std::function<bool(int, std::size_t)> &f) const;

private:
    std::size_t skipString(std::size_t p) const;
    bool at(std::size_t p, char c) const { return p < m_text.size() && m_text[p] == c; }

    const std::string &m_text;
};

// 1-based line and column of a byte offset; columns count characters, not UTF-8 bytes.
class LineTable
{
public:
    explicit LineTable(const std::string &text) : m_text(text) {}

    std::pair<int, int> at(std::size_t offset) const;

private:
    std::size_t charactersBefore(std::size_t offset) const;

    const std::string &m_text;
    // Built on the first error only: line starts, and the characters before every
    // kCheckpoint-th byte, so that a column in a minified (one-line) file of many megabytes
    // costs a short scan, not one from the start of the line.
    mutable std::vector<std::size_t> m_starts;
    mutable std::vector<std::size_t> m_checkpoints;
};

// The text must outlive the index.
class PositionIndex
{
public:
    explicit PositionIndex(const std::string &text);

    std::size_t locate(const JsonPath &path) const;
    // Every member of the object at the path, in one scan: its raw key and its value's offset.
    std::vector<std::pair<std::string_view, std::size_t>> members(const JsonPath &object) const;
    // Keys that occur more than once in the object at the path (offsets of the repeats).
    std::vector<std::pair<std::string, std::size_t>> duplicateKeys(const JsonPath &object) const;
    std::pair<int, int> lineColumn(std::size_t offset) const { return m_lines.at(offset); }

private:
    std::optional<std::size_t> member(std::size_t object, std::string_view key) const;

    JsonScanner m_scan;
    std::size_t m_root = 0;
    std::map<std::string, std::size_t, std::less<>> m_top;
    std::map<std::string, std::vector<std::size_t>, std::less<>> m_elements;
    LineTable m_lines;
};

// Parses text (comments allowed) into out; when it does not parse, returns the located
// "malformed JSON" diagnostic instead.
std::optional<Diagnostic> parseJsonText(const std::string &text, const std::string &file,
                                        nlohmann::json &out);

} // namespace phaze
