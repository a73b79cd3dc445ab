#pragma once

// One CSV field as RFC 4180 writes it: quoted (with inner quotes doubled) only when it holds a
// comma, a quote or a line break.

#include <string>
#include <string_view>

namespace phaze {

inline std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\n\r") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace phaze
