#pragma once

// The shard sections of `phaze search --shard I/N` output: the "shard" object of a result
// (which part of which search it holds, read back by `phaze merge`) and the progress file
// beside a shard's journal (JOURNAL.progress, read by `phaze status` while the shard runs).

#include <optional>
#include <string>

#include "core/base/status.h"
#include "core/search/shardmerge.h"

namespace phaze {

// {"search": ..., "index": I, "count": N, "candidates": ...}
std::string shardIdentityJson(const ShardIdentity &shard);
// A codesign extra-JSON object text (codesignExtraJson) with "shard" added, and "fingerprint"
// too when `fingerprint` is not empty.
std::string withShardSection(const std::string &extraJson, const ShardIdentity &shard,
                             const std::string &fingerprint = {});
// The "shard" section of a result file; Error naming the file and field when it is absent
// (a result of an older phaze) or malformed.
Result<ShardIdentity> shardIdentityFromResultJson(const std::string &text, const std::string &file);

// How far one shard's search is, as its progress reports say (what the journal's lines alone
// cannot tell: the shard's size and what was pruned).
struct ShardProgress {
    ShardIdentity shard;
    long long total = 0; // candidates in this shard
    long long done = 0;  // evaluated + pruned
    long long pruned = 0;
    std::optional<double> best;
    double elapsedSeconds = 0.0; // of this run (a resumed run starts at 0)
    bool finished = false;
};

std::string shardProgressJson(const ShardProgress &progress);
std::optional<ShardProgress> shardProgressFromJson(const std::string &text);
// Where the progress file of a journal is.
std::string progressPathOf(const std::string &journalPath);

} // namespace phaze
