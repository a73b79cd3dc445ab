#pragma once

// What the fuzz targets use to report a broken invariant: libFuzzer (and the replay driver)
// treat an abort as a crash and keep the input that caused it.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/base/diagnostic.h"

namespace phaze::fuzz {

[[noreturn]] inline void fail(const std::string &what)
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what.c_str());
    std::abort();
}

inline void check(bool ok, const std::string &what)
{
    if (!ok)
        fail(what);
}

inline std::string firstError(const Diagnostics &errors)
{
    if (errors.empty())
        return "(no diagnostic)";
    const Diagnostic &d = errors.front();
    return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.path +
           ": " + d.message;
}

// Diagnostics must name the input and carry a message, never be empty shells.
inline void checkDiagnostics(const Diagnostics &errors, const std::string &file)
{
    for (const Diagnostic &d : errors) {
        check(d.file == file, "a diagnostic names file \"" + d.file + "\", not \"" + file + "\"");
        check(!d.message.empty(), "a diagnostic has no message");
        check(d.line >= 0 && d.column >= 0, "a diagnostic has a negative position");
    }
}

} // namespace phaze::fuzz
