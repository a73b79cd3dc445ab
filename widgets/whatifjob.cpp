#include "widgets/whatifjob.h"

#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

WhatIfJob::WhatIfJob(Session *session, QObject *parent)
    : QObject(parent), m_session(session),
      m_job(this, [this](Result<CodesignResult> r) { finished(std::move(r)); })
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, &WhatIfJob::evaluateNow);
    connect(session, &Session::projectChanged, this, [this] { m_debounce.start(); });
    // The session's project at startup too (the default one when the first file failed to
    // load): the Accelerator dock never waits for an evaluation that nothing started.
    m_debounce.start();
}

void WhatIfJob::evaluateNow()
{
    m_debounce.stop();
    const ProjectSpec &project = m_session->project();
    if (!project.architecture || project.models.empty()) {
        m_job.cancel();
        m_session->results()->setWhatIf(std::nullopt);
        m_statusText = project.models.empty() ? tr("What-if: the project has no models")
                                              : tr("What-if: no fixed architecture to evaluate");
        emit evaluated(Status::Infeasible, m_statusText);
        return;
    }
    CodesignOptions options;
    options.architecture = project.architecture->config;
    options.baselines = true;
    options.threads = 1; // the search, when one runs, keeps the other cores
    m_statusText = tr("What-if: evaluating the current architecture...");
    emit started();
    m_evaluating = m_session->snapshot();
    m_job.run([snapshot = m_evaluating, options](const CancelToken &cancel) {
        return runCodesign(snapshot.project, snapshot.baseDir, options, {}, cancel);
    });
}

void WhatIfJob::finished(Result<CodesignResult> result)
{
    if (!result.hasValue()) {
        m_session->results()->setWhatIfError(QString::fromStdString(result.message));
        m_statusText = tr("What-if: %1").arg(QString::fromStdString(result.message));
        emit evaluated(Status::Error, m_statusText);
        return;
    }
    const SearchResult &search = result.value->search;
    if (search.best) {
        const Evaluation &best = search.evaluations[*search.best];
        m_statusText = tr("What-if: %1 samples/s on the current architecture (%2 mm2)")
                           .arg(best.throughput, 0, 'f', 1)
                           .arg(best.areaMm2, 0, 'f', 1);
    } else {
        m_statusText = tr("What-if: the current architecture cannot train the models: %1")
                           .arg(QString::fromStdString(search.evaluations.empty()
                                                           ? search.message
                                                           : search.evaluations.front().message));
    }
    const Status status = search.best ? Status::Optimal : Status::Infeasible;
    m_session->results()->setWhatIf(std::move(*result.value), m_evaluating);
    emit evaluated(status, m_statusText);
}

} // namespace phaze
