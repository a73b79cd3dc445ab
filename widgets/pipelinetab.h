#pragma once

// The Pipeline tab: the selected search result's placement, rebuilt at its best knobs and
// simulated microbatch by microbatch (replayPlacement), drawn as stages x time; a label gives
// the simulated makespan next to the closed-form time per batch and the bubble fraction. The
// replay runs in a job on the thread pool (conventions.md rule 9), cancelled when the selection
// changes and in the destructor.

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

#include <optional>

#include "core/base/progress.h"
#include "core/search/placementreplay.h"

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
    // Cancels a running job and waits for it, so the worker never outlives the tab.
    ~PipelineTab() override;

    bool isRunning() const { return m_running; }
    // The last replay, when it succeeded.
    const std::optional<PlacementReplay> &replay() const { return m_replay; }
    PipelinePlot *pipeline() const { return m_plot; }
    QString summaryText() const;
    // Writes the chart as PNG, PDF or SVG (by suffix). Returns "" or the error.
    QString exportPlot(const QString &path, int widthPx, int heightPx, double scale = 1.0);
    // Text of the summary label for a replay (makespan, closed form, bubble fraction).
    static QString summarize(const PlacementReplay &replay);

public slots:
    // Replays the selected result again (cancelling a running job).
    void refresh();

signals:
    // A job finished (also after an error or when nothing is selected).
    void timelineReady(phaze::Status status, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void start();
    void onFinished();
    void fillModels();

    Session *m_session;
    QComboBox *m_modelCombo;
    QPushButton *m_exportButton;
    QLabel *m_summary;
    PipelinePlot *m_plot;
    QFutureWatcher<Result<PlacementReplay>> m_watcher;
    CancelToken m_cancel;
    bool m_running = false;
    bool m_restart = false; // the selection changed while running: start again when it ends
    bool m_dirty = true;    // the selection changed while hidden: replay when shown
    std::optional<PlacementReplay> m_replay;
};

} // namespace phaze
