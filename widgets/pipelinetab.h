#pragma once

// The Pipeline tab: the focused configuration's placement simulated microbatch by microbatch,
// drawn as stages x time; the summary gives the simulated makespan next to the closed-form time
// per batch and the bubble fraction. ReplayTab does the replaying.

#include "widgets/replaytab.h"

namespace phaze {

class PipelinePlot;

class PipelineTab : public ReplayTab
{
    Q_OBJECT

public:
    explicit PipelineTab(Session *session, QWidget *parent = nullptr);

    PipelinePlot *pipeline() const { return m_plot; }
    // Text of the summary label for a replay (makespan, closed form, bubble fraction).
    static QString summarize(const PlacementReplay &replay);

signals:
    // A replay finished (also after an error or when nothing is focused).
    void timelineReady(phaze::Status status, const QString &message);

protected:
    QString showReplay(const PlacementReplay &replay) override;
    void clearChart() override;
    QString workingText(const QString &focusLabel) const override;

private:
    PipelinePlot *m_plot;
};

} // namespace phaze
