#pragma once

// Text without its leading and trailing spaces and tabs (a quantity's text, a YAML line).

#include <string_view>

namespace phaze {

inline std::string_view trimBlanks(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace phaze
