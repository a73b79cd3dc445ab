#include "core/base/diagnostic.h"

namespace phaze {

std::string Diagnostic::format() const
{
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0)
            out += ':' + std::to_string(column);
    }
    out += ": ";
    if (!path.empty())
        out += path + ": ";
    out += message;
    return out;
}

std::string formatAll(const Diagnostics &diagnostics)
{
    std::string out;
    for (const Diagnostic &d : diagnostics) {
        if (!out.empty())
            out += '\n';
        out += d.format();
    }
    return out;
}

} // namespace phaze
