// `phaze status JOURNAL...|DIR`: how far a (distributed) search is while its shards run. Each
// shard's journal gives what it evaluated (infeasible, best so far); the progress file beside it
// (JOURNAL.progress, written by phaze search) gives the shard's size, what was pruned and its
// rate. Shards of the split that have no journal yet are named as not started.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/io/searchjson.h"
#include "core/io/shardjson.h"
#include "core/search/searchdriver.h"

namespace phaze::cli {
namespace {

struct ShardView {
    std::string journal;
    std::optional<ShardProgress> progress;
    std::size_t evaluated = 0, infeasible = 0;
    std::optional<Evaluation> best;
};

std::string readText(const std::string &path, bool &ok)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    ok = bool(in);
    return text.str();
}

// The complete evaluation lines of a journal (a partial last line is being written).
std::optional<ShardView> readShard(const std::string &journal)
{
    bool ok = false;
    const std::string text = readText(journal, ok);
    if (!ok) {
        std::cerr << journal << ": cannot read the journal\n";
        return std::nullopt;
    }
    ShardView view;
    view.journal = journal;
    std::set<std::size_t> seen;
    std::istringstream lines(text.substr(0, text.rfind('\n') == std::string::npos
                                                ? 0
                                                : text.rfind('\n') + 1));
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (number == 1) {
            if (line.find("\"phaze_journal\"") == std::string::npos) {
                std::cerr << journal << ":1: not a phaze search journal\n";
                return std::nullopt;
            }
            continue;
        }
        std::optional<Evaluation> e = evaluationFromJson(line);
        if (!e) {
            std::cerr << journal << ":" << number << ": not a journal line\n";
            return std::nullopt;
        }
        if (!seen.insert(e->candidate).second)
            continue;
        ++view.evaluated;
        if (!e->feasible())
            ++view.infeasible;
        else if (!view.best || betterEvaluation(*e, *view.best))
            view.best = std::move(*e);
    }
    bool progressOk = false;
    const std::string progress = readText(progressPathOf(journal), progressOk);
    if (progressOk)
        view.progress = shardProgressFromJson(progress);
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

std::string formatEta(std::optional<double> seconds)
{
    if (!seconds)
        return "unknown";
    char text[40];
    std::snprintf(text, sizeof text, "%.0f s", *seconds);
    return text;
}

std::string jsonString(const std::string &text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if ((unsigned char)c < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string jsonNumber(std::optional<double> v)
{
    if (!v || !std::isfinite(*v))
        return "null";
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", *v);
    return text;
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
    // One search, one split: the progress files say which.
    std::optional<ShardIdentity> split;
    std::map<int, const ShardView *> byIndex;
    for (const ShardView &s : shards) {
        if (!s.progress)
            continue;
        const ShardIdentity &id = s.progress->shard;
        if (split && (split->search != id.search || split->count != id.count)) {
            std::cerr << "phaze status: " << s.journal
                      << " is a shard of another search or split than the journals before it\n";
            return kExitBadInput;
        }
        split = id;
        if (auto [it, fresh] = byIndex.emplace(id.index, &s); !fresh) {
            std::cerr << "phaze status: " << it->second->journal << " and " << s.journal
                      << " are both shard " << id.index << "/" << id.count << "\n";
            return kExitBadInput;
        }
    }

    std::ostream &out = parsed.humanOutput();
    long long done = 0, total = 0, pruned = 0, infeasible = 0, evaluated = 0;
    std::optional<Evaluation> best;
    const ShardView *bestShard = nullptr;
    // The shards run side by side: the whole search ends with its slowest shard. (Two plain
    // variables: GCC 12 misreads an optional<double> here as maybe uninitialised.)
    double eta = 0.0;
    bool etaKnown = true;
    int finished = 0;
    std::string shardsJson;
    for (const ShardView &s : shards) {
        const ShardProgress *p = s.progress ? &*s.progress : nullptr;
        const long long shardPruned = p ? p->pruned : 0;
        const long long shardTotal = p ? p->total : 0;
        const long long shardDone = std::min(shardTotal, (long long)s.evaluated + shardPruned);
        std::optional<double> shardEta;
        if (p && p->finished)
            shardEta = 0.0;
        else if (p && shardDone > 0 && p->elapsedSeconds > 0)
            shardEta = p->elapsedSeconds * double(shardTotal - shardDone) / double(shardDone);
        done += shardDone;
        total += shardTotal;
        pruned += shardPruned;
        infeasible += (long long)s.infeasible;
        evaluated += (long long)s.evaluated;
        finished += p && p->finished ? 1 : 0;
        if (s.best && (!best || betterEvaluation(*s.best, *best))) {
            best = s.best;
            bestShard = &s;
        }
        etaKnown = etaKnown && shardEta.has_value();
        if (shardEta)
            eta = std::max(eta, *shardEta);
        const std::string name =
            p ? "shard " + std::to_string(p->shard.index) + "/" + std::to_string(p->shard.count)
              : "journal";
        out << name << "  " << s.journal << ": ";
        if (p)
            out << shardDone << "/" << shardTotal << " done";
        else
            out << s.evaluated << " evaluated (no progress file: total and pruned unknown)";
        out << " (" << shardPruned << " pruned, " << s.infeasible << " infeasible), best "
            << (s.best ? jsonNumber(s.best->throughput) + " samples/s" : std::string("none"))
            << (p && p->finished ? ", finished" : ", ETA " + formatEta(shardEta)) << "\n";
        shardsJson += std::string(shardsJson.empty() ? "" : ",") + "{\"journal\":" + jsonString(s.journal) +
                      ",\"index\":" + (p ? std::to_string(p->shard.index) : "null") +
                      ",\"done\":" + std::to_string(shardDone) +
                      ",\"total\":" + std::to_string(shardTotal) +
                      ",\"evaluated\":" + std::to_string(s.evaluated) +
                      ",\"pruned\":" + std::to_string(shardPruned) +
                      ",\"infeasible\":" + std::to_string(s.infeasible) +
                      ",\"finished\":" + (p && p->finished ? "true" : "false") +
                      ",\"best\":" + jsonNumber(s.best ? std::optional(s.best->throughput)
                                                       : std::nullopt) +
                      ",\"eta_s\":" + jsonNumber(shardEta) + "}";
    }
    std::vector<int> notStarted;
    if (split)
        for (int i = 1; i <= split->count; ++i)
            if (!byIndex.count(i))
                notStarted.push_back(i);
    if (!notStarted.empty()) {
        etaKnown = false;
        out << "not started (no journal given):";
        for (int i : notStarted)
            out << " shard " << i << "/" << split->count;
        out << "\n";
    }
    const long long expected = split ? (long long)split->candidates : total;
    out << "all: " << done << "/" << expected << " done (" << pruned << " pruned, " << infeasible
        << " infeasible), " << finished << " of " << (split ? split->count : int(shards.size()))
        << " shards finished, best "
        << (best ? jsonNumber(best->throughput) + " samples/s (candidate " +
                       std::to_string(best->candidate) + ", " + bestShard->journal + ")"
                 : std::string("none"))
        << ", ETA " << formatEta(etaKnown ? std::optional(eta) : std::nullopt) << "\n";
    if (auto json = parsed.value("--json")) {
        std::string notStartedJson;
        for (int i : notStarted)
            notStartedJson += (notStartedJson.empty() ? "" : ",") + std::to_string(i);
        const std::string text =
            "{\"format\":\"phaze-search-status\",\"done\":" + std::to_string(done) +
            ",\"total\":" + std::to_string(expected) + ",\"evaluated\":" +
            std::to_string(evaluated) + ",\"pruned\":" + std::to_string(pruned) +
            ",\"infeasible\":" + std::to_string(infeasible) + ",\"shards_finished\":" +
            std::to_string(finished) + ",\"shard_count\":" +
            std::to_string(split ? split->count : int(shards.size())) + ",\"best\":" +
            (best ? evaluationToJson(*best) : std::string("null")) + ",\"eta_s\":" +
            jsonNumber(etaKnown ? std::optional(eta) : std::nullopt) + ",\"not_started\":[" + notStartedJson + "],\"shards\":[" +
            shardsJson + "]}\n";
        if (const Outcome e = writeOutput(*json, text); !e.ok()) {
            std::cerr << e.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

} // namespace phaze::cli
