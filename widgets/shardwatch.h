#pragma once

// Shows a distributed search (`phaze search --shard I/N --journal ...` on a cluster) as one
// search of the session's project while its shards run: the journals and their progress files
// (core/io/shardstatus.h, what `phaze status` reads) are read again every poll on the thread
// pool (a BackgroundJob, conventions.md rule 9), the evaluations not seen before stream into
// the session's ResultStore as a search's would, and the totals, pruned count, best so far and
// ETA across the shards are reported for the status bar. Watching ends when every shard of the
// split has finished, on stop(), or on an error (nothing in the store is lost then).
//
// Only shards of the open project's search are shown: the progress files name the whole search
// by its fingerprint (and a journal without one is taken as an unsharded search, its header's
// fingerprint checked), which must be the project's now, so that rows are never replayed with
// a project they were not computed for.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/io/shardstatus.h"
#include "widgets/backgroundjob.h"
#include "widgets/resultstore.h"

namespace phaze {

class Session;

// One poll's reading of the shard set, as the worker hands it back.
struct ShardPoll {
    Result<ShardSetStatus> status = Result<ShardSetStatus>::error("");
    std::vector<Evaluation> evaluations; // merged, by candidate
    std::string projectFingerprint;      // the watched project's whole-search fingerprint
    int unidentified = 0; // journals left out: no progress file yet, not the unsharded search

    static ShardPoll error(const std::string &why)
    {
        ShardPoll poll;
        poll.status = Result<ShardSetStatus>::error(why);
        return poll;
    }
};

class ShardWatch : public QObject
{
    Q_OBJECT

public:
    explicit ShardWatch(Session *session, QObject *parent = nullptr);

    // Starts watching the journals among paths (a folder stands for its *.jsonl files) for the
    // session's project as it is now. The store is replaced by the shards' evaluations at the
    // first reading that belongs to the project; before that, and on any error, it is left as
    // it was. Restarts when already watching.
    void watch(const QStringList &paths);
    void stop();
    bool isWatching() const { return m_watching; }
    // The latest successful reading, when there is one.
    const std::optional<ShardSetStatus> &status() const { return m_status; }
    const QStringList &paths() const { return m_paths; }
    // Journals of the last reading left out until their progress file names their search.
    int unidentified() const { return m_unidentified; }
    static constexpr int kPollMs = 1000;

signals:
    // A reading was shown (the store has its evaluations).
    void updated(const phaze::ShardSetStatus &status);
    // Every shard of the split finished; watching has ended.
    void completed(const phaze::ShardSetStatus &status);
    // Watching ended on an error (unreadable journal, shards of another search, none found).
    void failed(const QString &message);

private:
    void poll();
    void onPoll(ShardPoll poll);
    // Why the reading is not of the watched project's search, or "".
    static std::string mismatch(const ShardSetStatus &status, const std::string &fingerprint);

    Session *m_session;
    QStringList m_paths;
    ProjectSnapshot m_project; // as it was when watching started
    std::string m_fingerprint; // its whole-search fingerprint, once computed
    bool m_watching = false;
    bool m_shown = false; // the store holds this watch's evaluations
    std::unordered_set<std::size_t> m_delivered;
    std::optional<ShardSetStatus> m_status;
    int m_unidentified = 0;
    QTimer m_timer;
    // Last: destroyed first, so the worker has ended before the members above go.
    BackgroundJob<ShardPoll> m_job;
};

// "Shards 3/8 finished · 1,234/4,000 done (56 pruned, 7 infeasible) · best 12.34 samples/s ·
// ETA 40 s": the status bar's line.
// unidentified: journals not shown yet (ShardWatch::unidentified).
QString shardStatusText(const ShardSetStatus &status, int unidentified = 0);

} // namespace phaze
