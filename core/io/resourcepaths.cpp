#include "core/io/resourcepaths.h"

#include <cstdlib>
#include <filesystem>

namespace phaze {

std::string resourceDir()
{
    namespace fs = std::filesystem;
    if (const char *env = std::getenv("PHAZE_RESOURCES"); env && fs::is_directory(env))
        return env;
    if (fs::exists(fs::path(PHAZE_INSTALLED_RESOURCES) / "default-project.yaml"))
        return PHAZE_INSTALLED_RESOURCES;
    return PHAZE_SOURCE_RESOURCES;
}

std::string defaultProjectPath()
{
    return (std::filesystem::path(resourceDir()) / "default-project.yaml").string();
}

} // namespace phaze
