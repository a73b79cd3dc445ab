#pragma once

// The what-if loop: every edit of the project re-evaluates its fixed architecture (at each HBM
// size, with the tpuv4 baselines) in the background, debounced so that typing a number costs one
// evaluation, and puts the result in the session's ResultStore (setWhatIf), from where every
// view picks it up. A newer edit cancels a running evaluation (BackgroundJob).

#include <QObject>
#include <QString>
#include <QTimer>

#include "core/base/status.h"
#include "core/io/projectsearch.h"
#include "widgets/backgroundjob.h"
#include "widgets/resultstore.h"

namespace phaze {

class Session;

class WhatIfJob : public QObject
{
    Q_OBJECT

public:
    explicit WhatIfJob(Session *session, QObject *parent = nullptr);

    // Milliseconds between the last edit and the evaluation.
    void setDelay(int milliseconds) { m_debounce.setInterval(milliseconds); }
    bool isPending() const { return m_debounce.isActive() || m_job.isRunning(); }
    // Evaluates the current project now, skipping the delay.
    void evaluateNow();
    // One line for the status bar: what was evaluated and how it went.
    const QString &statusText() const { return m_statusText; }

signals:
    void started();
    void evaluated(phaze::Status status, const QString &message);

private:
    void finished(Result<CodesignResult> result);

    Session *m_session;
    QTimer m_debounce;
    BackgroundJob<Result<CodesignResult>> m_job;
    ProjectSnapshot m_evaluating; // of the newest run: the only one whose result is delivered
    QString m_statusText;
};

} // namespace phaze
