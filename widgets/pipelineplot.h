#pragma once

// A pipeline timeline: one row per stage (first stage on top), a block per forward and per
// backward of every microbatch in two colours, the data-parallel all-reduce at the end of each
// stage, bubbles left as gaps; hover tooltips name the microbatch. Time in milliseconds.
// QCustomPlot stays out of this header.

#include <QPointF>
#include <QString>
#include <QWidget>

#include <utility>

#include "core/placement/pipelinetimeline.h"

class QCustomPlot;

namespace phaze {

class PipelinePlot : public QWidget
{
    Q_OBJECT

public:
    explicit PipelinePlot(QWidget *parent = nullptr);

    void setTimeline(const PipelineTimeline &timeline, int stages);
    void clear();

    int stageCount() const { return m_stages; }
    // The drawn blocks: the timeline's events (empty after clear()).
    const std::vector<TimelineEvent> &blocks() const { return m_events; }
    // The block at a plot pixel, or -1; its tooltip text; the centre of a block in pixels.
    int blockAt(const QPointF &pixel) const;
    QString describe(int block) const;
    QPointF pixelOf(int block) const;
    QCustomPlot *plot() const { return m_plot; }

private:
    QCustomPlot *m_plot;
    std::vector<TimelineEvent> m_events;
    int m_stages = 0;
    bool m_splitRows = false; // work and collectives in separate bands of a stage's row
    // The vertical extent of an event's block, in stage rows.
    std::pair<double, double> rowSpan(const TimelineEvent &e) const;
};

} // namespace phaze
