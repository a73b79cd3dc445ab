#pragma once

// Whole-file writes that never leave a truncated file behind: the text goes to a temporary file
// beside the target, is flushed, and is renamed over the target (rename is atomic on POSIX
// file systems), so a crash or a full disk mid-write keeps the previous version intact.

#include <string>

namespace phaze {

// Returns "" on success or an error naming the path and the reason.
std::string writeFileAtomically(const std::string &path, const std::string &text);

} // namespace phaze
