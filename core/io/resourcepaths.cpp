#include "core/io/resourcepaths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace phaze {
namespace {

// /proc/self/exe is the executable with every symlink resolved, so a program started through a
// link (/usr/local/bin/phaze -> /opt/phaze/usr/bin/phaze) still finds the tree it came from.
std::filesystem::path besideExecutable()
{
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec || exe.empty())
        return {};
    return exe.parent_path().parent_path() / "share" / "phaze-workbench";
}

} // namespace

std::string resourceDir()
{
    // No further fallback (a prefix or the source tree compiled in): a broken installation shows
    // itself instead of quietly reading files from somewhere else.
    if (const char *env = std::getenv("PHAZE_RESOURCES");
        env && *env && std::filesystem::is_directory(env))
        return env;
    return besideExecutable().string();
}

std::string defaultProjectPath()
{
    const std::string dir = resourceDir();
    if (dir.empty())
        return {};
    return (std::filesystem::path(dir) / "default-project.yaml").string();
}

} // namespace phaze
