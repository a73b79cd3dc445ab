#include "widgets/ganttplot.h"
#include "widgets/plotexport.h"

#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

#include <qcustomplot.h>

namespace phaze {

namespace {

constexpr double kMicro = 1e6; // the axis is in microseconds
constexpr double kHalf = 0.38; // half a bar's height, in rows
constexpr int kTickPt = 10;    // as styleTimelinePlot: bar labels are two points smaller

QColor kindColor(ScheduleOpKind kind)
{
    switch (kind) {
    case ScheduleOpKind::TC:
        return QColor(31, 119, 180);
    case ScheduleOpKind::VC:
        return QColor(255, 127, 14);
    case ScheduleOpKind::TCVC:
        return QColor(44, 160, 44);
    case ScheduleOpKind::Collective:
        return QColor(148, 103, 189);
    case ScheduleOpKind::None:
        break;
    }
    return QColor(127, 127, 127);
}

} // namespace

GanttPlot::GanttPlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    setObjectName("ganttPlot");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName("ganttCustomPlot");
    styleTimelinePlot(m_plot, tr("Time (µs)"), 5);

    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        const int bar = barAt(event->position());
        if (bar < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), describe(bar), m_plot);
    });
    clear();
}

void GanttPlot::clear()
{
    m_problem = {};
    m_bars.clear();
    m_rowLabels.clear();
    m_plot->clearItems();
    m_plot->clearGraphs();
    m_plot->legend->setVisible(false);
    m_plot->replot();
}

void GanttPlot::setSchedule(const ScheduleProblem &problem, const Schedule &schedule)
{
    clear();
    m_problem = problem;
    const int numTc = problem.numTc, numVc = problem.numVc;
    bool collectives = false;
    for (const ScheduledOp &s : schedule.ops)
        collectives = collectives || (s.end > s.start && problem.ops[std::size_t(s.op)].kind ==
                                                             ScheduleOpKind::Collective);
    for (int i = 0; i < numTc; ++i)
        m_rowLabels << tr("TC %1").arg(i);
    for (int i = 0; i < numVc; ++i)
        m_rowLabels << tr("VC %1").arg(i);
    const int linkRow = numTc + numVc;
    if (collectives)
        m_rowLabels << tr("Links");

    std::vector<bool> kindUsed(5, false);
    for (const ScheduledOp &s : schedule.ops) {
        if (!(s.end > s.start))
            continue;
        const ScheduleOp &op = problem.ops[std::size_t(s.op)];
        GanttBar bar{s.op, s.mode, {}, s.start, s.end};
        if (op.kind == ScheduleOpKind::Collective) {
            bar.rows.push_back(linkRow);
        } else if (s.mode == OpMode::Intra) {
            for (int r = 0; r < numTc + numVc; ++r)
                bar.rows.push_back(r);
        } else {
            if (s.tcCore >= 0)
                bar.rows.push_back(s.tcCore);
            if (s.vcCore >= 0)
                bar.rows.push_back(numTc + s.vcCore);
        }
        if (bar.rows.empty())
            continue;
        kindUsed[std::size_t(op.kind)] = true;
        const QColor color = kindColor(op.kind);
        // Intra operators draw as one tall rectangle; contiguous row runs as one each.
        std::size_t i = 0;
        while (i < bar.rows.size()) {
            std::size_t j = i;
            while (j + 1 < bar.rows.size() && bar.rows[j + 1] == bar.rows[j] + 1)
                ++j;
            auto *rect = new QCPItemRect(m_plot);
            rect->topLeft->setCoords(s.start * kMicro, bar.rows[i] - kHalf);
            rect->bottomRight->setCoords(s.end * kMicro, bar.rows[j] + kHalf);
            rect->setPen(QPen(color.darker(140), 0.8));
            QColor fill = color;
            fill.setAlpha(s.mode == OpMode::Intra ? 150 : 220);
            rect->setBrush(fill);
            i = j + 1;
        }
        // Names on the bars wide enough to hold one; the tooltip has the rest.
        if (s.end - s.start > 0.06 * schedule.makespan) {
            auto *text = new QCPItemText(m_plot);
            text->setClipToAxisRect(true);
            text->position->setCoords(0.5 * (s.start + s.end) * kMicro,
                                      0.5 * (bar.rows.front() + bar.rows.back()));
            text->setText(QString::fromStdString(op.name));
            QFont small = font();
            small.setPointSize(kTickPt - 2);
            text->setFont(small);
            text->setRotation(bar.rows.size() > 2 ? -90 : 0);
        }
        m_bars.push_back(std::move(bar));
    }

    // The legend shows the kinds present, through empty graphs with a square symbol.
    for (ScheduleOpKind kind : {ScheduleOpKind::TC, ScheduleOpKind::VC, ScheduleOpKind::TCVC,
                                ScheduleOpKind::Collective}) {
        if (!kindUsed[std::size_t(kind)])
            continue;
        QCPGraph *g = m_plot->addGraph();
        g->setName(QString::fromUtf8(scheduleOpKindName(kind).data(),
                                     qsizetype(scheduleOpKindName(kind).size())));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, kindColor(kind).darker(140),
                                           kindColor(kind), 10));
    }
    m_plot->legend->setVisible(m_plot->graphCount() > 0);

    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int r = 0; r < m_rowLabels.size(); ++r)
        ticker->addTick(r, m_rowLabels[r]);
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(-0.7, double(m_rowLabels.size()) - 0.3);
    const double makespan = std::max(schedule.makespan, 1e-12);
    m_plot->xAxis->setRange(-0.02 * makespan * kMicro, 1.02 * makespan * kMicro);
    m_plot->replot();
}

int GanttPlot::barAt(const QPointF &pixel) const
{
    const double t = m_plot->xAxis->pixelToCoord(pixel.x()) / kMicro;
    const double y = m_plot->yAxis->pixelToCoord(pixel.y());
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const GanttBar &b = m_bars[i];
        if (t < b.start || t > b.end)
            continue;
        for (int r : b.rows)
            if (y >= r - kHalf && y <= r + kHalf)
                return int(i);
    }
    return -1;
}

QString GanttPlot::describe(int bar) const
{
    const GanttBar &b = m_bars[std::size_t(bar)];
    const ScheduleOp &op = m_problem.ops[std::size_t(b.op)];
    return tr("%1 (%2, %3)\nstart %4 µs, duration %5 µs")
        .arg(QString::fromStdString(op.name),
             QString::fromUtf8(scheduleOpKindName(op.kind).data(),
                               qsizetype(scheduleOpKindName(op.kind).size())),
             QString::fromUtf8(opModeName(b.mode).data(), qsizetype(opModeName(b.mode).size())))
        .arg(b.start * kMicro, 0, 'g', 5)
        .arg((b.end - b.start) * kMicro, 0, 'g', 5);
}

QPointF GanttPlot::pixelOf(int bar) const
{
    const GanttBar &b = m_bars[std::size_t(bar)];
    return {m_plot->xAxis->coordToPixel(0.5 * (b.start + b.end) * kMicro),
            m_plot->yAxis->coordToPixel(b.rows.front())};
}

} // namespace phaze
