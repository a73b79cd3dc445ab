// `phaze status JOURNAL...|DIR`: how far a (distributed) search is while its shards run. Each
// shard's journal gives what it evaluated (infeasible, best so far); the progress file beside it
// (JOURNAL.progress, written by phaze search) gives the shard's size, what was pruned and its
// rate. Shards of the split that have no journal yet are named as not started.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "app/cli/outputfile.h"
#include "core/base/progress.h"
#include "core/io/documenttext.h"
#include "core/io/jsontext.h"
#include "core/io/searchjson.h"
#include "core/io/shardjson.h"
#include "core/search/searchdriver.h"

namespace phaze::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::uintmax_t kMaxProgressBytes = 1 << 20;

// One shard as its journal and progress file tell it.
struct ShardView {
    std::string journal;
    std::optional<ShardProgress> progress;
    std::size_t evaluated = 0, infeasible = 0;
    std::optional<Evaluation> best;
    // From the progress file (0 without one), evaluated counted from the journal.
    long long done = 0, total = 0, pruned = 0;
    std::optional<double> eta;
    bool finished() const { return progress && progress->finished; }
};

// The complete evaluation lines of a journal of any search (a partial last line is being
// written), and the progress file beside it when there is one.
std::optional<ShardView> readShard(const std::string &journal)
{
    ShardView view;
    view.journal = journal;
    // A shard that has just started may not have written its header line yet: nothing done.
    const SearchJournal::State state = SearchJournal::inspect(journal);
    std::vector<Evaluation> evaluations;
    if (!state.exists || state.hasHeader) {
        Result<std::vector<Evaluation>> read = SearchJournal::readAnySearch(journal);
        if (!read.ok()) {
            for (const Diagnostic &d : read.diagnostics)
                std::cerr << d.format() << "\n";
            return std::nullopt;
        }
        evaluations = std::move(*read.value);
    }
    std::set<std::size_t> seen;
    for (const Evaluation &e : evaluations) {
        if (!seen.insert(e.candidate).second)
            continue;
        ++view.evaluated;
        if (!e.feasible())
            ++view.infeasible;
        else if (!view.best || betterEvaluation(e, *view.best))
            view.best = e;
    }
    if (const std::optional<std::string> text =
            readFileText(progressPathOf(journal), kMaxProgressBytes))
        view.progress = shardProgressFromJson(*text);
    if (const ShardProgress *p = view.progress ? &*view.progress : nullptr) {
        view.pruned = p->pruned;
        view.total = p->total;
        view.done = std::min(view.total, (long long)view.evaluated + view.pruned);
        view.eta = p->finished ? std::optional(0.0)
                               : remainingSeconds(view.done, view.total, p->elapsedSeconds);
    }
    return view;
}

