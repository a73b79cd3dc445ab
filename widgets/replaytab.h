#pragma once

// What the Pipeline and Memory tabs share: the focused configuration's placement for a chosen
// model (the selected search result, else the what-if one), rebuilt at its knobs and simulated
// (replayPlacement) by a BackgroundJob while the tab is visible (conventions.md rule 9), with a
// model chooser, a summary line and an Export button. A replay is computed once per focus and
// model: the session's ResultStore keeps it, so switching between the two tabs costs nothing.
// A subclass only draws (showReplay) and clears its chart.

#include <QString>
#include <QWidget>

#include <optional>

#include "core/evaluation/placementreplay.h"
#include "widgets/backgroundjob.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace phaze {

class Session;

class ReplayTab : public QWidget
{
    Q_OBJECT

public:
    // The job cancels and waits in its destructor, so the worker never outlives the tab.
    ~ReplayTab() override;

    bool isRunning() const { return m_job.isRunning(); }
    // The last replay, when it succeeded, and the architecture it is for.
    const std::optional<PlacementReplay> &replay() const { return m_replay; }
    const AcceleratorConfig &replayedConfig() const { return m_config; }
    int modelIndex() const;
    void setModelIndex(int index); // replays again
    QString summaryText() const;
    QCustomPlot *plot() const { return m_plot; }
    // Writes the chart as PNG, PDF or SVG (by suffix). Returns "" or the error.
    QString exportPlot(const QString &path, int widthPx, int heightPx, double scale = 1.0);

public slots:
    // Replays the focused configuration again (cancelling a running job).
    void refresh();

signals:
    // A replay finished (also after an error or when nothing is focused).
    void replayReady(phaze::Status status, const QString &message);

protected:
    // name prefixes the object names ("pipeline" -> pipelineTab, pipelineModel,
    // pipelineSummary); title names exported figures.
    ReplayTab(Session *session, const QString &name, const QString &title, QWidget *parent);
    // Adds the subclass's chart under the summary; plot is what Export writes.
    void setChart(QWidget *chart, QCustomPlot *plot);
    void showEvent(QShowEvent *event) override;

    // Draws a replay of the focused configuration and returns the summary line.
    virtual QString showReplay(const PlacementReplay &replay) = 0;
    virtual void clearChart() = 0;
    // The summary line while the replay runs ("Simulating the pipeline of the candidate 7...").
    virtual QString workingText(const QString &focusLabel) const = 0;

private:
    void start();
    void display(const PlacementReplay &replay);
    void finishWithout(const QString &why);

    Session *m_session;
    QString m_title;
    QComboBox *m_modelCombo;
    QPushButton *m_exportButton;
    QLabel *m_summary;
    QCustomPlot *m_plot = nullptr;
    bool m_dirty = true;     // the focus changed while hidden: replay when shown
    std::size_t m_model = 0; // of the running replay
    AcceleratorConfig m_config;
    std::optional<PlacementReplay> m_replay;
    BackgroundJob<Result<PlacementReplay>> m_job;
};

} // namespace phaze
