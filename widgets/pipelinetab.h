#pragma once

// The Pipeline tab: the focused configuration's placement (the selected search result, else the
// what-if one), rebuilt at its best knobs and simulated microbatch by microbatch
// (replayPlacement), drawn as stages x time; a label gives the simulated makespan next to the
// closed-form time per batch and the bubble fraction. The replay runs in a BackgroundJob
// (conventions.md rule 9), restarted when the focus changes and cancelled in the destructor.

#include <QString>
#include <QWidget>

#include <optional>

#include "core/search/placementreplay.h"
#include "widgets/backgroundjob.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace phaze {

class PipelinePlot;
class Session;

class PipelineTab : public QWidget
{
    Q_OBJECT

public:
    explicit PipelineTab(Session *session, QWidget *parent = nullptr);
    // The job cancels and waits in its destructor, so the worker never outlives the tab.
    ~PipelineTab() override;

    bool isRunning() const { return m_job.isRunning(); }
    // The last replay, when it succeeded.
    const std::optional<PlacementReplay> &replay() const { return m_replay; }
    PipelinePlot *pipeline() const { return m_plot; }
    QString summaryText() const;
    // Writes the chart as PNG, PDF or SVG (by suffix). Returns "" or the error.
    QString exportPlot(const QString &path, int widthPx, int heightPx, double scale = 1.0);
    // Text of the summary label for a replay (makespan, closed form, bubble fraction).
    static QString summarize(const PlacementReplay &replay);

public slots:
    // Replays the focused configuration again (cancelling a running job).
    void refresh();

signals:
    // A job finished (also after an error or when nothing is focused).
    void timelineReady(phaze::Status status, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void start();
    void onFinished(Result<PlacementReplay> result);
    void fillModels();
    void finishWithout(const QString &why);

    Session *m_session;
    QComboBox *m_modelCombo;
    QPushButton *m_exportButton;
    QLabel *m_summary;
    PipelinePlot *m_plot;
    bool m_dirty = true;        // the focus changed while hidden: replay when shown
    bool m_wantsResult = false; // false after the focus went away: a late result is stale
    std::optional<PlacementReplay> m_replay;
    BackgroundJob<Result<PlacementReplay>> m_job;
};

} // namespace phaze
