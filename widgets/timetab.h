#pragma once

// The Time tab: where the focused configuration's iteration goes on its critical stage under the
// system profile (forward, backward, recomputation, communication, bubble, optimizer step), as
// one stacked bar whose length is the time the search ranked, phaze evaluate prints and the
// Pipeline tab simulates. PHAZE's profile ranks a closed form without such a breakdown: the tab
// says so. ReplayTab does the replaying (the Pipeline and Memory tabs share the replay).

#include "widgets/replaytab.h"

namespace phaze {

class TimeBreakdownPlot;

class TimeTab : public ReplayTab
{
    Q_OBJECT

public:
    explicit TimeTab(Session *session, QWidget *parent = nullptr);

    TimeBreakdownPlot *breakdown() const { return m_plot; }
    // Text of the summary label for a replay.
    static QString summarize(const PlacementReplay &replay);

signals:
    // A replay finished (also after an error or when nothing is focused).
    void breakdownReady(phaze::Status status, const QString &message);

protected:
    QString showReplay(const PlacementReplay &replay) override;
    void clearChart() override;
    QString workingText(const QString &focusLabel) const override;

private:
    TimeBreakdownPlot *m_plot;
};

} // namespace phaze
