#pragma once

// The Explore tab: throughput against area (or HBM size, or energy per sample) for every
// evaluated configuration, the Pareto front as a step line (its legend says whether it is exact
// or the front of the evaluated designs only), the baselines as distinct symbols,
// hover tooltips, zoom/pan, and click-to-select linked to the session's selected candidate.
// QCustomPlot stays out of this header (each TU that includes it costs ~15 s to compile).

#include <QPointF>
#include <QString>
#include <QWidget>

#include <cstddef>
#include <vector>

#include "core/search/searchtypes.h"

class QComboBox;
class QLabel;
class QCPGraph;
class QCustomPlot;
class QTimer;

namespace phaze {

class ResultStore;

class ParetoPlot : public QWidget
{
    Q_OBJECT

public:
    explicit ParetoPlot(ResultStore *store, QWidget *parent = nullptr);

    ParetoAxis axis() const { return m_axis; }
    void setAxis(ParetoAxis axis);
    // Store rows drawn as the front, in plotting order, and rows drawn as points.
    const std::vector<std::size_t> &frontRows() const { return m_frontRows; }
    const std::vector<std::size_t> &pointRows() const { return m_pointRows; }
    int baselineCount() const { return m_baselineCount; }
    // The front's legend name, and whether the front is exact (core/search/pareto.h
    // frontIsExact) rather than the front of the evaluated designs only.
    const QString &frontLabel() const { return m_frontLabel; }
    bool frontIsExact() const { return m_frontExact; }
    // Whether the what-if point of the project's own architecture is drawn.
    bool showsCurrentArchitecture() const { return m_hasCurrent; }
    // Where a store row is drawn, in plot widget pixels (for tests and tooltips).
    QPointF pixelOf(std::size_t row) const;
    QCustomPlot *plot() const { return m_plot; }
    // Streamed evaluations wait for the coalescing timer before they are drawn.
    bool isRebuildPending() const;

    // Writes the plot as PNG, PDF or SVG (by suffix) at widthPx x heightPx; PNG pixels are
    // multiplied by scale (2 for a 2x image of the same layout). Returns "" or the error.
    QString exportPlot(const QString &path, int widthPx, int heightPx, double scale = 1.0);

public slots:
    // Rebuilds every graph from the store now (streamed updates are coalesced by a timer).
    void rebuild();

private:
    void scheduleRebuild();
    void showSelection();
    void exportInteractively();
    // The store row drawn nearest to pixel, within maxDistance pixels, or -1.
    int nearestRow(const QPointF &pixel, double maxDistance) const;
    double xValue(std::size_t row) const;

    ResultStore *m_store;
    QComboBox *m_axisCombo;
    QLabel *m_frontNote;
    QCustomPlot *m_plot;
    QTimer *m_rebuildTimer;
    QCPGraph *m_selectionGraph = nullptr;
    ParetoAxis m_axis = ParetoAxis::Area;
    std::vector<std::size_t> m_frontRows;
    std::vector<std::size_t> m_pointRows;
    int m_baselineCount = 0;
    QString m_frontLabel;
    bool m_frontExact = false;
    bool m_hasCurrent = false;
    QPointF m_pressPos;
};

} // namespace phaze
