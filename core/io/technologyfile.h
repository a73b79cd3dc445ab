#pragma once

// Technology tables in YAML (resources/technology/default.yaml documents every key with its
// source). A file may give any subset of the keys: the rest keep the built-in defaults, so a
// project can override, say, only the SRAM density. Every error is located (file:line:column:
// path: message) and one pass reports all of them.

#include <optional>
#include <string>

#include "core/arch/technology.h"
#include "core/base/status.h"

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

// resources/technology/default.yaml in the resource directory.
std::string defaultTechnologyPath();

} // namespace phaze
