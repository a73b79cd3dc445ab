// `phaze merge`: the parts of a sharded search joined into the result of the whole search. It
// refuses parts of different searches or splits and overlapping parts, and an incomplete set
// unless --allow-missing (core/search/shardmerge.h).

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/io/searchjson.h"
#include "core/io/shardjson.h"

namespace phaze::cli {
namespace {

std::optional<ShardPart> readPart(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
        std::cerr << path << ": cannot read\n";
        return std::nullopt;
    }
    Result<SearchResult> result = searchResultFromJson(text.str(), path);
    Result<ShardIdentity> shard = result.hasValue()
                                      ? shardIdentityFromResultJson(text.str(), path)
                                      : Result<ShardIdentity>::error(result.diagnostics);
    if (!shard.hasValue()) {
        for (const Diagnostic &d : shard.diagnostics)
            std::cerr << d.format() << "\n";
        if (shard.diagnostics.empty())
            std::cerr << path << ": " << shard.message << "\n";
        return std::nullopt;
    }
    return ShardPart{path, *shard.value, std::move(*result.value)};
}

// The merged result's own sections: the whole search's fingerprint (what an unsharded search
// of the project carries), its shard (1/1) and, after --allow-missing, what it lacks.
std::string mergedExtraJson(const MergedShards &merged)
{
    std::string missing = "[";
    for (std::size_t i = 0; i < merged.missingCandidates.size(); ++i)
        missing += (i ? "," : "") + std::to_string(merged.missingCandidates[i]);
    missing += "]";
    return withShardSection("{\"missing_candidates\":" + missing + "}", merged.whole,
                            merged.whole.search);
}

} // namespace

int runMerge(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--allow-missing"}, {}, {"--json", "--csv"});
    if (!parsed.ok() || parsed.positional().empty() || !parsed.value("--json")) {
        std::cerr << "usage: phaze merge PART.json... --json OUT|- [--csv OUT|-] [--allow-missing]"
                  << (parsed.ok() ? "" : "\nerror: " + parsed.error()) << "\n";
        return kExitBadInput;
    }
    std::vector<ShardPart> parts;
    for (const std::string &path : parsed.positional()) {
        std::optional<ShardPart> part = readPart(path);
        if (!part)
            return kExitBadInput;
        parts.push_back(std::move(*part));
    }
    Result<MergedShards> merged = mergeShards(std::move(parts), parsed.has("--allow-missing"));
    if (!merged.hasValue()) {
        std::cerr << "phaze merge: " << merged.message << "\n";
        return kExitBadInput;
    }
    for (const std::string &w : merged.value->warnings)
        std::cerr << "warning: --allow-missing: " << w << "\n";
    if (!merged.value->missingCandidates.empty())
        std::cerr << "warning: the merged result lacks "
                  << describeCandidates(merged.value->missingCandidates)
                  << " (listed in its missing_candidates)\n";
    CodesignResult result;
    result.search = std::move(merged.value->result);
    parsed.humanOutput() << result.summary();
    if (const int rc = writeOutputs(result, parsed.value("--json"), parsed.value("--csv"), {},
                                    mergedExtraJson(*merged.value));
        rc != kExitOk)
        return rc;
    return result.search.best ? kExitOk : kExitInfeasible;
}

} // namespace phaze::cli
