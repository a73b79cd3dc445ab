#pragma once

// A thread-safe cache of exact schedules keyed by the problem's content (core counts, operator
// kinds, latencies and energies bit for bit, edges) and the solver options: identical (layer,
// core configuration) pairs, such as the repeated transformer blocks of a model, are solved
// once. Operator names are not part of the key. When several threads ask for the same problem
// at once, one solves it and the others wait for its answer. Cancelled answers are not kept.

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/base/status.h"
#include "core/schedule/exactscheduler.h"
#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

namespace phaze {

struct ScheduleCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0; // solves started
    std::size_t entries = 0;
};

class ScheduleCache
{
public:
    using Entry = std::shared_ptr<const Result<ScheduleSolution>>;

    ScheduleCache() = default;
    ScheduleCache(const ScheduleCache &) = delete;
    ScheduleCache &operator=(const ScheduleCache &) = delete;

    // The answer for `problem`, from the cache or from `solve` (called at most once per key
    // while its answer is kept).
    Entry getOrSolve(const ScheduleProblem &problem, const SchedulerOptions &options,
                     const std::function<Result<ScheduleSolution>()> &solve);

    ScheduleCacheStats stats() const;
    void clear();

    static std::string keyOf(const ScheduleProblem &problem, const SchedulerOptions &options);

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::shared_future<Entry>> m_entries;
    std::atomic<std::uint64_t> m_hits{0};
    std::atomic<std::uint64_t> m_misses{0};
};

} // namespace phaze
