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
    case TimelineKind::Transfer:
        return QColor(148, 103, 189);
    case TimelineKind::OptimizerStep:
        return QColor(127, 127, 127);
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
    case TimelineKind::Transfer:
        return QObject::tr("Pipeline transfer");
    case TimelineKind::OptimizerStep:
        return QObject::tr("Optimizer step");
    }
    return {};
}

bool isStageWork(TimelineKind kind)
{
    return kind == TimelineKind::Forward || kind == TimelineKind::Backward ||
           kind == TimelineKind::Transfer;
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
    // The system profile's gradient reduction overlaps the last backward pass: it gets a band
    // of its own in the stage's row, so neither hides the other.
    m_splitRows = std::any_of(m_events.begin(), m_events.end(), [](const TimelineEvent &e) {
        return e.kind == TimelineKind::OptimizerStep || e.kind == TimelineKind::Transfer;
    });
    const double end = std::max(timeline.makespan, 1e-12);
    for (const TimelineEvent &e : m_events) {
        auto *rect = new QCPItemRect(m_plot);
        const auto [low, high] = rowSpan(e);
        rect->topLeft->setCoords(e.start * kMilli, low);
        rect->bottomRight->setCoords(e.end * kMilli, high);
        const QColor color = kindColor(e.kind);
        rect->setPen(QPen(color.darker(150), 0.8));
        rect->setBrush(color);
        // Microbatch numbers where they fit; the tooltip has them always.
        if (e.microbatch >= 0 && e.kind != TimelineKind::Transfer && e.end - e.start > 0.012 * end) {
            auto *text = new QCPItemText(m_plot);
            text->setClipToAxisRect(true);
            text->position->setCoords(0.5 * (e.start + e.end) * kMilli, 0.5 * (low + high));
            text->setText(QString::number(e.microbatch + 1));
            text->setColor(Qt::white);
            QFont small = font();
            small.setPointSize(kTickPt - 2);
            text->setFont(small);
        }
    }
    for (TimelineKind kind : {TimelineKind::Forward, TimelineKind::Backward, TimelineKind::Transfer,
                              TimelineKind::AllReduce, TimelineKind::OptimizerStep}) {
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
        const auto [low, high] = rowSpan(e);
        if (t >= e.start && t <= e.end && y >= low && y <= high)
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
    if (m_splitRows) // the system profile's schedule: say which model chunk
        what += tr(", chunk %1").arg(e.chunk + 1);
    return tr("Stage %1: %2\nstart %3 ms, duration %4 ms")
        .arg(e.stage + 1)
        .arg(what)
        .arg(e.start * kMilli, 0, 'g', 5)
        .arg((e.end - e.start) * kMilli, 0, 'g', 5);
}

QPointF PipelinePlot::pixelOf(int block) const
{
    const TimelineEvent &e = m_events[std::size_t(block)];
    const auto [low, high] = rowSpan(e);
    return {m_plot->xAxis->coordToPixel(0.5 * (e.start + e.end) * kMilli),
            m_plot->yAxis->coordToPixel(0.5 * (low + high))};
}

std::pair<double, double> PipelinePlot::rowSpan(const TimelineEvent &e) const
{
    if (!m_splitRows)
        return {e.stage - kHalf, e.stage + kHalf};
    const double split = e.stage + kHalf / 3.0;
    if (isStageWork(e.kind))
        return {e.stage - kHalf, split};
    return {split, e.stage + kHalf};
}

} // namespace phaze
