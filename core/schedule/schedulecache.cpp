#include "core/schedule/schedulecache.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace phaze {
namespace {

template <typename T> void append(std::string &key, const T &value)
{
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    key.append(bytes, sizeof(T));
}

} // namespace

std::string ScheduleCache::keyOf(const ScheduleProblem &problem, const SchedulerOptions &options)
{
    std::string key;
    key.reserve(16 + problem.ops.size() * 40 + problem.edges.size() * 8);
    append(key, problem.numTc);
    append(key, problem.numVc);
    append(key, options.timeLimitSeconds);
    append(key, options.mipGap);
    append(key, std::uint64_t(problem.ops.size()));
    for (const ScheduleOp &op : problem.ops) {
        append(key, int(op.kind));
        for (double v : {op.latency, op.intraLatency, op.energy, op.intraEnergy})
            append(key, v);
    }
    std::vector<std::pair<int, int>> edges = problem.edges;
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    for (const auto &[a, b] : edges) {
        append(key, a);
        append(key, b);
    }
    return key;
}

ScheduleCache::Entry
ScheduleCache::getOrSolve(const ScheduleProblem &problem, const SchedulerOptions &options,
                          const std::function<Result<ScheduleSolution>()> &solve)
{
    const std::string key = keyOf(problem, options);
    std::promise<Entry> promise;
    std::shared_future<Entry> pending;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_entries.find(key); it != m_entries.end()) {
            pending = it->second;
        } else {
            m_entries.emplace(key, promise.get_future().share());
        }
    }
    if (pending.valid()) {
        ++m_hits;
        return pending.get(); // outside the lock: the solving thread needs it to finish
    }
    ++m_misses;
    Entry entry;
    try {
        entry = std::make_shared<const Result<ScheduleSolution>>(solve());
    } catch (const std::exception &e) {
        entry = std::make_shared<const Result<ScheduleSolution>>(
            Result<ScheduleSolution>::error(std::string("scheduling failed: ") + e.what()));
    }
    promise.set_value(entry);
    if (entry->status == Status::Cancelled) {
        std::lock_guard lock(m_mutex);
        m_entries.erase(key);
    }
    return entry;
}

ScheduleCacheStats ScheduleCache::stats() const
{
    std::lock_guard lock(m_mutex);
    return ScheduleCacheStats{m_hits.load(), m_misses.load(), m_entries.size()};
}

void ScheduleCache::clear()
{
    std::lock_guard lock(m_mutex);
    m_entries.clear();
}

} // namespace phaze
