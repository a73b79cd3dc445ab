#include "core/base/textcheck.h"

#include <cstdint>
#include <cstdio>

namespace phaze {
namespace {

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629, Table 3-7 of the Unicode
// standard: no overlong forms, no surrogates, nothing above U+10FFFF), or 0 if it is not one.
std::size_t sequenceLength(std::string_view text, std::size_t i, char32_t &codePoint)
{
    const auto byte = [&](std::size_t k) { return std::uint8_t(text[k]); };
    const std::uint8_t b0 = byte(i);
    if (b0 < 0x80) {
        codePoint = b0;
        return 1;
    }
    std::size_t length = 0;
    std::uint8_t lo = 0x80, hi = 0xBF; // the allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        codePoint = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        codePoint = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; // overlong below U+0800
        if (b0 == 0xED)
            hi = 0x9F; // U+D800..U+DFFF are surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        codePoint = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90; // overlong below U+10000
        if (b0 == 0xF4)
            hi = 0x8F; // above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        const std::uint8_t b = byte(i + k);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
            return 0;
        codePoint = (codePoint << 6) | (b & 0x3F);
    }
    return length;
}

bool isControl(char32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); // Unicode category Cc
}

bool allowedControl(char32_t c, TextScope scope)
{
    if (c == '\t' || c == '\n')
        return true;
    return scope == TextScope::Document && c == '\r';
}

std::string hexByte(std::uint8_t b)
{
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02x", unsigned(b));
    return buffer;
}

std::string codePointName(char32_t c)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", unsigned(c));
    return buffer;
}

} // namespace

std::optional<TextProblem> findTextProblem(std::string_view text, TextScope scope)
{
    std::size_t i = 0;
    // A byte-order mark may open a file (editors on Windows write one); nowhere else.
    if (scope == TextScope::Document && text.substr(0, 3) == "\xEF\xBB\xBF")
        i = 3;
    while (i < text.size()) {
        char32_t c = 0;
        const std::size_t length = sequenceLength(text, i, c);
        if (length == 0)
            return TextProblem{i, "is not valid UTF-8 (byte " + hexByte(std::uint8_t(text[i])) +
                                      ")"};
        if (isControl(c) && !allowedControl(c, scope))
            return TextProblem{i, "holds the control character " + codePointName(c) +
                                      (scope == TextScope::Field
                                           ? " (only tab and newline are allowed in text)"
                                           : " (only tab and line breaks are allowed)")};
        i += length;
    }
    return std::nullopt;
}

std::string printable(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t c = 0;
        const std::size_t length = sequenceLength(text, i, c);
        if (length == 0 || isControl(c)) {
            const std::size_t n = length == 0 ? 1 : length;
            for (std::size_t k = 0; k < n; ++k) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\x%02x", unsigned(std::uint8_t(text[i + k])));
                out += buffer;
            }
            i += n;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

} // namespace phaze
