#pragma once

// Where the shared resources (default project, technology tables, examples) live: $PHAZE_RESOURCES,
// then the installed share/phaze-workbench, then the source tree (for builds run in place).

#include <string>

namespace phaze {

std::string resourceDir();
std::string defaultProjectPath();

} // namespace phaze
