#pragma once

// Output files of the `phaze` subcommands: a probe that finds an unwritable path before any
// work starts, a write that replaces a regular file atomically (a full disk mid-write keeps
// the previous version), and the stdout rule: an output named "-" goes to stdout, which then
// carries that document alone; the human text (summary, tables, notes) goes to stderr instead.
// Errors name the path and the OS reason.

#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/status.h"

namespace phaze::cli {

// The output options of one run: (option, path given or none), e.g. ("--json", "-").
using OutputPaths = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Optimal when `path` can be written (a missing file is created and removed again; an existing
// one is not changed), else an error such as "out.json: cannot write: No such file or
// directory (the directory /x does not exist)". "-" (stdout) is always writable.
Outcome probeOutput(const std::string &path);

// Writes text to a file, or to stdout for "-". An Error's message names the path.
Outcome writeOutput(const std::string &path, const std::string &text);

// "" when at most one output is "-", else a usage error naming the options: two documents on
// one stdout cannot be parsed.
std::string stdoutConflict(const OutputPaths &outputs);

// Where a run's human text goes: std::cerr when one of its outputs is "-", else std::cout.
std::ostream &humanOutput(const OutputPaths &outputs);

} // namespace phaze::cli
