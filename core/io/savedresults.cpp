#include "core/io/savedresults.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/io/atomicfile.h"
#include "core/io/jsontext.h"
#include "core/io/searchjson.h"
#include "core/search/searchdriver.h"

namespace phaze {

std::string resultsPathFor(const std::string &projectPath)
{
    std::filesystem::path path(projectPath);
    path.replace_extension(".results.json");
    return path.string();
}

Outcome saveCodesignResult(const CodesignResult &result, const std::string &path)
{
    return writeFileAtomically(path, searchResultToJson(result.search, codesignExtraJson(result)) + "\n");
}

Result<CodesignResult> loadCodesignResult(const std::string &path)
{
    using R = Result<CodesignResult>;
    // "path: [field: ]why", with the diagnostic behind it.
    auto fail = [&path](std::string field, std::string why) {
        return R::error(Diagnostics{Diagnostic{path, 0, 0, std::move(field), std::move(why)}});
    };
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("", "cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    Result<SearchResult> search = searchResultFromJson(text.str(), path);
    if (!search.hasValue()) {
        if (search.diagnostics.empty())
            return fail("", "cannot read");
        // The first problem only, as the message always said.
        search.diagnostics.resize(1);
        return R::error(std::move(search.diagnostics));
    }
    CodesignResult out;
    out.search = std::move(*search.value);
    finishResult(out.search);
    try {
        const nlohmann::json root = nlohmann::json::parse(text.str());
        out.fingerprint = root.value("fingerprint", "");
        for (const nlohmann::json &entry : root.value("baselines", nlohmann::json::array())) {
            Baseline b;
            b.name = entry.at("name").get<std::string>();
            b.message = entry.value("message", "");
            if (entry.contains("throughput") && entry.at("throughput").is_number())
                b.throughput = entry.at("throughput").get<double>();
            if (entry.contains("evaluation")) {
                std::string error;
                b.evaluation = evaluationFromJson(dumpJson(entry.at("evaluation")), &error);
                if (!b.evaluation)
                    return fail("baselines", b.name + ": " + error);
            } else if (entry.contains("chip")) {
                std::string error;
                b.chip = baselineChipFromJson(dumpJson(entry.at("chip")), &error);
                if (!b.chip)
                    return fail("baselines", b.name + ": " + error);
            }
            out.baselines.push_back(std::move(b));
        }
    } catch (const std::exception &e) {
        return fail("baselines", e.what());
    }
    return R::optimal(std::move(out));
}

} // namespace phaze
