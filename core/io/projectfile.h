#pragma once

// Project files (YAML): load with every error located (file:line:column: path: message),
// save losslessly and atomically. See README "Project file format".

#include <optional>
#include <string>

#include "core/base/status.h"
#include "core/spec/projectspec.h"

namespace phaze {

// The longest sequence a model may be built for: attention keeps microbatch x heads x s^2
// scores, and at 2^20 tokens (with a 65,536 microbatch and 8-byte elements) their byte count
// overflows a 64-bit integer.
constexpr int kMaxSequenceLength = 65536;

// Optimal with the project, or Error with every problem located in `diagnostics`.
// `fileName` is used in messages and to resolve relative model paths (with `baseDir`).
Result<ProjectSpec> loadProjectText(const std::string &yamlText, const std::string &fileName,
                                    const std::string &baseDir = {});
// With `text`, also gives the file's text (for saving it back with its comments).
Result<ProjectSpec> loadProjectFile(const std::string &path, std::string *text = nullptr);

std::string saveProjectText(const ProjectSpec &project);
// Writes to a temporary file beside `path` and renames it over, so that a crash mid-save never
// leaves a truncated project. An Error's message names the path. With `commentsFrom` (the text
// the project was read from), its comments are kept beside the same keys
// (core/io/yamlcomments.h).
Outcome saveProjectFile(const ProjectSpec &project, const std::string &path,
                        const std::string &commentsFrom = {});

// The project a new user starts from (PHAZE's defaults, GPT-2 XL on the tpuv4 preset).
ProjectSpec defaultProject();

} // namespace phaze
