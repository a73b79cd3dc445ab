#pragma once

// The Memory tab: where the bytes of each pipeline stage go on one device (weights, gradients,
// optimizer state, activations, stash of in-flight microbatches) for the focused configuration
// and a chosen model, against its HBM capacity. ReplayTab does the replaying.

#include "widgets/replaytab.h"

namespace phaze {

class MemoryPlot;

class MemoryTab : public ReplayTab
{
    Q_OBJECT

public:
    explicit MemoryTab(Session *session, QWidget *parent = nullptr);

    // The HBM capacity the last replay is drawn against.
    double capacityBytes() const { return replayedConfig().hbmBytes; }
    MemoryPlot *memoryPlot() const { return m_plot; }
    // Text of the summary label: stages, per-device peak against the capacity, headroom.
    static QString summarize(const Placement &placement, double capacityBytes);

signals:
    // A replay finished (also after an error or when nothing is focused).
    void memoryReady(phaze::Status status, const QString &message);

protected:
    QString showReplay(const PlacementReplay &replay) override;
    void clearChart() override;
    QString workingText(const QString &focusLabel) const override;

private:
    MemoryPlot *m_plot;
};

} // namespace phaze
