#pragma once

// Writing output files so that nothing already saved is lost: a regular file is replaced
// atomically (the text goes to a temporary file beside it, is flushed to disk, and is renamed
// over the target, so a crash or a full disk mid-write keeps the previous version); devices and
// pipes (/dev/null, /dev/full) are written in place. Errors name the path and the OS reason.
// Used by the CLI's outputs, project saves and the workbench's exports.

#include <string>

namespace phaze {

// Returns "" on success or an error such as "out.json: cannot write: No space left on device".
std::string writeFileAtomically(const std::string &path, const std::string &text);

// "" when path can be written (a missing file is created and removed again; an existing one is
// not changed), else the error a write would give, e.g. "out.json: cannot write: No such file
// or directory (the directory /x does not exist)". For checking outputs before long work.
std::string probeWritable(const std::string &path);

} // namespace phaze
