#include "core/io/jsonpositions.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/io/documenttext.h"

namespace phaze {
namespace {

using Json = nlohmann::json;
constexpr std::size_t kNpos = std::string::npos;

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

} // namespace

std::string JsonPath::str() const
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

JsonPath elementPath(std::string top, std::int64_t index)
{
    JsonPath p;
    p.top = std::move(top);
    p.index = index;
    return p;
}

std::size_t JsonScanner::skipSpace(std::size_t p) const
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
std::size_t JsonScanner::skipValue(std::size_t p) const
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

void JsonScanner::forEachMember(
    std::size_t p, const std::function<bool(std::string_view, std::size_t, std::size_t)> &f) const
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

void JsonScanner::forEachElement(std::size_t p,
                                 const std::function<bool(int, std::size_t)> &f) const
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

std::size_t JsonScanner::skipString(std::size_t p) const
{
    for (++p; p < m_text.size(); ++p) {
        if (m_text[p] == '\\')
            ++p;
        else if (m_text[p] == '"')
            return p + 1;
    }
    return m_text.size();
}

namespace {

constexpr std::size_t kCheckpoint = 4096;

bool startsCharacter(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80; // not a UTF-8 continuation byte
}

} // namespace

std::size_t LineTable::charactersBefore(std::size_t offset) const
{
    const std::size_t k = std::min(offset / kCheckpoint, m_checkpoints.size() - 1);
    std::size_t count = m_checkpoints[k];
    for (std::size_t i = k * kCheckpoint; i < offset; ++i)
        count += startsCharacter(m_text[i]);
    return count;
}

std::pair<int, int> LineTable::at(std::size_t offset) const
{
    if (m_starts.empty()) {
        m_starts.push_back(0);
        std::size_t characters = 0;
        for (std::size_t i = 0; i < m_text.size(); ++i) {
            if (i % kCheckpoint == 0)
                m_checkpoints.push_back(characters);
            characters += startsCharacter(m_text[i]);
            if (m_text[i] == '\n')
                m_starts.push_back(i + 1);
        }
        if (m_checkpoints.empty())
            m_checkpoints.push_back(0);
    }
    offset = std::min(offset, m_text.size());
    const auto line = std::upper_bound(m_starts.begin(), m_starts.end(), offset) - 1;
    const std::size_t column = 1 + charactersBefore(offset) - charactersBefore(*line);
    return {int(line - m_starts.begin()) + 1, int(std::min<std::size_t>(column, 1u << 30))};
}

PositionIndex::PositionIndex(const std::string &text) : m_scan(text), m_lines(text)
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

std::size_t PositionIndex::locate(const JsonPath &path) const
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

std::vector<std::pair<std::string_view, std::size_t>>
PositionIndex::members(const JsonPath &object) const
{
    std::vector<std::pair<std::string_view, std::size_t>> out;
    m_scan.forEachMember(locate(object), [&](std::string_view key, std::size_t, std::size_t v) {
        out.emplace_back(key, v);
        return true;
    });
    return out;
}

std::vector<std::pair<std::string, std::size_t>>
PositionIndex::duplicateKeys(const JsonPath &object) const
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

std::optional<std::size_t> PositionIndex::member(std::size_t object, std::string_view key) const
{
    std::optional<std::size_t> found;
    m_scan.forEachMember(object, [&](std::string_view k, std::size_t, std::size_t v) {
        if (k == key)
            found = v; // the last one, as nlohmann keeps
        return true;
    });
    return found;
}

std::optional<Diagnostic> parseJsonText(const std::string &text, const std::string &file, Json &out)
{
    if (std::optional<Diagnostic> bad = checkJsonText(text, file))
        return bad;
    try {
        out = Json::parse(text, nullptr, true, /*ignore_comments=*/true);
    } catch (const Json::parse_error &e) {
        Diagnostic d{file, 0, 0, "", ""};
        const std::string what = e.what();
        std::tie(d.line, d.column) = LineTable(text).at(parseErrorOffset(text, e.byte, what));
        const std::size_t colon = what.find(": ");
        d.message = "malformed JSON: " + (colon == kNpos ? what : what.substr(colon + 2));
        return d;
    } catch (const Json::exception &e) {
        // e.g. a number too large for a double: find the literal to point at it
        Diagnostic d{file, 0, 0, "", std::string("malformed JSON: ") + e.what()};
        const std::string what = e.what();
        const std::size_t quote = what.find('\'');
        if (quote != kNpos && what.back() == '\'') {
            const std::size_t at = text.find(what.substr(quote + 1, what.size() - quote - 2));
            if (at != kNpos)
                std::tie(d.line, d.column) = LineTable(text).at(at);
            d.message = "malformed JSON: number out of range: " + what.substr(quote);
        }
        return d;
    }
    return std::nullopt;
}

} // namespace phaze
