#include "core/io/atomicfile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace phaze {
namespace {

// "path: what", with the diagnostic behind it (its file the path).
Outcome failure(const std::string &path, std::string what)
{
    if (path.empty()) // a diagnostic without a file would read "<input>: what"
        return Outcome::error(": " + what);
    return Outcome::error(Diagnostics{Diagnostic{path, 0, 0, "", std::move(what)}});
}

// The OS reason, with a hint for the two cases users meet most (a typo in a directory, a path
// under a file).
Outcome failure(const std::string &path, const std::string &what, int error)
{
    std::string out = what + ": " + std::strerror(error);
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (error == ENOENT && !parent.empty() && !std::filesystem::exists(parent, ec))
        out += " (the directory " + parent.string() + " does not exist)";
    else if (error == ENOTDIR)
        out += " (a parent of the path is a file, not a directory)";
    return failure(path, std::move(out));
}

bool writeAll(int fd, const std::string &text, int &error)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            error = n < 0 ? errno : ENOSPC;
            return false;
        }
        done += std::size_t(n);
    }
    return true;
}

// Devices (/dev/full, /dev/null), pipes and terminals are written in place; files and new
// paths go through a temporary file and a rename.
bool isInPlaceTarget(const std::string &path)
{
    struct stat st {
    };
    return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

Outcome writeInPlace(const std::string &path, const std::string &text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return failure(path, "cannot open for writing", errno);
    int error = 0;
    const bool ok = writeAll(fd, text, error);
    ::close(fd);
    return ok ? done() : failure(path, "cannot write", error);
}

} // namespace

Outcome writeFileAtomically(const std::string &path, const std::string &text)
{
    if (isInPlaceTarget(path))
        return writeInPlace(path, text);
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        // A writable file in a directory we may not create files in: write it in place.
        if (errno == EACCES || errno == EROFS)
            return writeInPlace(path, text);
        return failure(path, "cannot write", errno);
    }
    int error = 0;
    bool ok = writeAll(fd, text, error);
    if (ok && ::fsync(fd) != 0) {
        error = errno;
        ok = false;
    }
    ::close(fd);
    if (ok && ::rename(temporary.c_str(), path.c_str()) != 0) {
        error = errno;
        ok = false;
    }
    if (!ok) {
        ::unlink(temporary.c_str());
        return failure(path, "cannot write", error);
    }
    return done();
}

Outcome probeWritable(const std::string &path)
{
    if (path.empty())
        return Outcome::error("an output path is empty");
    struct stat st {
    };
    const bool existed = ::stat(path.c_str(), &st) == 0;
    if (existed && S_ISDIR(st.st_mode))
        return failure(path, "cannot write: it is a directory");
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return failure(path, "cannot write", errno);
    // A zero-byte write changes nothing but fails where every write would (/dev/full: ENOSPC).
    const bool ok = ::write(fd, "", 0) >= 0;
    const int error = errno;
    ::close(fd);
    if (!existed)
        ::unlink(path.c_str());
    return ok ? done() : failure(path, "cannot write", error);
}

} // namespace phaze
