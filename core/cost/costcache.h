#pragma once

// A thread-safe, content-keyed cache of part costs: the key is the primitive's fields plus the
// configuration fields its cost depends on (the rest zeroed, so configurations that differ only
// in irrelevant fields share entries). Sharded: each shard has its own mutex and map, so threads
// costing different parts rarely contend. Keys are compared in full; the hash only picks the
// shard and bucket, so a hash collision can never return another part's cost.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "core/cost/costtypes.h"
#include "core/model/operator.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

struct CostKey {
    PrimitiveOp op;
    AcceleratorConfig config; // projected onto the fields the part depends on
    std::uint64_t digest = 0; // hash() of the above, computed once by of()
    bool operator==(const CostKey &) const = default;

    // The key of `op` on `config`: keeps only the fields that its core class reads.
    static CostKey of(const PrimitiveOp &op, const AcceleratorConfig &config);
    std::uint64_t hash() const; // recomputed from the fields
};

struct CostCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t entries = 0;
};

class CostCache
{
public:
    CostCache() = default;
    CostCache(const CostCache &) = delete;
    CostCache &operator=(const CostCache &) = delete;

    // The cached cost of `key`, computing and storing it with `compute` on a miss. The
    // computation runs outside the shard lock; two threads missing on the same key compute the
    // same value and one insert wins.
    PartCost getOrCompute(const CostKey &key, const std::function<PartCost()> &compute);

    CostCacheStats stats() const;
    void clear();

private:
    struct KeyHash {
        std::size_t operator()(const CostKey &key) const { return std::size_t(key.digest); }
    };
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<CostKey, PartCost, KeyHash> map;
    };
    static constexpr std::size_t kShards = 64;

    std::array<Shard, kShards> m_shards;
    std::atomic<std::uint64_t> m_hits{0};
    std::atomic<std::uint64_t> m_misses{0};
};

} // namespace phaze
