// `phaze status JOURNAL...|DIR`: how far a (distributed) search is while its shards run, as
// core/io/shardstatus.h reads it from the journals and their progress files (the workbench's
// shard view reads the same).

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "app/cli/outputfile.h"
#include "core/io/jsontext.h"
#include "core/io/searchjson.h"
#include "core/io/shardstatus.h"

namespace phaze::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string samplesText(double throughput)
{
    char text[40];
    std::snprintf(text, sizeof text, "%.2f samples/s", throughput);
    return text;
}

std::string etaText(std::optional<double> seconds)
{
    if (!seconds)
        return "unknown";
    char text[40];
    std::snprintf(text, sizeof text, "%.0f s", *seconds);
    return text;
}

void printStatus(std::ostream &out, const ShardSetStatus &s)
{
    for (const ShardView &v : s.shards) {
        const ShardProgress *p = v.progress ? &*v.progress : nullptr;
        out << (p ? "shard " + std::to_string(p->shard.index) + "/" +
                        std::to_string(p->shard.count)
                  : std::string("journal"))
            << "  " << v.journal << ": ";
        if (p)
            out << v.done << "/" << v.total << " done";
        else
            out << v.evaluations.size() << " evaluated (no progress file: total and pruned unknown)";
        out << " (" << v.pruned << " pruned, " << v.infeasible << " infeasible), best "
            << (v.best ? samplesText(v.best->throughput) : std::string("none"))
            << (v.finished() ? ", finished" : ", ETA " + etaText(v.eta)) << "\n";
    }
    if (!s.notStarted.empty()) {
        out << "not started (no journal given):";
        for (int i : s.notStarted)
            out << " shard " << i << "/" << s.split->count;
        out << "\n";
    }
    out << "all: " << s.done << "/" << s.total << " done (" << s.pruned << " pruned, "
        << s.infeasible << " infeasible), " << s.finished << " of " << s.shardCount
        << " shards finished, best "
        << (s.best ? samplesText(s.best->throughput) + " (candidate " +
                         std::to_string(s.best->candidate) + ", " +
                         s.shards[std::size_t(s.bestShard)].journal + ")"
                   : std::string("none"))
        << ", ETA " << etaText(s.eta) << "\n";
}

Json optionalNumber(std::optional<double> v)
{
    return v ? Json(*v) : Json(nullptr);
}

std::string statusJson(const ShardSetStatus &s)
{
    Json perShard = Json::array();
    for (const ShardView &v : s.shards)
        perShard.push_back(
            {{"journal", v.journal},
             {"index", v.progress ? Json(v.progress->shard.index) : Json(nullptr)},
             {"done", v.done},
             {"total", v.total},
             {"evaluated", v.evaluations.size()},
             {"pruned", v.pruned},
             {"infeasible", v.infeasible},
             {"finished", v.finished()},
             {"best", optionalNumber(v.best ? std::optional(v.best->throughput) : std::nullopt)},
             {"eta_s", optionalNumber(v.eta)}});
    const Json out = {{"format", "phaze-search-status"},
                      {"done", s.done},
                      {"total", s.total},
                      {"evaluated", s.evaluated},
                      {"pruned", s.pruned},
                      {"infeasible", s.infeasible},
                      {"shards_finished", s.finished},
                      {"shard_count", s.shardCount},
                      {"best", s.best ? Json::parse(evaluationToJson(*s.best)) : Json(nullptr)},
                      {"eta_s", optionalNumber(s.eta)},
                      {"not_started", s.notStarted},
                      {"shards", perShard}};
    return dumpOrderedJson(out) + "\n";
}

} // namespace

int runStatus(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {}, {}, {"--json"});
    const std::vector<std::string> journals = journalsIn(parsed.positional());
    if (!parsed.ok() || journals.empty()) {
        std::cerr << "usage: phaze status JOURNAL.jsonl...|DIR [--json OUT|-]"
                  << (parsed.ok() ? (parsed.positional().empty() ? ""
                                                                 : "\nerror: no journal (*.jsonl) found")
                                  : "\nerror: " + parsed.error())
                  << "\n";
        return kExitBadInput;
    }
    const Result<ShardSetStatus> status = readShardSet(journals);
    if (!status.ok()) {
        for (const Diagnostic &d : status.diagnostics)
            std::cerr << d.format() << "\n";
        if (status.diagnostics.empty())
            std::cerr << "phaze status: " << status.message << "\n";
        return kExitBadInput;
    }
    printStatus(parsed.humanOutput(), *status.value);
    if (auto json = parsed.value("--json")) {
        if (const Outcome e = writeOutput(*json, statusJson(*status.value)); !e.ok()) {
            std::cerr << e.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

} // namespace phaze::cli
