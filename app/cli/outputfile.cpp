#include "app/cli/outputfile.h"

#include <iostream>

#include "core/io/atomicfile.h"

namespace phaze::cli {

std::string probeOutput(const std::string &path)
{
    return path == "-" ? std::string() : probeWritable(path);
}

std::string writeOutput(const std::string &path, const std::string &text)
{
    if (path == "-") {
        std::cout << text;
        std::cout.flush();
        return std::cout ? std::string() : "cannot write to the standard output";
    }
    return writeFileAtomically(path, text);
}

} // namespace phaze::cli
