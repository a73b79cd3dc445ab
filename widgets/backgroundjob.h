#pragma once

// One cancellable computation on the thread pool for a view (conventions.md rule 9): the work
// runs through QtConcurrent::run, its result comes back on the GUI thread through a
// QFutureWatcher, and the work never touches a widget. A request made while a run is under way
// cancels that run and starts the latest request when it ends, so a burst of edits costs one
// stale run at most; a superseded or cancelled run's result is never delivered. The destructor
// cancels and waits, so the worker never outlives its view. Work that throws is delivered as
// jobFailure<T>(message) (jobguard.h) when T can carry a failure, and otherwise logged and not
// delivered: no exception ever reaches the event loop.

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>
#include <QtGlobal>

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "core/base/progress.h"
#include "widgets/jobguard.h"

namespace phaze {

template <typename T> class BackgroundJob
{
public:
    using Work = std::function<T(const CancelToken &)>;
    using Done = std::function<void(T)>;

    // done runs on the GUI thread, in owner's context, with every result that was not superseded.
    BackgroundJob(QObject *owner, Done done) : m_done(std::move(done))
    {
        QObject::connect(&m_watcher, &QFutureWatcherBase::finished, owner,
                         [this] { onFinished(); });
    }
    ~BackgroundJob()
    {
        m_cancel.cancel();
        m_watcher.waitForFinished();
    }
    BackgroundJob(const BackgroundJob &) = delete;
    BackgroundJob &operator=(const BackgroundJob &) = delete;

    // Starts work now, or after the running one (which is cancelled) has ended.
    void run(Work work)
    {
        m_next = std::move(work);
        if (m_running)
            m_cancel.cancel();
        else
            startNext();
    }
    // Cancels the running work and drops a pending request. Its result is never delivered, even
    // when the work finished before it saw the cancel: the inputs it describes are gone.
    void cancel()
    {
        m_next = nullptr;
        m_cancel.cancel();
        m_dropResult = m_running;
    }
    // Asks the running work to stop early (its CancelToken says so) but, unlike cancel(), still
    // delivers its result: for work whose result is what it found until then (a search's best
    // so far). A request made since still supersedes it.
    void requestStop() { m_cancel.cancel(); }
    bool isRunning() const { return m_running; }
    // Blocks until the running work has ended (tests, shutdown).
    void waitForFinished() { m_watcher.waitForFinished(); }

private:
    void startNext()
    {
        Work work = std::exchange(m_next, nullptr);
        m_running = true;
        m_dropResult = false;
        m_cancel = CancelToken::create();
        m_watcher.setFuture(QtConcurrent::run(
            [work = std::move(work), cancel = m_cancel]() -> Outcome {
                try {
                    return {work(cancel), {}};
                } catch (const std::exception &e) {
                    return {std::nullopt, internalError(&e)};
                } catch (...) {
                    return {std::nullopt, internalError(nullptr)};
                }
            }));
    }
    void onFinished()
    {
        m_running = false;
        if (m_next) { // superseded: its result describes inputs that are gone
            startNext();
            return;
        }
        if (m_dropResult)
            return;
        Outcome outcome = m_watcher.result();
        if (outcome.value)
            m_done(std::move(*outcome.value));
        else if constexpr (ReportsFailure<T>)
            m_done(jobFailure<T>(outcome.failure));
        else
            qCritical("background work failed: %s", outcome.failure.c_str());
    }

    // The work's value, or the message of the exception it threw.
    struct Outcome {
        std::optional<T> value;
        std::string failure;
    };

    QFutureWatcher<Outcome> m_watcher;
    CancelToken m_cancel;
    Work m_next;
    Done m_done;
    bool m_running = false;
    bool m_dropResult = false; // cancel() was called on the running work
};

} // namespace phaze
