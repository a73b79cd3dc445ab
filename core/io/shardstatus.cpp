#include "core/io/shardstatus.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/base/progress.h"
#include "core/io/documenttext.h"
#include "core/io/searchjson.h"
#include "core/search/searchdriver.h"

namespace phaze {
namespace {

constexpr std::uintmax_t kMaxProgressBytes = 1 << 20;

// The split the progress files name, and each shard's place in the list; Error when two
// journals are of different searches or splits, or are the same shard.
Outcome indexShards(ShardSetStatus &status, std::map<int, std::size_t> &byIndex)
{
    for (std::size_t i = 0; i < status.shards.size(); ++i) {
        const ShardView &s = status.shards[i];
        if (!s.progress)
            continue;
        const ShardIdentity &id = s.progress->shard;
        if (status.split && (status.split->search != id.search || status.split->count != id.count))
            return Outcome::error(s.journal +
                                  " is a shard of another search or split than the journals "
                                  "before it");
        status.split = id;
        if (auto [it, fresh] = byIndex.emplace(id.index, i); !fresh)
            return Outcome::error(status.shards[it->second].journal + " and " + s.journal +
                                  " are both shard " + std::to_string(id.index) + "/" +
                                  std::to_string(id.count));
    }
    return done();
}

void summarize(ShardSetStatus &s, const std::map<int, std::size_t> &byIndex)
{
    double eta = 0.0;
    bool etaKnown = true;
    for (std::size_t i = 0; i < s.shards.size(); ++i) {
        const ShardView &v = s.shards[i];
        s.done += v.done;
        s.total += v.total;
        s.pruned += v.pruned;
        s.infeasible += (long long)v.infeasible;
        s.evaluated += (long long)v.evaluations.size();
        s.finished += v.finished() ? 1 : 0;
        if (v.best && (!s.best || betterEvaluation(*v.best, *s.best))) {
            s.best = v.best;
            s.bestShard = int(i);
        }
        etaKnown = etaKnown && v.eta.has_value();
        eta = std::max(eta, v.eta.value_or(0.0));
    }
    if (s.split)
        for (int i = 1; i <= s.split->count; ++i)
            if (!byIndex.count(i))
                s.notStarted.push_back(i);
    if (etaKnown && s.notStarted.empty())
        s.eta = eta;
    s.total = s.split ? (long long)s.split->candidates : s.total;
    s.shardCount = s.split ? s.split->count : int(s.shards.size());
}

} // namespace

std::vector<std::string> journalsIn(const std::vector<std::string> &paths)
{
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const std::string &a : paths) {
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

Result<ShardView> readShardView(const std::string &journal)
{
    ShardView view;
    view.journal = journal;
    // A shard that has just started may not have written its header line yet: nothing done.
    const SearchJournal::State state = SearchJournal::inspect(journal);
    view.fingerprint = state.fingerprint;
    std::vector<Evaluation> evaluations;
    if (!state.exists || state.hasHeader) {
        Result<std::vector<Evaluation>> read = SearchJournal::readAnySearch(journal);
        if (!read.ok())
            return Result<ShardView>::error(std::move(read.diagnostics), std::move(read.message));
        evaluations = std::move(*read.value);
    }
    std::set<std::size_t> seen;
    for (Evaluation &e : evaluations) {
        if (!seen.insert(e.candidate).second)
            continue;
        if (!e.feasible())
            ++view.infeasible;
        else if (!view.best || betterEvaluation(e, *view.best))
            view.best = e;
        view.evaluations.push_back(std::move(e));
    }
    if (const std::optional<std::string> text =
            readFileText(progressPathOf(journal), kMaxProgressBytes))
        view.progress = shardProgressFromJson(*text);
    if (const ShardProgress *p = view.progress ? &*view.progress : nullptr) {
        view.pruned = p->pruned;
        view.total = p->total;
        view.done = std::min(view.total, (long long)view.evaluations.size() + view.pruned);
        view.eta = p->finished ? std::optional(0.0)
                               : remainingSeconds(view.done, view.total, view.pruned,
                                                  p->elapsedSeconds);
    }
    return Result<ShardView>::optimal(std::move(view));
}

Result<ShardSetStatus> summarizeShards(std::vector<ShardView> shards)
{
    using R = Result<ShardSetStatus>;
    ShardSetStatus status;
    status.shards = std::move(shards);
    std::map<int, std::size_t> byIndex;
    if (const Outcome indexed = indexShards(status, byIndex); !indexed.ok())
        return R::error(indexed.message);
    summarize(status, byIndex);
    return R::optimal(std::move(status));
}

Result<ShardSetStatus> readShardSet(const std::vector<std::string> &journals)
{
    std::vector<ShardView> shards;
    for (const std::string &j : journals) {
        Result<ShardView> view = readShardView(j);
        if (!view.ok())
            return Result<ShardSetStatus>::error(std::move(view.diagnostics),
                                                 std::move(view.message));
        shards.push_back(std::move(*view.value));
    }
    return summarizeShards(std::move(shards));
}

std::vector<Evaluation> mergedEvaluations(const ShardSetStatus &status)
{
    std::map<std::size_t, const Evaluation *> byCandidate;
    for (const ShardView &s : status.shards)
        for (const Evaluation &e : s.evaluations)
            byCandidate.emplace(e.candidate, &e);
    std::vector<Evaluation> out;
    out.reserve(byCandidate.size());
    for (const auto &[candidate, e] : byCandidate)
        out.push_back(*e);
    return out;
}

} // namespace phaze
