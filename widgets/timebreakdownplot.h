#pragma once

// Where a training iteration's time goes on its critical stage, under the system profile
// (core/system/trainingestimate.h's TimeBreakdown): one horizontal stacked bar from 0 to the
// iteration time, one segment per component (forward, backward, recomputation, tensor-, expert-
// and context-parallel communication, pipeline transfers, bubble, exposed data-parallel
// reduction, optimizer step), each wide enough labelled with its share. Zero components are
// left out of the bar and the legend. QCustomPlot stays out of this header.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "core/system/trainingestimate.h"

class QCustomPlot;

namespace phaze {

class TimeBreakdownPlot : public QWidget
{
    Q_OBJECT

public:
    struct Segment {
        QString label;
        double seconds = 0.0;
    };
    // The breakdown's non-zero components, in the order they are stacked.
    static std::vector<Segment> segmentsOf(const TimeBreakdown &time);

    explicit TimeBreakdownPlot(QWidget *parent = nullptr);

    // stage: the critical stage, numbered from 1 (the bar's label).
    void setBreakdown(const TimeBreakdown &time, int stage);
    void clear();
    // The legend's entries (the components drawn), first segment first.
    QStringList componentLabels() const;
    // The drawn length of the whole bar in seconds (read back from the plot), 0 when empty.
    double drawnTotalSeconds() const;
    QCustomPlot *plot() const { return m_plot; }

private:
    QCustomPlot *m_plot;
    std::vector<Segment> m_segments;
    double m_unit = 1.0; // seconds per axis unit (1 or 1e-3)
};

} // namespace phaze