std::vector<std::string> journalsOf(const std::vector<std::string> &args)
{
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const std::string &a : args) {
        std::error_code ec;
        if (!fs::is_directory(a, ec)) {
            out.push_back(a);
            continue;
        }
        std::vector<std::string> found;
        for (const fs::directory_entry &entry : fs::directory_iterator(a, ec))
            if (entry.path().extension() == ".jsonl")
                found.push_back(entry.path().string());
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

// The shards together: one search of one split, running side by side (the whole ends with its
// slowest shard).
struct StatusSummary {
    long long done = 0, total = 0, pruned = 0, infeasible = 0, evaluated = 0;
    int finished = 0, shardCount = 0;
    std::optional<Evaluation> best;
    const ShardView *bestShard = nullptr;
    std::optional<double> eta;
    std::vector<int> notStarted;
};

// The split the progress files name; Error when two journals are of different searches or
// splits, or are the same shard.
Result<std::map<int, const ShardView *>> shardsByIndex(const std::vector<ShardView> &shards,
                                                       std::optional<ShardIdentity> &split)
{
    using R = Result<std::map<int, const ShardView *>>;
    std::map<int, const ShardView *> byIndex;
    for (const ShardView &s : shards) {
        if (!s.progress)
            continue;
        const ShardIdentity &id = s.progress->shard;
        if (split && (split->search != id.search || split->count != id.count))
            return R::error("phaze status: " + s.journal +
                            " is a shard of another search or split than the journals before it");
        split = id;
        if (auto [it, fresh] = byIndex.emplace(id.index, &s); !fresh)
            return R::error("phaze status: " + it->second->journal + " and " + s.journal +
                            " are both shard " + std::to_string(id.index) + "/" +
                            std::to_string(id.count));
    }
    return R::optimal(std::move(byIndex));
}

StatusSummary summarize(const std::vector<ShardView> &shards,
                        const std::optional<ShardIdentity> &split,
                        const std::map<int, const ShardView *> &byIndex)
{
    StatusSummary s;
    double eta = 0.0;
    bool etaKnown = true;
    for (const ShardView &v : shards) {
        s.done += v.done;
        s.total += v.total;
        s.pruned += v.pruned;
        s.infeasible += (long long)v.infeasible;
        s.evaluated += (long long)v.evaluated;
        s.finished += v.finished() ? 1 : 0;
        if (v.best && (!s.best || betterEvaluation(*v.best, *s.best))) {
            s.best = v.best;
            s.bestShard = &v;
        }
        etaKnown = etaKnown && v.eta.has_value();
        eta = std::max(eta, v.eta.value_or(0.0));
    }
    if (split)
        for (int i = 1; i <= split->count; ++i)
            if (!byIndex.count(i))
                s.notStarted.push_back(i);
    if (etaKnown && s.notStarted.empty())
        s.eta = eta;
    s.total = split ? (long long)split->candidates : s.total;
    s.shardCount = split ? split->count : int(shards.size());
    return s;
}

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

void printStatus(std::ostream &out, const std::vector<ShardView> &shards,
                 const std::optional<ShardIdentity> &split, const StatusSummary &s)
{
    for (const ShardView &v : shards) {
        const ShardProgress *p = v.progress ? &*v.progress : nullptr;
        out << (p ? "shard " + std::to_string(p->shard.index) + "/" +
                        std::to_string(p->shard.count)
                  : std::string("journal"))
            << "  " << v.journal << ": ";
        if (p)
            out << v.done << "/" << v.total << " done";
        else
            out << v.evaluated << " evaluated (no progress file: total and pruned unknown)";
        out << " (" << v.pruned << " pruned, " << v.infeasible << " infeasible), best "
            << (v.best ? samplesText(v.best->throughput) : std::string("none"))
            << (v.finished() ? ", finished" : ", ETA " + etaText(v.eta)) << "\n";
    }
    if (!s.notStarted.empty()) {
        out << "not started (no journal given):";
        for (int i : s.notStarted)
            out << " shard " << i << "/" << split->count;
        out << "\n";
    }
    out << "all: " << s.done << "/" << s.total << " done (" << s.pruned << " pruned, "
        << s.infeasible << " infeasible), " << s.finished << " of " << s.shardCount
        << " shards finished, best "
        << (s.best ? samplesText(s.best->throughput) + " (candidate " +
                         std::to_string(s.best->candidate) + ", " + s.bestShard->journal + ")"
                   : std::string("none"))
        << ", ETA " << etaText(s.eta) << "\n";
}

Json optionalNumber(std::optional<double> v)
{
    return v ? Json(*v) : Json(nullptr);
}

std::string statusJson(const std::vector<ShardView> &shards, const StatusSummary &s)
{
    Json perShard = Json::array();
    for (const ShardView &v : shards)
        perShard.push_back(
            {{"journal", v.journal},
             {"index", v.progress ? Json(v.progress->shard.index) : Json(nullptr)},
             {"done", v.done},
             {"total", v.total},
             {"evaluated", v.evaluated},
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
    const std::vector<std::string> journals = journalsOf(parsed.positional());
    if (!parsed.ok() || journals.empty()) {
        std::cerr << "usage: phaze status JOURNAL.jsonl...|DIR [--json OUT|-]"
                  << (parsed.ok() ? (parsed.positional().empty() ? ""
                                                                 : "\nerror: no journal (*.jsonl) found")
                                  : "\nerror: " + parsed.error())
                  << "\n";
        return kExitBadInput;
    }
    std::vector<ShardView> shards;
    for (const std::string &j : journals) {
        std::optional<ShardView> view = readShard(j);
        if (!view)
            return kExitBadInput;
        shards.push_back(std::move(*view));
    }
    std::optional<ShardIdentity> split;
    const Result<std::map<int, const ShardView *>> byIndex = shardsByIndex(shards, split);
    if (!byIndex.ok()) {
        std::cerr << byIndex.message << "\n";
        return kExitBadInput;
    }
    const StatusSummary summary = summarize(shards, split, *byIndex.value);
    printStatus(parsed.humanOutput(), shards, split, summary);
    if (auto json = parsed.value("--json")) {
        if (const Outcome e = writeOutput(*json, statusJson(shards, summary)); !e.ok()) {
            std::cerr << e.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

} // namespace phaze::cli
