#include "widgets/pipelineplot.h"
#include "widgets/plotexport.h"

#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

#include <qcustomplot.h>

namespace phaze {

namespace {

constexpr double kMilli = 1e3; // the axis is in milliseconds
constexpr double kHalf = 0.38; // half a block's height, in rows
constexpr int kTickPt = 10;    // as styleTimelinePlot: bar labels are two points smaller

QColor kindColor(TimelineKind kind)
{
    switch (kind) {
    case TimelineKind::Forward:
        return QColor(31, 119, 180);
    case TimelineKind::Backward:
        return QColor(255, 127, 14);
    case TimelineKind::AllReduce:
        return QColor(44, 160, 44);
    }
    return Qt::gray;
}

QString kindName(TimelineKind kind)
{
    switch (kind) {
    case TimelineKind::Forward:
        return QObject::tr("Forward");
    case TimelineKind::Backward:
        return QObject::tr("Backward");
    case TimelineKind::AllReduce:
        return QObject::tr("Data-parallel all-reduce");
    }
    return {};
}

} // namespace

PipelinePlot::PipelinePlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    setObjectName("pipelinePlot");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName("pipelineCustomPlot");
    styleTimelinePlot(m_plot, tr("Time (ms)"), 3);

    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        const int block = blockAt(event->position());
        if (block < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), describe(block), m_plot);
    });
    clear();
}

void PipelinePlot::clear()
{
    m_events.clear();
    m_stages = 0;
    m_plot->clearItems();
    m_plot->clearGraphs();
    m_plot->legend->setVisible(false);
    m_plot->replot();
}

void PipelinePlot::setTimeline(const PipelineTimeline &timeline, int stages)
{
    clear();
    m_events = timeline.events;
    m_stages = stages;
    const double end = std::max(timeline.makespan, 1e-12);
    for (const TimelineEvent &e : m_events) {
        auto *rect = new QCPItemRect(m_plot);
        rect->topLeft->setCoords(e.start * kMilli, e.stage - kHalf);
        rect->bottomRight->setCoords(e.end * kMilli, e.stage + kHalf);
        const QColor color = kindColor(e.kind);
        rect->setPen(QPen(color.darker(150), 0.8));
        rect->setBrush(color);
        // Microbatch numbers where they fit; the tooltip has them always.
        if (e.microbatch >= 0 && e.end - e.start > 0.012 * end) {
            auto *text = new QCPItemText(m_plot);
            text->setClipToAxisRect(true);
            text->position->setCoords(0.5 * (e.start + e.end) * kMilli, e.stage);
            text->setText(QString::number(e.microbatch + 1));
            text->setColor(Qt::white);
            QFont small = font();
            small.setPointSize(kTickPt - 2);
            text->setFont(small);
        }
    }
    for (TimelineKind kind :
         {TimelineKind::Forward, TimelineKind::Backward, TimelineKind::AllReduce}) {
        if (std::none_of(m_events.begin(), m_events.end(),
                         [kind](const TimelineEvent &e) { return e.kind == kind; }))
            continue;
        QCPGraph *g = m_plot->addGraph();
        g->setName(kindName(kind));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, kindColor(kind).darker(150),
                                           kindColor(kind), 10));
    }
    m_plot->legend->setVisible(m_plot->graphCount() > 0);

    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int s = 0; s < stages; ++s)
        ticker->addTick(s, tr("Stage %1").arg(s + 1));
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(-0.7, double(stages) - 0.3);
    m_plot->xAxis->setRange(-0.01 * end * kMilli, 1.01 * end * kMilli);
    m_plot->replot();
}

int PipelinePlot::blockAt(const QPointF &pixel) const
{
    const double t = m_plot->xAxis->pixelToCoord(pixel.x()) / kMilli;
    const double y = m_plot->yAxis->pixelToCoord(pixel.y());
    for (std::size_t i = 0; i < m_events.size(); ++i) {
        const TimelineEvent &e = m_events[i];
        if (t >= e.start && t <= e.end && y >= e.stage - kHalf && y <= e.stage + kHalf)
            return int(i);
    }
    return -1;
}

QString PipelinePlot::describe(int block) const
{
    const TimelineEvent &e = m_events[std::size_t(block)];
    QString what = kindName(e.kind);
    if (e.microbatch >= 0)
        what += tr(", microbatch %1").arg(e.microbatch + 1);
    return tr("Stage %1: %2\nstart %3 ms, duration %4 ms")
        .arg(e.stage + 1)
        .arg(what)
        .arg(e.start * kMilli, 0, 'g', 5)
        .arg((e.end - e.start) * kMilli, 0, 'g', 5);
}

QPointF PipelinePlot::pixelOf(int block) const
{
    const TimelineEvent &e = m_events[std::size_t(block)];
    return {m_plot->xAxis->coordToPixel(0.5 * (e.start + e.end) * kMilli),
            m_plot->yAxis->coordToPixel(e.stage)};
}

} // namespace phaze
