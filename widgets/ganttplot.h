#pragma once

// An operator Gantt chart of one layer pass: one row per TC core and per VC core (and one for
// the chip-to-chip links when the pass has collectives), a bar per operator on the core(s) it
// holds, intra-operator operators spanning every core row, bars coloured by kind, a hover
// tooltip, time in microseconds. QCustomPlot stays out of this header.

#include <QPointF>
#include <QString>
#include <QWidget>

#include <vector>

#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

class QCustomPlot;

namespace phaze {

struct GanttBar {
    int op = 0; // index into the problem's operators
    OpMode mode = OpMode::Single;
    std::vector<int> rows; // rows it occupies (intra: every core row)
    double start = 0.0;    // s
    double end = 0.0;      // s
};

class GanttPlot : public QWidget
{
    Q_OBJECT

public:
    explicit GanttPlot(QWidget *parent = nullptr);

    // Draws the schedule; operators of zero duration (dropped before scheduling) get no bar.
    void setSchedule(const ScheduleProblem &problem, const Schedule &schedule);
    void clear();

    const std::vector<GanttBar> &bars() const { return m_bars; }
    // Row labels, top to bottom ("TC 0", ..., "VC 0", ..., "Links").
    const QStringList &rowLabels() const { return m_rowLabels; }
    // The bar drawn at a plot pixel, or -1; its tooltip text.
    int barAt(const QPointF &pixel) const;
    QString describe(int bar) const;
    // Centre of a bar's first row, in plot pixels (for tests).
    QPointF pixelOf(int bar) const;
    QCustomPlot *plot() const { return m_plot; }

private:
    QCustomPlot *m_plot;
    ScheduleProblem m_problem;
    std::vector<GanttBar> m_bars;
    QStringList m_rowLabels;
};

} // namespace phaze
