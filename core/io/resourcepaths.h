#pragma once

// Where the shared resources (default project, technology tables, examples) live: $PHAZE_RESOURCES
// when it names a directory, else share/phaze-workbench beside the running executable
// (<exe dir>/../share/phaze-workbench). That is the installed layout, wherever a package was
// unpacked, and a build tree mirrors it (cmake/PhazeBuildResources.cmake). No absolute path is
// compiled in: a program only ever finds the resources of its own tree.

#include <string>

namespace phaze {

// Empty only when the executable's own location cannot be read (/proc/self/exe).
std::string resourceDir();
// Empty when resourceDir() is; the file itself may not exist (a broken installation).
std::string defaultProjectPath();

} // namespace phaze
