#include "core/io/operatorgraphjson.h"

// The entry points of the import; the importer itself is OperatorGraphParser and the export
// is in operatorgraphexport.cpp.

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/operatorgraphparser.h"

namespace phaze {

Result<ModelGraph> importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                       bool fusion, const OperatorGraphLimits &limits)
{
    return OperatorGraphParser(jsonText, fileName, fusion, limits).run();
}

Result<ModelGraph> importOperatorGraph(const std::string &jsonText, const std::string &fileName,
                                       bool fusion)
{
    return importOperatorGraph(jsonText, fileName, fusion, OperatorGraphLimits{});
}

Result<ModelGraph> importOperatorGraphFile(const std::string &path, bool fusion)
{
    auto fail = [&path](std::string why) {
        return Result<ModelGraph>::error(Diagnostics{Diagnostic{path, 0, 0, "", std::move(why)}});
    };
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && std::int64_t(size) > kOperatorGraphMaxFileBytes)
        return fail("the file is too large (" + std::to_string(size) +
                    " bytes; the limit is 1 GiB)");
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path, ec))
        return fail("cannot open the file for reading");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return fail("error while reading the file");
    return importOperatorGraph(text.str(), path, fusion);
}

} // namespace phaze
