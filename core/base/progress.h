#pragma once

// Progress reporting and cooperative cancellation for long engine calls. Both default to
// no-ops so that callers that do not care pass nothing.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace phaze {

struct Progress {
    std::string phase;
    long long done = 0;
    long long total = 0;
    double elapsedSeconds = 0.0;
    std::optional<double> bestSoFar;
    long long pruned = 0; // work proven unnecessary (counted in done)
};

// Seconds left at the rate so far, none before anything is evaluated. The rate is of the work
// that cost time (done - pruned in elapsedSeconds): pruning costs nothing, and a search prunes
// most of its candidates at once (tens of thousands in a second), so a rate over all that is
// done claimed the rest would take a second too. What is left may still be pruned as the best
// rises: the figure is an upper bound.
inline std::optional<double> remainingSeconds(long long done, long long total, long long pruned,
                                              double elapsedSeconds)
{
    const long long worked = done - pruned;
    if (worked <= 0 || total < done)
        return std::nullopt;
    return elapsedSeconds * double(total - done) / double(worked);
}

// Receives progress reports; may be called from worker threads, so the callback must be
// thread-safe. An empty sink ignores everything.
class ProgressSink
{
public:
    ProgressSink() = default;
    explicit ProgressSink(std::function<void(const Progress &)> callback)
        : m_callback(std::move(callback))
    {
    }
    void report(const Progress &progress) const
    {
        if (m_callback)
            m_callback(progress);
    }

private:
    std::function<void(const Progress &)> m_callback;
};

// One-shot cancellation flag shared by copies of the token. A default token can never fire.
class CancelToken
{
public:
    CancelToken() = default;
    static CancelToken create() { return CancelToken(std::make_shared<std::atomic<bool>>(false)); }

    void cancel() const
    {
        if (m_flag)
            m_flag->store(true, std::memory_order_relaxed);
    }
    bool isCancelled() const { return m_flag && m_flag->load(std::memory_order_relaxed); }

private:
    explicit CancelToken(std::shared_ptr<std::atomic<bool>> flag) : m_flag(std::move(flag)) {}
    std::shared_ptr<std::atomic<bool>> m_flag;
};

} // namespace phaze
