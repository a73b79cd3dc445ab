#include "core/io/atomicfile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace phaze {

std::string writeFileAtomically(const std::string &path, const std::string &text)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path temp = target.parent_path() / ("." + target.filename().string() + ".saving");
    std::FILE *file = std::fopen(temp.c_str(), "wb");
    if (!file)
        return path + ": cannot write: " + std::strerror(errno);
    const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
    const int writeErrno = errno;
    // fclose flushes: a full disk may only show here.
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed) {
        const int err = !written ? writeErrno : errno;
        std::error_code ignored;
        fs::remove(temp, ignored);
        return path + ": writing failed: " + std::strerror(err);
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        return path + ": cannot replace the file: " + ec.message();
    }
    return {};
}

} // namespace phaze
