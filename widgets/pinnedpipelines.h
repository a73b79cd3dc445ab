#pragma once

// The pipelines of the pinned designs, one above the other on one time axis, for a chosen model:
// each pin's placement replayed (replayPlacement, the Pipeline tab's simulation) with the project
// it was evaluated with, by a BackgroundJob while the view is visible (conventions.md rule 9).
// A shared axis makes the lengths comparable at a glance: the fastest design ends first.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <string>
#include <vector>

#include "core/evaluation/placementreplay.h"
#include "widgets/backgroundjob.h"

class QComboBox;
class QLabel;
class QVBoxLayout;

namespace phaze {

class PipelinePlot;
class Session;

class PinnedPipelines : public QWidget
{
    Q_OBJECT

public:
    explicit PinnedPipelines(Session *session, QWidget *parent = nullptr);

    bool isRunning() const { return m_job.isRunning(); }
    int modelIndex() const;
    void setModelIndex(int index); // replays again
    // One per pinned design, in pin order: its timeline (empty when it has no placement for
    // the model) and the line above it (label and summary, or why there is no pipeline).
    std::vector<PipelinePlot *> plots() const { return m_plots; }
    QStringList captions() const;
    QString statusText() const;
    // The replays shown, in pin order (nullopt where a pin has none).
    const std::vector<std::optional<PlacementReplay>> &replays() const { return m_replays; }

public slots:
    // Replays every pin again (now when visible, else when next shown).
    void refresh();

signals:
    void pipelinesReady();

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct PinReplay {
        QString label;
        std::optional<PlacementReplay> replay;
        QString message; // why there is none
    };
    struct Run {
        std::vector<PinReplay> pins;
        std::string failure;
        static Run error(const std::string &why) { return Run{{}, why}; }
    };
    void start();
    void display(const Run &run);
    void clearRows();
    void fillModels();

    Session *m_session;
    QComboBox *m_model;
    QLabel *m_status;
    QVBoxLayout *m_rows;
    std::vector<QLabel *> m_captions;
    std::vector<PipelinePlot *> m_plots;
    std::vector<std::optional<PlacementReplay>> m_replays;
    bool m_stale = true;
    BackgroundJob<Run> m_job;
};

} // namespace phaze
