#pragma once

// Memory per device of a placement's pipeline stages: one stacked bar per stage (weights,
// gradients, optimizer state, activations, stash of the other in-flight microbatches) against a
// dashed line at the HBM capacity; hover tooltips give the parts of a stage. GiB on the y axis.
// QCustomPlot stays out of this header.

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "core/placement/placement.h"

class QCustomPlot;

namespace phaze {

class MemoryPlot : public QWidget
{
    Q_OBJECT

public:
    // The stacked parts, bottom first.
    enum class Part { Weights, Gradients, Optimizer, Activations, Stash };
    static constexpr int kPartCount = 5;
    static QString partName(Part part);
    static double partBytes(const MemoryBreakdown &memory, Part part);

    explicit MemoryPlot(QWidget *parent = nullptr);

    void setStages(const std::vector<PlacedStage> &stages, double capacityBytes);
    void clear();

    int stageCount() const { return int(m_stages.size()); }
    // What is drawn, read back from the plot: the height of one part of a stage's bar and the
    // HBM line (GiB), and the labels under the bars.
    double drawnPartGiB(int stage, Part part) const;
    double drawnCapacityGiB() const;
    QStringList stageLabels() const;
    // The stage under a plot pixel, or -1; its tooltip text.
    int stageAt(const QPointF &pixel) const;
    QString describe(int stage) const;
    QCustomPlot *plot() const { return m_plot; }

private:
    QCustomPlot *m_plot;
    std::vector<PlacedStage> m_stages;
    double m_capacity = 0.0;
};

} // namespace phaze
