#include "core/io/documenttext.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>

#include "core/base/textcheck.h"
#include "core/io/jsonpositions.h"

namespace phaze {

std::optional<std::string> readFileText(const std::string &path,
                                        std::optional<std::uintmax_t> maxBytes)
{
    std::error_code ec; // a name too long for the file system must not throw
    if (maxBytes && (!std::filesystem::is_regular_file(path, ec) ||
                     std::filesystem::file_size(path, ec) > *maxBytes))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<Diagnostic> checkDocumentText(const std::string &text, const std::string &file)
{
    const std::optional<TextProblem> problem = findTextProblem(text, TextScope::Document);
    if (!problem)
        return std::nullopt;
    Diagnostic d{file, 0, 0, "", "the file " + problem->message};
    std::tie(d.line, d.column) = LineTable(text).at(problem->offset);
    if (problem->message.find("UTF-8") != std::string::npos)
        d.message += "; save it as UTF-8";
    return d;
}

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The code point a \uXXXX escape at text[i] (the backslash) stands for, or -1.
long unicodeEscape(const std::string &text, std::size_t i)
{
    if (i + 6 > text.size())
        return -1;
    long value = 0;
    for (std::size_t k = i + 2; k < i + 6; ++k) {
        const int h = hexValue(text[k]);
        if (h < 0)
            return -1;
        value = value * 16 + h;
    }
    return value;
}

bool disallowedControl(long c)
{
    return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

// Offset of the first escape inside a string that decodes to a disallowed control character.
// Comments (the readers accept // and /* */) are skipped: an escape there is only text.
std::optional<std::pair<std::size_t, long>> findControlEscape(const std::string &text)
{
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const char c = text[i];
        if (c == '/' && i + 1 < n && text[i + 1] == '/') {
            const std::size_t end = text.find('\n', i);
            i = end == std::string::npos ? n : end + 1;
        } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
            const std::size_t end = text.find("*/", i + 2);
            i = end == std::string::npos ? n : end + 2;
        } else if (c == '"') {
            for (++i; i < n && text[i] != '"'; ++i) {
                if (text[i] != '\\' || i + 1 >= n)
                    continue;
                const char e = text[i + 1];
                const long code = e == 'b' ? 0x08 : e == 'f' ? 0x0C : e == 'r' ? 0x0D
                                  : e == 'u' ? unicodeEscape(text, i) : -1;
                if (code >= 0 && disallowedControl(code))
                    return std::pair{i, code};
                ++i; // the escaped character, which may be a quote
            }
            ++i;
        } else {
            ++i;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<Diagnostic> checkJsonText(const std::string &text, const std::string &file)
{
    if (std::optional<Diagnostic> bad = checkDocumentText(text, file))
        return bad;
    const auto escape = findControlEscape(text);
    if (!escape)
        return std::nullopt;
    char name[16];
    std::snprintf(name, sizeof name, "U+%04lX", escape->second);
    Diagnostic d{file, 0, 0, "",
                 std::string("a string holds an escaped control character ") + name +
                     " (only tab and newline are allowed in text)"};
    std::tie(d.line, d.column) = LineTable(text).at(escape->first);
    return d;
}

std::string textValueProblem(std::string_view value)
{
    const std::optional<TextProblem> problem = findTextProblem(value, TextScope::Field);
    return problem ? "text " + problem->message : std::string();
}

} // namespace phaze
