#pragma once

// The Sweep tab: one parameter of the project (the inter-node bandwidth, the HBM bandwidth, the
// global batch, the device count, tp, ...) set to each of a list of values, and the pinned
// designs (else the focused one) re-evaluated at each, in the background
// (core/io/projectsweep.h, the same sweep as `phaze sweep`): throughput against the parameter,
// one line per design, log axes on request, exportable like every figure and as CSV. Each
// pinned design is swept in the project it was evaluated with.

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

#include "core/base/status.h"
#include "core/io/projectsweep.h"
#include "widgets/backgroundjob.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QPushButton;

namespace phaze {

class Session;

class SweepTab : public QWidget
{
    Q_OBJECT

public:
    explicit SweepTab(Session *session, QWidget *parent = nullptr);

    QComboBox *parameterCombo() const { return m_parameter; }
    QLineEdit *valuesEdit() const { return m_values; }
    QCheckBox *logXBox() const { return m_logX; }
    QCustomPlot *plot() const { return m_plot; }
    bool isRunning() const { return m_job.isRunning(); }
    // The last finished sweep (its curves as drawn), if any.
    const std::optional<SweepResult> &result() const { return m_result; }
    // What the status line says: the last sweep's summary, its error, or what to do.
    QString statusText() const;
    // Chooses the swept parameter ("cluster.inter_node_bandwidth"); false when it is not one
    // the project's profile can sweep. The values are reset to suggestions around its value.
    bool setParameter(const QString &name);
    // The result as CSV (phaze sweep --csv). "" or the error.
    QString exportCsv(const QString &path) const;

public slots:
    // Starts the sweep of the chosen parameter over the typed values for the pinned designs
    // (the focused one when none is pinned); a running one is replaced.
    void runSweep();
    void cancel();

signals:
    // A sweep finished, failed, or was cancelled.
    void sweepFinished(phaze::Status status, const QString &message);

private:
    void fillParameters();
    void suggestValues();
    void finished(Result<SweepResult> result);
    void draw();
    // "cluster.inter_node_bandwidth: 9 of 10 points trainable (not: ...)".
    QString summary() const;
    const ParameterSpec *currentSpec() const;

    Session *m_session;
    QComboBox *m_parameter;
    QLineEdit *m_values;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_exportPlot;
    QPushButton *m_exportCsv;
    QCheckBox *m_logX;
    QCheckBox *m_logY;
    QLabel *m_status;
    QCustomPlot *m_plot;
    BackgroundJob<Result<SweepResult>> m_job;
    std::optional<SweepResult> m_result;
    bool m_systemProfile = false; // of the parameters listed
};

} // namespace phaze
