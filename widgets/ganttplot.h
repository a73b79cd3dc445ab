#pragma once

// An operator Gantt chart of one layer pass: one row per TC core and per VC core (and one for
// the chip-to-chip links when the pass has collectives), a bar per operator on the core(s) it
// holds, intra-operator operators spanning every core row, bars coloured by kind, a hover
// tooltip, time in microseconds. Identical cores fold into one row by default (ganttrows.h),
// and the row labels are thinned to every k-th so that none overlap, even with thousands of
// rows. QCustomPlot stays out of this header.

#include <QPointF>
#include <QString>
#include <QWidget>

#include <utility>
#include <vector>

#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"
#include "widgets/ganttrows.h"

class QCPItemText;
class QCustomPlot;

namespace phaze {

class GanttPlot : public QWidget
{
    Q_OBJECT

public:
    explicit GanttPlot(QWidget *parent = nullptr);

    // Draws the schedule; operators of zero duration (dropped before scheduling) get no bar.
    void setSchedule(const ScheduleProblem &problem, const Schedule &schedule);
    void clear();
    // Folded (the default): one row per group of identical cores. Redraws the schedule.
    bool isFolded() const { return m_folded; }
    void setFolded(bool folded);

    const std::vector<GanttBar> &bars() const { return m_bars; }
    const std::vector<GanttRow> &rows() const { return m_rows; }
    // Row labels, top to bottom ("TC 0", ..., "VC 0", ..., "Links"; folded: "TC 2–63 (×62)").
    const QStringList &rowLabels() const { return m_rowLabels; }
    // The rows whose label is drawn: all of them when they fit, else every k-th.
    const std::vector<int> &labelledRows() const { return m_labelledRows; }
    // The bar drawn at a plot pixel, or -1; its tooltip text.
    int barAt(const QPointF &pixel) const;
    QString describe(int bar) const;
    // Centre of a bar's first row, in plot pixels (for tests).
    QPointF pixelOf(int bar) const;
    QCustomPlot *plot() const { return m_plot; }

signals:
    void foldedChanged(bool folded);

private:
    void draw();
    // Before every replot (a resize): one label per k rows, k as small as leaves room for each.
    void thinLabels();
    void checkLabelsAfterLayout();
    // Labels for an axis rect this high; true when they changed.
    bool applyLabelStride(double axisHeight);
    // Each bar's name flat, upright or hidden: whichever fits its rectangle at pitch px per row.
    void placeBarNames(double pitch);

    QCustomPlot *m_plot;
    ScheduleProblem m_problem;
    Schedule m_schedule;
    bool m_folded = true;
    std::vector<GanttBar> m_bars;
    std::vector<GanttRow> m_rows;
    QStringList m_rowLabels;
    std::vector<int> m_labelledRows;
    int m_labelStride = 0;    // a label every m_labelStride rows (0: not thinned yet)
    int m_laidOutMargins = 0; // viewport height less the axis rect's, at the last layout
    // The bars' names, with the index of their bar.
    std::vector<std::pair<QCPItemText *, int>> m_barTexts;
};

} // namespace phaze
