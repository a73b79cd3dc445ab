#pragma once

// Writing output files so that nothing already saved is lost: a regular file is replaced
// atomically (the text goes to a temporary file beside it, is flushed to disk, and is renamed
// over the target, so a crash or a full disk mid-write keeps the previous version); devices and
// pipes (/dev/null, /dev/full) are written in place. Errors name the path and the OS reason.
// Used by the CLI's outputs, project saves and the workbench's exports.

#include <string>

#include "core/base/status.h"

namespace phaze {

// Both give Optimal, or an Error whose message names the path and the OS reason, such as
// "out.json: cannot write: No space left on device", with the diagnostic behind it (its file
// the path).
Outcome writeFileAtomically(const std::string &path, const std::string &text);

// Optimal when path can be written (a missing file is created and removed again; an existing
// one is not changed), else the error a write would give, e.g. "out.json: cannot write: No
// such file or directory (the directory /x does not exist)". For checking outputs before long
// work.
Outcome probeWritable(const std::string &path);

} // namespace phaze
