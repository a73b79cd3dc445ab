#include "core/io/resourcepaths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace phaze {
namespace {

// An installed executable finds its resources at bin/../share/phaze-workbench, wherever the
// package put it (/usr, /usr/local, a staging directory).
std::filesystem::path besideExecutable()
{
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
        return {};
    return exe.parent_path().parent_path() / "share" / "phaze-workbench";
}

} // namespace

std::string resourceDir()
{
    namespace fs = std::filesystem;
    if (const char *env = std::getenv("PHAZE_RESOURCES"); env && fs::is_directory(env))
        return env;
    if (const fs::path installed = besideExecutable();
        !installed.empty() && fs::exists(installed / "default-project.yaml"))
        return installed.string();
    if (fs::exists(fs::path(PHAZE_INSTALLED_RESOURCES) / "default-project.yaml"))
        return PHAZE_INSTALLED_RESOURCES;
    return PHAZE_SOURCE_RESOURCES;
}

std::string defaultProjectPath()
{
    return (std::filesystem::path(resourceDir()) / "default-project.yaml").string();
}

} // namespace phaze
