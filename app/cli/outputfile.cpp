#include "app/cli/outputfile.h"

#include <iostream>

#include "core/io/atomicfile.h"

namespace phaze::cli {
namespace {

bool isStdout(const std::optional<std::string> &path)
{
    return path && *path == "-";
}

} // namespace

Outcome probeOutput(const std::string &path)
{
    return path == "-" ? done() : probeWritable(path);
}

Outcome writeOutput(const std::string &path, const std::string &text)
{
    if (path == "-") {
        std::cout << text;
        std::cout.flush();
        return std::cout ? done() : Outcome::error("cannot write to the standard output");
    }
    return writeFileAtomically(path, text);
}

std::string stdoutConflict(const OutputPaths &outputs)
{
    std::vector<std::string> names;
    for (const auto &[option, path] : outputs)
        if (isStdout(path))
            names.push_back(option);
    if (names.size() < 2)
        return {};
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return list + (names.size() == 2 ? " both ask" : " all ask") +
           " for the standard output (\"-\"), which can carry one document only; "
           "give all but one a file name";
}

std::ostream &humanOutput(const OutputPaths &outputs)
{
    for (const auto &output : outputs)
        if (isStdout(output.second))
            return std::cerr;
    return std::cout;
}

} // namespace phaze::cli
