#include "core/io/operatorgraphjson.h"

// The entry points of the import; the importer itself is OperatorGraphParser and the export
// is in operatorgraphexport.cpp.

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/operatorgraphparser.h"

namespace phaze {

GraphImport importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                bool fusion, const OperatorGraphLimits &limits)
{
    return OperatorGraphParser(jsonText, fileName, fusion, limits).run();
}

GraphImport importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                bool fusion)
{
    return importOperatorGraph(jsonText, fileName, fusion, OperatorGraphLimits{});
}

GraphImport importOperatorGraphFile(const std::string &path, bool fusion)
{
    GraphImport result;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && std::int64_t(size) > kOperatorGraphMaxFileBytes) {
        result.errors.push_back(
            {path, 0, 0, "",
             "the file is too large (" + std::to_string(size) + " bytes; the limit is 1 GiB)"});
        return result;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path, ec)) {
        result.errors.push_back({path, 0, 0, "", "cannot open the file for reading"});
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        result.errors.push_back({path, 0, 0, "", "error while reading the file"});
        return result;
    }
    return importOperatorGraph(text.str(), path, fusion);
}

} // namespace phaze
