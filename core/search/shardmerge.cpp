#include "core/search/shardmerge.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/search/searchdriver.h"

namespace phaze {
namespace {

std::string shardName(const ShardIdentity &s)
{
    return "shard " + std::to_string(s.index) + "/" + std::to_string(s.count);
}

// The parts must be of one search and one split, each shard at most once.
std::string checkConsistent(const std::vector<ShardPart> &parts)
{
    const ShardPart &first = parts.front();
    std::map<int, const ShardPart *> byIndex;
    for (const ShardPart &p : parts) {
        if (p.shard.search != first.shard.search || p.shard.candidates != first.shard.candidates)
            return first.file + " and " + p.file +
                   " are parts of different searches (search fingerprints " + first.shard.search +
                   " and " + p.shard.search + ", " + std::to_string(first.shard.candidates) +
                   " and " + std::to_string(p.shard.candidates) +
                   " candidates): the project or its candidate list differ";
        if (p.shard.count != first.shard.count)
            return first.file + " is " + shardName(first.shard) + " but " + p.file + " is " +
                   shardName(p.shard) +
                   ": parts of different splits of one search overlap; merge the parts of one "
                   "split";
        if (p.shard.index < 1 || p.shard.index > p.shard.count)
            return p.file + ": shard.index " + std::to_string(p.shard.index) +
                   " is outside 1.." + std::to_string(p.shard.count);
        if (auto [it, fresh] = byIndex.emplace(p.shard.index, &p); !fresh)
            return it->second->file + " and " + p.file + " are both " + shardName(p.shard) +
                   ": overlapping parts (the same shard twice, e.g. a copy or a rerun)";
    }
    return {};
}

// What a part lacks: the shard's candidates neither evaluated nor counted as pruned or skipped.
// Empty for a finished shard.
std::vector<std::size_t> notSearched(const ShardPart &p, const std::vector<std::size_t> &owned)
{
    const SearchResult &r = p.result;
    const bool finished = r.status == Status::Optimal || r.status == Status::Infeasible;
    if (finished && r.counts.total == owned.size() &&
        r.evaluations.size() + r.counts.pruned + r.counts.skipped == owned.size())
        return {};
    std::set<std::size_t> evaluated;
    for (const Evaluation &e : r.evaluations)
        evaluated.insert(e.candidate);
    std::vector<std::size_t> out;
    for (std::size_t c : owned)
        if (!evaluated.count(c))
            out.push_back(c);
    return out;
}

} // namespace

std::string describeCandidates(const std::vector<std::size_t> &candidates, std::size_t limit)
{
    std::string out;
    for (std::size_t i = 0; i < candidates.size() && i < limit; ++i)
        out += (i ? ", " : "") + std::to_string(candidates[i]);
    if (candidates.size() > limit)
        out += ", ...";
    return out + " (" + std::to_string(candidates.size()) +
           (candidates.size() == 1 ? " candidate)" : " candidates)");
}

Result<MergedShards> mergeShards(std::vector<ShardPart> parts, bool allowMissing)
{
    using R = Result<MergedShards>;
    if (parts.empty())
        return R::error("no parts to merge");
    if (std::string bad = checkConsistent(parts); !bad.empty())
        return R::error(bad);
    MergedShards out;
    out.whole = parts.front().shard;
    out.whole.index = 1;
    out.whole.count = 1;
    const int count = parts.front().shard.count;
    const std::size_t candidates = parts.front().shard.candidates;

    std::map<int, ShardPart *> byIndex;
    for (ShardPart &p : parts)
        byIndex[p.shard.index] = &p;
    std::vector<std::string> problems;
    SearchResult &merged = out.result;
    merged.counts.total = candidates;
    // Exact only when every part pruned by the exact-fronts rule (a missing part's candidates
    // make the fronts partial anyway: frontIsExact checks the counts).
    merged.exactFronts = true;
    for (int index = 1; index <= count; ++index) {
        const std::vector<std::size_t> owned = shardIndices(candidates, index - 1, count);
        const std::string name = "shard " + std::to_string(index) + "/" + std::to_string(count);
        auto it = byIndex.find(index);
        if (it == byIndex.end()) {
            out.missingShards.push_back(index);
            out.missingCandidates.insert(out.missingCandidates.end(), owned.begin(), owned.end());
            problems.push_back(name + " is missing (no part given: its task failed or has not "
                                      "finished): candidates " +
                               describeCandidates(owned));
            continue;
        }
        ShardPart &p = *it->second;
        const std::set<std::size_t> mine(owned.begin(), owned.end());
        for (const Evaluation &e : p.result.evaluations)
            if (!mine.count(e.candidate))
                return R::error(p.file + ": candidate " + std::to_string(e.candidate) +
                                " is not in " + name + " of " + std::to_string(candidates) +
                                " candidates: the part was not written by phaze search --shard " +
                                std::to_string(index) + "/" + std::to_string(count));
        if (const std::vector<std::size_t> lacking = notSearched(p, owned); !lacking.empty()) {
            out.missingShards.push_back(index);
            out.missingCandidates.insert(out.missingCandidates.end(), lacking.begin(),
                                         lacking.end());
            problems.push_back(p.file + ": " + name + " is incomplete (status " +
                               std::string(statusName(p.result.status)) +
                               (p.result.message.empty() ? "" : ": " + p.result.message) +
                               "): not searched: candidates " + describeCandidates(lacking) +
                               "; continue it from its journal with --resume");
        }
        merged.evaluations.insert(merged.evaluations.end(), p.result.evaluations.begin(),
                                  p.result.evaluations.end());
        merged.counts.evaluated += p.result.counts.evaluated;
        merged.counts.pruned += p.result.counts.pruned;
        merged.counts.infeasible += p.result.counts.infeasible;
        merged.counts.resumed += p.result.counts.resumed;
        merged.counts.skipped += p.result.counts.skipped;
        merged.elapsedSeconds = std::max(merged.elapsedSeconds, p.result.elapsedSeconds);
        merged.exactFronts = merged.exactFronts && p.result.exactFronts;
    }
    std::sort(out.missingCandidates.begin(), out.missingCandidates.end());
    if (!problems.empty() && !allowMissing) {
        std::string message = "the parts are not a complete search:";
        for (const std::string &p : problems)
            message += "\n  " + p;
        return R::error(message + "\nmerge anyway with --allow-missing (the result then lacks "
                                  "these candidates and says so)");
    }
    out.warnings = std::move(problems);
    std::sort(merged.evaluations.begin(), merged.evaluations.end(),
              [](const Evaluation &a, const Evaluation &b) { return a.candidate < b.candidate; });
    finishResult(merged);
    return R::optimal(std::move(out));
}

} // namespace phaze
