#pragma once

// Runs the co-design search of the session's project on the thread pool (conventions.md rule 9):
// QtConcurrent::run + QFutureWatcher, progress and each new evaluation arrive on the GUI thread
// through queued calls, cancel() stops it cooperatively, and the result goes to the session's
// ResultStore. The worker never touches a widget or the store.

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <optional>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/io/projectsearch.h"

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
    void cancel();
    bool isRunning() const { return m_running; }
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
    void onFinished();

    Session *m_session;
    QFutureWatcher<Result<CodesignResult>> m_watcher;
    CancelToken m_cancel;
    bool m_running = false;
    Status m_lastStatus = Status::Optimal;
    QString m_lastMessage;
    SearchProgress m_progress;
    // The latest report from the worker; one queued delivery at a time, so a flood of reports
    // coalesces instead of filling the event queue.
    QMutex m_pendingMutex;
    Progress m_pending;
    std::atomic<bool> m_deliveryQueued{false};
};

} // namespace phaze
