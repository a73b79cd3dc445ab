#pragma once

// Editing one field of a project by its text, with exactly the validation of loading a file:
// the edit is applied to the project's YAML form and the result is loaded again, so an editor
// and a hand-written file can never disagree about what is valid.

#include <string>

#include "core/io/projectfile.h"

namespace phaze {

// Sets `section.key` (e.g. "training", "hbm_sizes") to `valueText` written as in a project
// file ("[32 GiB, 64 GiB]"). An empty key sets a top-level scalar (e.g. section "name").
// Returns the edited project, or the diagnostics (their file is "edit").
Result<ProjectSpec> editProjectField(const ProjectSpec &project, const std::string &section,
                                     const std::string &key, const std::string &valueText,
                                     const std::string &baseDir = {});

} // namespace phaze
