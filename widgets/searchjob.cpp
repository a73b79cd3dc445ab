#include "widgets/searchjob.h"

#include <QMutexLocker>

#include "core/io/projectsearch.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

SearchJob::SearchJob(Session *session, QObject *parent)
    : QObject(parent), m_session(session),
      m_job(this, [this](Result<CodesignResult> result) { onFinished(std::move(result)); })
{
}

// The job, the last member, cancels and waits in its destructor: the worker has ended before the
// members it posts to are destroyed.
SearchJob::~SearchJob() = default;

bool SearchJob::start(const CodesignOptions &options)
{
    if (m_job.isRunning())
        return false;
    m_cancelRequested = false;
    m_progress = {};
    m_session->results()->clear();
    m_session->results()->setSearchedProject(m_session->snapshot());

    CodesignOptions run = options;
    // Called on the driver thread: hand a copy to the GUI thread. Events posted to this object
    // are dropped if it is destroyed, and the destructor waits for the worker first.
    run.onEvaluation = [this](const Evaluation &e) {
        QMetaObject::invokeMethod(
            this, [this, e] { m_session->results()->addEvaluation(e); }, Qt::QueuedConnection);
    };
    ProgressSink sink([this](const Progress &p) { postProgress(p); });
    m_job.run([project = m_session->project(), baseDir = m_session->baseDir(), run,
               sink](const CancelToken &cancel) {
        return runCodesign(project, baseDir, run, sink, cancel);
    });
    emit started();
    return true;
}

void SearchJob::cancel()
{
    if (!m_job.isRunning())
        return;
    m_cancelRequested = true;
    m_job.requestStop(); // the best found so far is still delivered
}

void SearchJob::postProgress(const Progress &progress)
{
    {
        QMutexLocker lock(&m_pendingMutex);
        m_pending = progress;
    }
    if (!m_deliveryQueued.exchange(true))
        QMetaObject::invokeMethod(this, &SearchJob::deliverProgress, Qt::QueuedConnection);
}

void SearchJob::deliverProgress()
{
    Progress p;
    {
        QMutexLocker lock(&m_pendingMutex);
        p = m_pending;
        m_deliveryQueued = false;
    }
    m_progress.done = p.done;
    m_progress.total = p.total;
    m_progress.pruned = p.pruned;
    m_progress.best = p.bestSoFar;
    m_progress.elapsedSeconds = p.elapsedSeconds;
    m_progress.etaSeconds = remainingSeconds(p.done, p.total, p.pruned, p.elapsedSeconds);
    emit progressChanged(m_progress);
}

void SearchJob::onFinished(Result<CodesignResult> result)
{
    // An exception in the engine arrives here as an Error result (BackgroundJob's guard).
    const bool cancelled = m_cancelRequested;
    m_cancelRequested = false;
    if (result.hasValue()) {
        const Status searchStatus = result.value->search.status;
        m_lastMessage = QString::fromStdString(result.value->search.message);
        m_session->results()->setResult(std::move(*result.value));
        m_lastStatus = cancelled ? Status::Cancelled : searchStatus;
    } else {
        m_lastStatus = cancelled ? Status::Cancelled : result.status;
        m_lastMessage = QString::fromStdString(result.message);
    }
    if (m_lastStatus == Status::Cancelled && m_lastMessage.isEmpty())
        m_lastMessage = tr("cancelled");
    emit finished(m_lastStatus, m_lastMessage);
}

} // namespace phaze
