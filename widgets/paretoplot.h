#pragma once

// The Explore tab: throughput against area (or HBM size, or energy per sample) for every
// evaluated configuration, the Pareto front as a step line (its legend says whether it is exact
// or the front of the evaluated designs only), the baselines as distinct symbols,
// hover tooltips, zoom/pan, and click-to-select linked to the session's selected candidate.
// The points can be coloured by a parameter of their configuration (widgets/colourgroups.h),
// each axis can be logarithmic, and Reset zoom (or a double-click) shows every drawn point again.
// QCustomPlot stays out of this header (each TU that includes it costs ~15 s to compile).

#include <QPointF>
#include <QString>
#include <QWidget>

#include <cstddef>
#include <vector>

#include "core/search/searchtypes.h"
#include "widgets/colourgroups.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QCPGraph;
class QCPColorScale;
class QCPLayoutElement;
class QCPLegend;
class QCPMarginGroup;
class QCustomPlot;
class QTimer;

namespace phaze {

class ResultStore;

class ParetoPlot : public QWidget
{
    Q_OBJECT

public:
    explicit ParetoPlot(ResultStore *store, QWidget *parent = nullptr);
    ~ParetoPlot() override;

    ParetoAxis axis() const { return m_axis; }
    void setAxis(ParetoAxis axis);
    // Colours the points by a parameter: one graph per distinct value, in value order, listed
    // in a legend of their own under the main one; more values than the palette has colours
    // (usesRamp) get the ramp and a colour bar labelled with the values instead. ColourBy::None
    // draws one graph, "Configurations" (graph 0).
    ColourBy colourBy() const { return m_colourBy; }
    // A point's hover text: the configuration (ResultsModel::describe) and, when the points are
    // coloured, its value of the colouring parameter.
    QString tooltipFor(std::size_t row) const;
    void setColourBy(ColourBy by);
    // The groups drawn (empty without colouring) and the graph of each, in the same order.
    const std::vector<ColourGroup> &drawnGroups() const { return m_groups; }
    const std::vector<QCPGraph *> &groupGraphs() const { return m_groupGraphs; }
    QCPLegend *colourLegend() const { return m_colourLegend; }
    QCPColorScale *colourScale() const { return m_colourScale; }
    // Logarithmic axes. A value <= 0 cannot be drawn on one: such points are left out of every
    // graph and of pointRows() (so they cannot be clicked), and a note above the plot says so.
    bool logX() const { return m_logX; }
    bool logY() const { return m_logY; }
    void setLogX(bool on);
    void setLogY(bool on);
    // Feasible configurations left out because a log axis cannot show them.
    std::size_t undrawnCount() const { return m_undrawn; }
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
    // Rescales both axes to every drawn point, baseline and the current architecture, with a
    // margin; the Reset zoom button and a double-click on the plot do this.
    void resetZoom();

private:
    void scheduleRebuild();
    void showSelection();
    void exportInteractively();
    // The store row drawn nearest to pixel, within maxDistance pixels, or -1.
    int nearestRow(const QPointF &pixel, double maxDistance) const;
    double xValue(std::size_t row) const;
    // Whether a point can be drawn on the axes' scales (a log axis has no place for <= 0).
    bool drawable(double x, double y) const;
    void drawPoints();
    void fitAxes();
    void applyScales();
    void showColourKey(bool legend, bool scale);
    void labelColourScale();
    // Puts element in a row of its own under the others, or takes it out of the layout.
    void place(QCPLayoutElement *element, bool shown);
    bool isPlaced(QCPLayoutElement *element) const;

    ResultStore *m_store;
    QComboBox *m_axisCombo;
    QComboBox *m_colourCombo;
    QCheckBox *m_logXBox;
    QCheckBox *m_logYBox;
    QLabel *m_frontNote;
    QLabel *m_logNote;
    QCPLegend *m_colourLegend = nullptr;     // owned by the plot's layout while placed in it
    QCPColorScale *m_colourScale = nullptr;  // the plot's child; its layout's while placed
    QCPMarginGroup *m_marginGroup = nullptr; // the colour bar spans the axes' width
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
    ColourBy m_colourBy = ColourBy::None;
    std::vector<ColourGroup> m_groups;
    std::vector<QCPGraph *> m_groupGraphs;
    bool m_logX = false;
    bool m_logY = false;
    std::size_t m_undrawn = 0;
};

} // namespace phaze
