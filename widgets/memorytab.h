#pragma once

// The Memory tab: where the bytes of each pipeline stage go on one device (weights, gradients,
// optimizer state, activations, stash of in-flight microbatches) for the focused configuration
// (the selected search result, else the what-if one) and a chosen model, against the HBM
// capacity. The placement is rebuilt at the configuration's knobs (replayPlacement) by a
// BackgroundJob, only while the tab is visible.

#include <QString>
#include <QWidget>

#include <optional>

#include "core/search/placementreplay.h"
#include "widgets/backgroundjob.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace phaze {

class MemoryPlot;
class Session;

class MemoryTab : public QWidget
{
    Q_OBJECT

public:
    explicit MemoryTab(Session *session, QWidget *parent = nullptr);
    // The job cancels and waits in its destructor, so the worker never outlives the tab.
    ~MemoryTab() override;

    bool isRunning() const { return m_job.isRunning(); }
    // The last replay, when it succeeded, and the HBM capacity it was drawn against.
    const std::optional<PlacementReplay> &replay() const { return m_replay; }
    double capacityBytes() const { return m_capacity; }
    int modelIndex() const;
    void setModelIndex(int index); // replays again
    MemoryPlot *memoryPlot() const { return m_plot; }
    QCustomPlot *plot() const;
    QString summaryText() const;
    // Writes the chart as PNG, PDF or SVG (by suffix). Returns "" or the error.
    QString exportPlot(const QString &path, int widthPx, int heightPx, double scale = 1.0);
    // Text of the summary label: stages, per-device peak against the capacity, headroom.
    static QString summarize(const Placement &placement, double capacityBytes);

public slots:
    // Replays the focused configuration again (cancelling a running job).
    void refresh();

signals:
    // A job finished (also after an error or when nothing is focused).
    void memoryReady(phaze::Status status, const QString &message);

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
    MemoryPlot *m_plot;
    bool m_dirty = true;        // the focus changed while hidden: replay when shown
    bool m_wantsResult = false; // false after the focus went away: a late result is stale
    double m_capacity = 0.0;
    std::optional<PlacementReplay> m_replay;
    BackgroundJob<Result<PlacementReplay>> m_job;
};

} // namespace phaze
