#pragma once

// Joining the parts of a sharded search (`phaze search --shard I/N`, `phaze merge`). Every part
// names the whole search it belongs to and which shard it is, so that a merge can refuse parts
// of different searches or of different splits, two copies of one shard, and an incomplete set
// (a shard whose task failed, or one that was interrupted), and can say exactly which
// candidates an incomplete merge lacks. Plain data and logic: io reads and writes the parts.

#include <cstddef>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/search/searchtypes.h"

namespace phaze {

// Which part of which search a result holds.
struct ShardIdentity {
    std::string search;         // fingerprint of the whole (unsharded) search
    int index = 1;              // 1-based, as in --shard I/N
    int count = 1;              // N
    std::size_t candidates = 0; // candidates of the whole search
    bool operator==(const ShardIdentity &) const = default;
};

struct ShardPart {
    std::string file; // where it was read from, for messages
    ShardIdentity shard;
    SearchResult result;
};

struct MergedShards {
    SearchResult result;                 // finished (best, fronts), counts over the whole search
    ShardIdentity whole;                 // the whole search: shard 1/1
    std::vector<int> missingShards;      // 1-based shard numbers with no complete part
    std::vector<std::size_t> missingCandidates; // sorted; not evaluated and not proven pruned
    std::vector<std::string> warnings;   // what an --allow-missing merge left out, in words
};

// Merges the parts. Error (with the reason naming the files) when parts belong to different
// searches or splits, overlap, hold candidates outside their shard, or (unless allowMissing)
// when a shard is absent or incomplete; the message then names every such shard and its
// candidates.
Result<MergedShards> mergeShards(std::vector<ShardPart> parts, bool allowMissing);

// "2, 6, 10 (3 candidates)", the list cut after `limit` entries.
std::string describeCandidates(const std::vector<std::size_t> &candidates, std::size_t limit = 12);

} // namespace phaze
