#pragma once

// Runs the co-design search of the session's project on the thread pool through a BackgroundJob
// (conventions.md rule 9, the one mechanism of every view's background work): progress and each
// new evaluation arrive on the GUI thread through queued calls, cancel() stops it cooperatively
// and still delivers the best found so far, and the result goes to the session's ResultStore.
// The worker never touches a widget or the store.

#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <optional>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/io/projectsearch.h"
#include "widgets/backgroundjob.h"

namespace phaze {

class Session;

// Progress of a running search as the views show it.
struct SearchProgress {
    long long done = 0;
    long long total = 0;
    long long pruned = 0;
    std::optional<double> best; // samples/s
    std::optional<double> etaSeconds;
    double elapsedSeconds = 0.0;
};

class SearchJob : public QObject
{
    Q_OBJECT

public:
    explicit SearchJob(Session *session, QObject *parent = nullptr);
    // Cancels a running search and waits for it, so the worker never outlives the job.
    ~SearchJob() override;

    // Starts a search of the session's current project (the store is cleared first).
    // Returns false when one is already running.
    bool start(const CodesignOptions &options = {});
    // Stops a running search; finished() follows with Cancelled and the best found so far goes
    // to the store.
    void cancel();
    bool isRunning() const { return m_job.isRunning(); }
    // Status and message of the last finished search.
    Status lastStatus() const { return m_lastStatus; }
    const QString &lastMessage() const { return m_lastMessage; }
    const SearchProgress &progress() const { return m_progress; }

signals:
    void started();
    void progressChanged(const phaze::SearchProgress &progress);
    // status: Optimal/Feasible on success, Cancelled, or Error (message says why).
    void finished(phaze::Status status, const QString &message);

private:
    void postProgress(const Progress &progress);
    void deliverProgress();
    void onFinished(Result<CodesignResult> result);

    Session *m_session;
    bool m_cancelRequested = false; // cancel() was called during the running search
    Status m_lastStatus = Status::Optimal;
    QString m_lastMessage;
    SearchProgress m_progress;
    // The latest report from the worker; one queued delivery at a time, so a flood of reports
    // coalesces instead of filling the event queue.
    QMutex m_pendingMutex;
    Progress m_pending;
    std::atomic<bool> m_deliveryQueued{false};
    // Last: destroyed first, so the worker, which posts to the members above, has ended before
    // they go.
    BackgroundJob<Result<CodesignResult>> m_job;
};

} // namespace phaze
