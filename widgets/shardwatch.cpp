#include "widgets/shardwatch.h"

#include <QLocale>

#include "core/io/projectsearch.h"
#include "widgets/session.h"

namespace phaze {
namespace {

// A journal is of the watched search when its progress file names that search (a shard), or,
// without one, when its header is the whole search's (an unsharded search). A shard that has
// just started may have a journal but no progress file yet: it is left out of this reading and
// looked at again at the next.
bool identified(const ShardView &view, const std::string &fingerprint)
{
    return view.progress || view.fingerprint == fingerprint;
}

ShardPoll readPoll(const std::vector<std::string> &paths, ProjectSnapshot project,
                   std::string fingerprint)
{
    if (fingerprint.empty()) {
        const Result<std::string> computed = searchFingerprint(project.project, project.baseDir);
        if (!computed.hasValue())
            return ShardPoll::error("the project's candidates cannot be built: " +
                                    computed.message);
        fingerprint = *computed.value;
    }
    const std::vector<std::string> journals = journalsIn(paths);
    if (journals.empty())
        return ShardPoll::error("no search journal (*.jsonl) there");
    std::vector<ShardView> views;
    int unidentified = 0;
    for (const std::string &journal : journals) {
        Result<ShardView> view = readShardView(journal);
        if (!view.ok()) {
            const std::string why = view.diagnostics.empty() ? view.message
                                                             : view.diagnostics.front().format();
            return ShardPoll::error(why);
        }
        if (identified(*view.value, fingerprint))
            views.push_back(std::move(*view.value));
        else
            ++unidentified;
    }
    ShardPoll poll;
    poll.projectFingerprint = fingerprint;
    poll.unidentified = unidentified;
    poll.status = summarizeShards(std::move(views));
    if (poll.status.hasValue())
        poll.evaluations = mergedEvaluations(*poll.status.value);
    return poll;
}

QString countText(long long n)
{
    return QLocale().toString(n);
}

} // namespace

ShardWatch::ShardWatch(Session *session, QObject *parent)
    : QObject(parent), m_session(session),
      m_job(this, [this](ShardPoll poll) { onPoll(std::move(poll)); })
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &ShardWatch::poll);
}

void ShardWatch::watch(const QStringList &paths)
{
    stop();
    m_paths = paths;
    m_project = m_session->snapshot();
    m_fingerprint.clear();
    m_watching = true;
    m_shown = false;
    m_delivered.clear();
    m_status.reset();
    poll();
}

void ShardWatch::stop()
{
    m_watching = false;
    m_timer.stop();
    m_job.cancel();
}

void ShardWatch::poll()
{
    if (!m_watching)
        return;
    std::vector<std::string> paths;
    for (const QString &p : m_paths)
        paths.push_back(p.toStdString());
    m_job.run([paths, project = m_project, fingerprint = m_fingerprint](const CancelToken &) {
        return readPoll(paths, project, fingerprint);
    });
}

std::string ShardWatch::mismatch(const ShardSetStatus &status, const std::string &fingerprint)
{
    for (const ShardView &view : status.shards)
        if (view.progress && view.progress->shard.search != fingerprint)
            return view.journal +
                   " is a shard of another search than the open project's (the project was "
                   "edited since, or it is another project's): open the project the shards were "
                   "run from";
    return {};
}

void ShardWatch::onPoll(ShardPoll poll)
{
    if (!m_watching)
        return;
    const QString where = m_paths.join(u", ");
    if (!poll.status.hasValue()) {
        stop();
        emit failed(tr("%1: %2").arg(where, QString::fromStdString(poll.status.message)));
        return;
    }
    m_fingerprint = poll.projectFingerprint;
    ShardSetStatus &status = *poll.status.value;
    if (const std::string why = mismatch(status, m_fingerprint); !why.empty()) {
        stop();
        emit failed(QString::fromStdString(why));
        return;
    }
    ResultStore *store = m_session->results();
    if (!m_shown) {
        store->clear();
        store->setSearchedProject(m_project);
        m_shown = true;
    }
    for (const Evaluation &e : poll.evaluations)
        if (m_delivered.insert(e.candidate).second)
            store->addEvaluation(e);
    // The views have the rows; the status keeps only the sums (its copies of the evaluations
    // would double the memory of a big search).
    for (ShardView &view : status.shards)
        view.evaluations = {};
    m_status = std::move(status);
    m_unidentified = poll.unidentified;
    emit updated(*m_status);
    if (m_status->complete()) {
        m_watching = false;
        emit completed(*m_status);
        return;
    }
    m_timer.start();
}

QString shardStatusText(const ShardSetStatus &s, int unidentified)
{
    QString text = QObject::tr("Shards %1/%2 finished · %3/%4 done (%5 pruned, %6 infeasible)")
                       .arg(s.finished)
                       .arg(s.shardCount)
                       .arg(countText(s.done), countText(s.total), countText(s.pruned),
                            countText(s.infeasible));
    if (s.best)
        text += QObject::tr(" · best %1 samples/s").arg(s.best->throughput, 0, 'f', 2);
    if (unidentified > 0)
        text += QObject::tr(" · %n journal(s) not identified yet (no progress file)", nullptr,
                            unidentified);
    if (!s.notStarted.empty())
        text += QObject::tr(" · %n not started", nullptr, int(s.notStarted.size()));
    else if (!s.complete())
        text += s.eta ? QObject::tr(" · ETA %1 s").arg(*s.eta, 0, 'f', 0)
                      : QObject::tr(" · ETA unknown");
    return text;
}

} // namespace phaze
