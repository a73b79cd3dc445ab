#include "widgets/ganttplot.h"
#include "widgets/plotexport.h"

#include <QFontMetricsF>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

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
    // The viewport has its new size before the layout runs (a resize, or an export at another
    // size), so the labels are thinned then; the layout afterwards tells the margins it took.
    connect(m_plot, &QCustomPlot::beforeReplot, this, &GanttPlot::thinLabels);
    connect(m_plot, &QCustomPlot::afterLayout, this, &GanttPlot::checkLabelsAfterLayout);
    clear();
}

void GanttPlot::clear()
{
    m_problem = {};
    m_schedule = {};
    m_bars.clear();
    m_rows.clear();
    m_rowLabels.clear();
    m_labelledRows.clear();
    m_barTexts.clear();
    m_labelStride = 0;
    m_plot->clearItems();
    m_plot->clearGraphs();
    m_plot->legend->setVisible(false);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_plot->replot();
}

void GanttPlot::setFolded(bool folded)
{
    if (folded == m_folded)
        return;
    m_folded = folded;
    if (!m_problem.ops.empty())
        setSchedule(ScheduleProblem(m_problem), Schedule(m_schedule));
    emit foldedChanged(folded);
}

void GanttPlot::setSchedule(const ScheduleProblem &problem, const Schedule &schedule)
{
    clear();
    m_problem = problem;
    m_schedule = schedule;
    const int numTc = problem.numTc, numVc = problem.numVc;
    bool collectives = false;
    for (const ScheduledOp &s : schedule.ops)
        collectives = collectives || (s.end > s.start && problem.ops[std::size_t(s.op)].kind ==
                                                             ScheduleOpKind::Collective);
    const int linkRow = numTc + numVc;

    for (const ScheduledOp &s : schedule.ops) {
        if (!(s.end > s.start))
            continue;
        const ScheduleOp &op = problem.ops[std::size_t(s.op)];
        GanttBar bar{
            .op = s.op, .mode = s.mode, .cores = {}, .rows = {}, .start = s.start, .end = s.end};
        if (op.kind == ScheduleOpKind::Collective) {
            bar.cores.push_back(linkRow);
        } else if (s.mode == OpMode::Intra) {
            for (int r = 0; r < numTc + numVc; ++r)
                bar.cores.push_back(r);
        } else {
            if (s.tcCore >= 0)
                bar.cores.push_back(s.tcCore);
            if (s.vcCore >= 0)
                bar.cores.push_back(numTc + s.vcCore);
        }
        if (!bar.cores.empty())
            m_bars.push_back(std::move(bar));
    }
    m_rows = layoutGanttRows(numTc, numVc, collectives, m_folded, m_bars);
    for (const GanttRow &r : m_rows)
        m_rowLabels << r.label;

    std::vector<bool> kindUsed(5, false);
    for (std::size_t b = 0; b < m_bars.size(); ++b) {
        const GanttBar &bar = m_bars[b];
        const ScheduleOp &op = problem.ops[std::size_t(bar.op)];
        kindUsed[std::size_t(op.kind)] = true;
        const QColor color = kindColor(op.kind);
        // Intra operators draw as one tall rectangle; contiguous row runs as one each.
        std::size_t i = 0;
        while (i < bar.rows.size()) {
            std::size_t j = i;
            while (j + 1 < bar.rows.size() && bar.rows[j + 1] == bar.rows[j] + 1)
                ++j;
            auto *rect = new QCPItemRect(m_plot);
            rect->topLeft->setCoords(bar.start * kMicro, bar.rows[i] - kHalf);
            rect->bottomRight->setCoords(bar.end * kMicro, bar.rows[j] + kHalf);
            rect->setPen(QPen(color.darker(140), 0.8));
            QColor fill = color;
            fill.setAlpha(bar.mode == OpMode::Intra ? 150 : 220);
            rect->setBrush(fill);
            i = j + 1;
        }
        // The name, where it fits (flat or upright: decided at each replot, as zoom and size
        // change); the tooltip has the rest.
        auto *text = new QCPItemText(m_plot);
        text->setClipToAxisRect(true);
        text->position->setCoords(0.5 * (bar.start + bar.end) * kMicro,
                                  0.5 * (bar.rows.front() + bar.rows.back()));
        text->setText(QString::fromStdString(op.name));
        QFont small = font();
        small.setPointSize(kTickPt - 2);
        text->setFont(small);
        m_barTexts.push_back({text, int(b)});
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

    m_plot->yAxis->setRange(-0.7, double(m_rowLabels.size()) - 0.3);
    const double makespan = std::max(schedule.makespan, 1e-12);
    m_plot->xAxis->setRange(-0.02 * makespan * kMicro, 1.02 * makespan * kMicro);
    m_plot->replot();
}

void GanttPlot::thinLabels()
{
    // The axis rect's height once laid out at this viewport height; before the first layout a
    // guess that errs towards fewer labels.
    const int margins = m_laidOutMargins > 0 ? m_laidOutMargins : 120;
    applyLabelStride(std::max(1, m_plot->viewport().height() - margins));
}

void GanttPlot::checkLabelsAfterLayout()
{
    m_laidOutMargins = m_plot->viewport().height() - m_plot->axisRect()->height();
    // An export lays out at its own size without a replot (and a guess can be wrong): when the
    // real height asks for other labels, give the axis its ticks again before it draws.
    if (applyLabelStride(m_plot->axisRect()->height()))
        m_plot->axisRect()->update(QCPLayoutElement::upPreparation);
}

bool GanttPlot::applyLabelStride(double axisHeight)
{
    const int rows = int(m_rowLabels.size());
    if (rows == 0)
        return false;
    const double pitch = std::max(1.0, axisHeight) / m_plot->yAxis->range().size(); // px per row
    const double needed = 1.15 * QFontMetricsF(m_plot->yAxis->tickLabelFont()).lineSpacing();
    placeBarNames(pitch);
    // Two labels at least `gap` rows apart; within a kind of core, every `stride`-th row from
    // its first (1, 2, 5, 10, 20, 50, ...: "TC 0, TC 500, TC 1000" reads better than steps of
    // 268).
    const int gap = std::max(1, int(std::ceil(needed / pitch)));
    int stride = 1;
    for (int decade = 1; stride < gap; decade *= 10)
        for (int step : {1, 2, 5})
            if (stride < gap)
                stride = step * decade;
    if (stride == m_labelStride)
        return false;
    m_labelStride = stride;
    m_labelledRows.clear();
    const int numCores = m_problem.numTc + m_problem.numVc;
    auto kindOf = [&](int row) {
        const int core = m_rows[std::size_t(row)].cores.front();
        return core < m_problem.numTc ? 0 : core < numCores ? 1 : 2;
    };
    int kind = -1, kindStart = 0;
    for (int r = 0; r < rows; ++r) {
        const bool first = kindOf(r) != kind;
        if (first) {
            kind = kindOf(r);
            kindStart = r;
        }
        if (!first && (r - kindStart) % stride != 0)
            continue;
        if (!m_labelledRows.empty() && r - m_labelledRows.back() < gap) {
            if (!first)
                continue;
            m_labelledRows.pop_back(); // where a kind's cores begin matters more
        }
        m_labelledRows.push_back(r);
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int r : m_labelledRows)
        ticker->addTick(r, m_rowLabels[r]);
    m_plot->yAxis->setTicker(ticker);
    return true;
}

void GanttPlot::placeBarNames(double pitch)
{
    const QCPAxis *x = m_plot->xAxis;
    for (const auto &[text, index] : m_barTexts) {
        const GanttBar &bar = m_bars[std::size_t(index)];
        const double width =
            std::abs(x->coordToPixel(bar.end * kMicro) - x->coordToPixel(bar.start * kMicro));
        const double height = (bar.rows.back() - bar.rows.front() + 2 * kHalf) * pitch;
        const QFontMetricsF metrics(text->font());
        const double length = metrics.horizontalAdvance(text->text()) + 4;
        const double thickness = metrics.height();
        const bool flat = length <= width && thickness <= height;
        const bool upright = length <= height && thickness <= width;
        text->setVisible(flat || upright);
        text->setRotation(flat ? 0 : -90);
    }
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
