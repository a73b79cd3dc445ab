#pragma once

// How far a (distributed) search is while its shards run, read from the files they write: each
// shard's journal (what it evaluated: infeasible, best so far) and the progress file beside it
// (JOURNAL.progress: the shard's size, what was pruned and its rate). Shards of the split that
// have no journal yet are named as not started. `phaze status` prints it; the workbench shows
// a shard set as one search, live, from the same reading.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/search/searchtypes.h"
#include "core/search/shardmerge.h"
#include "core/io/shardjson.h"

namespace phaze {

// One shard (or one unsharded search) as its journal and progress file tell it.
struct ShardView {
    std::string journal;
    std::string fingerprint; // of the journal's header: the shard's own search
    std::optional<ShardProgress> progress;
    // Each candidate once (a resumed journal may repeat one), in journal order.
    std::vector<Evaluation> evaluations;
    std::size_t infeasible = 0;
    std::optional<Evaluation> best;
    // From the progress file (0 without one); done counts the journal's evaluations.
    long long done = 0, total = 0, pruned = 0;
    std::optional<double> eta;
    bool finished() const { return progress && progress->finished; }
};

// The shards together: one search of one split, running side by side (the whole ends with its
// slowest shard).
struct ShardSetStatus {
    std::vector<ShardView> shards;      // in the order of the journals given
    std::optional<ShardIdentity> split; // the split the progress files name
    long long done = 0, total = 0, pruned = 0, infeasible = 0, evaluated = 0;
    int finished = 0, shardCount = 0;
    std::optional<Evaluation> best;
    int bestShard = -1; // index into shards
    std::optional<double> eta;
    std::vector<int> notStarted; // 1-based shards of the split without a journal

    // Every shard of the split has a journal and has finished.
    bool complete() const { return shardCount > 0 && finished == shardCount && notStarted.empty(); }
};

// The journals (*.jsonl) among paths: a folder stands for the journals in it, sorted.
std::vector<std::string> journalsIn(const std::vector<std::string> &paths);

// Reads one journal and its progress file. A journal whose header is not written yet counts as
// nothing done. Error with the located diagnostics when it is not a journal.
Result<ShardView> readShardView(const std::string &journal);

// Sums the shards up. Error naming the journals when two are of different searches or splits,
// or are the same shard.
Result<ShardSetStatus> summarizeShards(std::vector<ShardView> shards);

// Reads every journal and sums them up. Error naming the files when a journal is unreadable,
// when two are of different searches or splits, or when two are the same shard.
Result<ShardSetStatus> readShardSet(const std::vector<std::string> &journals);

// Every shard's evaluations, each candidate once, by candidate index.
std::vector<Evaluation> mergedEvaluations(const ShardSetStatus &status);

} // namespace phaze
