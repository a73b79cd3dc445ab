#include "core/cost/costcache.h"

#include <cstring>

namespace phaze {
namespace {

// splitmix64 finaliser: cheap and mixes every input bit into every output bit.
std::uint64_t mix(std::uint64_t h, std::uint64_t v)
{
    std::uint64_t x = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

std::uint64_t bits(double v)
{
    std::uint64_t out = 0;
    std::memcpy(&out, &v, sizeof out);
    return out;
}

} // namespace

CostKey CostKey::of(const PrimitiveOp &op, const AcceleratorConfig &config)
{
    CostKey key;
    key.op = op;
    AcceleratorConfig &c = key.config;
    c = AcceleratorConfig{};
    c.numTc = c.tcWidth = c.tcDepth = c.numVc = c.vcWidth = c.bytesPerElement = 0;
    c.glbBytes = c.hbmBytes = c.hbmBandwidth = c.frequency = c.linkBandwidth = 0.0;
    // Part costs never read the HBM size or bandwidth: bandwidth enters only when an operator's
    // parts are combined into a latency, after the cache.
    if (isGemmKind(op.kind)) {
        c.numTc = config.numTc;
        c.tcWidth = config.tcWidth;
        c.tcDepth = config.tcDepth;
        c.glbBytes = config.glbBytes;
        c.frequency = config.frequency;
        c.bytesPerElement = config.bytesPerElement;
    } else if (isVectorKind(op.kind)) {
        c.numVc = config.numVc;
        c.vcWidth = config.vcWidth;
        c.frequency = config.frequency;
    } else if (isCollectiveKind(op.kind)) {
        c.linkBandwidth = config.linkBandwidth;
        c.bytesPerElement = config.bytesPerElement;
    }
    key.digest = key.hash();
    return key;
}

std::uint64_t CostKey::hash() const
{
    std::uint64_t h = 0x51ed270b27e0a6c3ULL;
    for (std::int64_t v : {std::int64_t(op.kind), std::int64_t(op.backward), op.gemm.batch,
                           op.gemm.m, op.gemm.k, op.gemm.n, op.elements, op.inputBytes,
                           op.outputBytes, op.weightBytes, std::int64_t(op.group)})
        h = mix(h, std::uint64_t(v));
    for (int v : {config.numTc, config.tcWidth, config.tcDepth, config.numVc, config.vcWidth,
                  config.bytesPerElement})
        h = mix(h, std::uint64_t(std::int64_t(v)));
    for (double v : {config.glbBytes, config.frequency, config.linkBandwidth})
        h = mix(h, bits(v));
    return h;
}

PartCost CostCache::getOrCompute(const CostKey &key, const std::function<PartCost()> &compute)
{
    const std::uint64_t h = key.digest;
    Shard &shard = m_shards[(h >> 58) % kShards];
    {
        std::lock_guard<std::mutex> lock(shard.mutex);
        auto it = shard.map.find(key);
        if (it != shard.map.end()) {
            m_hits.fetch_add(1, std::memory_order_relaxed);
            return it->second;
        }
    }
    m_misses.fetch_add(1, std::memory_order_relaxed);
    PartCost cost = compute();
    std::lock_guard<std::mutex> lock(shard.mutex);
    shard.map.emplace(key, cost);
    return cost;
}

CostCacheStats CostCache::stats() const
{
    CostCacheStats s;
    s.hits = m_hits.load();
    s.misses = m_misses.load();
    for (const Shard &shard : m_shards) {
        std::lock_guard<std::mutex> lock(shard.mutex);
        s.entries += shard.map.size();
    }
    return s;
}

void CostCache::clear()
{
    for (Shard &shard : m_shards) {
        std::lock_guard<std::mutex> lock(shard.mutex);
        shard.map.clear();
    }
    m_hits = 0;
    m_misses = 0;
}

} // namespace phaze
