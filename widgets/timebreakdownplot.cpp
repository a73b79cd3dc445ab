#include "widgets/timebreakdownplot.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include <qcustomplot.h>

#include "widgets/plotexport.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

// A segment narrower than this share of the bar carries no label (it would not fit).
constexpr double kLabelledShare = 0.06;

} // namespace

std::vector<TimeBreakdownPlot::Segment> TimeBreakdownPlot::segmentsOf(const TimeBreakdown &time)
{
    const std::vector<Segment> all = {
        {tr("Forward"), time.forward},
        {tr("Backward"), time.backward},
        {tr("Recomputation"), time.recomputation},
        {tr("Tensor-parallel"), time.tensorParallel},
        {tr("Expert all-to-all"), time.expertParallel},
        {tr("Context-parallel"), time.contextParallel},
        {tr("Pipeline transfers"), time.pipelineTransfers},
        {tr("Bubble"), time.bubble},
        {tr("Data-parallel (exposed)"), time.dataParallel},
        {tr("Optimizer step"), time.optimizerStep},
    };
    std::vector<Segment> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [](const Segment &s) { return s.seconds > 0.0; });
    return out;
}

TimeBreakdownPlot::TimeBreakdownPlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    setObjectName("timeBreakdownPlot");
    m_plot->setObjectName("timeBreakdownCustomPlot");
    m_plot->setMinimumSize(160, 120);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    stylePaperPlot(m_plot, kPaperTickPt, kPaperLabelPt, 4);
    styleCategoryAxis(m_plot->yAxis);
    clear();
}

void TimeBreakdownPlot::clear()
{
    m_segments.clear();
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->legend->setVisible(false);
    m_plot->replot();
}

void TimeBreakdownPlot::setBreakdown(const TimeBreakdown &time, int stage)
{
    clear();
    m_segments = segmentsOf(time);
    double total = 0.0;
    for (const Segment &s : m_segments)
        total += s.seconds;
    m_unit = total < 1.0 ? 1e-3 : 1.0;
    m_plot->xAxis->setLabel(m_unit < 1.0 ? tr("Time per iteration (ms)")
                                         : tr("Time per iteration (s)"));
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    ticker->addTick(1.0, tr("Stage %1\n(critical)").arg(stage));
    m_plot->yAxis->setTicker(ticker);
    QCPBars *below = nullptr;
    double start = 0.0;
    for (std::size_t k = 0; k < m_segments.size(); ++k) {
        const Segment &s = m_segments[k];
        // Horizontal bars: the key axis is the y axis.
        auto *bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
        bars->setName(s.label);
        bars->setWidth(0.5);
        bars->setPen(QPen(Qt::white, 0.5));
        bars->setBrush(categoryColour(k));
        bars->setStackingGap(0);
        bars->addData(1.0, s.seconds / m_unit);
        if (below)
            bars->moveAbove(below);
        below = bars;
        const double share = total > 0.0 ? s.seconds / total : 0.0;
        if (share >= kLabelledShare) {
            auto *text = new QCPItemText(m_plot);
            text->position->setCoords((start + s.seconds / 2.0) / m_unit, 1.0);
            text->setText(u"%1%"_s.arg(100.0 * share, 0, 'f', 0));
            text->setColor(qGray(categoryColour(k).rgb()) < 110 ? Qt::white : Qt::black);
            QFont font = m_plot->xAxis->tickLabelFont();
            text->setFont(font);
        }
        start += s.seconds;
    }
    m_plot->legend->setVisible(!m_segments.empty());
    m_plot->xAxis->setRange(0.0, total > 0.0 ? 1.02 * total / m_unit : 1.0);
    m_plot->yAxis->setRange(0.4, 1.6);
    m_plot->replot();
}

QStringList TimeBreakdownPlot::componentLabels() const
{
    QStringList out;
    for (const Segment &s : m_segments)
        out << s.label;
    return out;
}

double TimeBreakdownPlot::drawnTotalSeconds() const
{
    double total = 0.0;
    for (int i = 0; i < m_plot->plottableCount(); ++i)
        if (auto *bars = qobject_cast<QCPBars *>(m_plot->plottable(i)))
            for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
                total += it->value;
    return total * m_unit;
}

} // namespace phaze
