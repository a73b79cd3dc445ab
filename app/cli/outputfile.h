#pragma once

// Output files of the `phaze` subcommands: a probe that finds an unwritable path before any
// work starts, and a write that replaces a regular file atomically (a full disk mid-write keeps
// the previous version). Errors name the path and the OS reason.

#include <string>

namespace phaze::cli {

// "" when `path` can be written (a missing file is created and removed again; an existing one
// is not changed), else an error such as "out.json: cannot write: No such file or directory
// (the directory /x does not exist)". "-" (stdout) is always writable.
std::string probeOutput(const std::string &path);

// Writes text to a file, or to stdout for "-". Returns "" or an error naming the path.
std::string writeOutput(const std::string &path, const std::string &text);

} // namespace phaze::cli
