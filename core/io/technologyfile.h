#pragma once

// Technology tables in YAML (resources/technology/default.yaml documents every key with its
// source). A file may give any subset of the keys: the rest keep the built-in defaults, so a
// project can override, say, only the SRAM density. Every error is located (file:line:column:
// path: message) and one pass reports all of them.

#include <optional>
#include <string>

#include "core/arch/technology.h"
#include "core/base/status.h"
#include "core/spec/projectspec.h"

namespace phaze {

// Optimal with the table, or Error with every problem located in `diagnostics`.
Result<TechnologyTable> loadTechnologyText(const std::string &yamlText,
                                           const std::string &fileName);
Result<TechnologyTable> loadTechnologyFile(const std::string &path);

// A project's `technology:` value: "default" (or empty) is the built-in table; anything else is
// a file path, relative paths resolved against baseDir.
Result<TechnologyTable> resolveTechnology(const std::string &reference,
                                          const std::string &baseDir = {});
// The same, as `profile` sees it (technologyForProfile: PHAZE's chip pays nothing per core).
Result<TechnologyTable> resolveTechnology(const std::string &reference, const std::string &baseDir,
                                          ModelProfile profile);

// A project's table: its `technology:` under its profile, and, where the project fixes its chip
// (an architecture and no architecture space), that chip preset's measurements
// (technologyForChip). Everything that costs a project's operators reads this one table.
Result<TechnologyTable> resolveProjectTechnology(const ProjectSpec &project,
                                                 const std::string &baseDir);

// resources/technology/default.yaml in the resource directory.
std::string defaultTechnologyPath();

} // namespace phaze
