#include "widgets/memoryplot.h"

#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include <qcustomplot.h>

#include "widgets/plotexport.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;
constexpr double kBarWidth = 0.6;
// Sizes that stay legible when a 1000 px wide export is printed in one column of a two-column
// paper (as the Pareto plot).
constexpr int kTickPt = kPaperTickPt;
constexpr int kLabelPt = kPaperLabelPt;
// Up to kMaxLongLabels stages read "Stage k / layers a-b"; up to kMaxRangeLabels "k / a-b"; beyond
// that numbers, and beyond kMaxLabels only every n-th stage, so that labels never overlap in a
// one-column figure or a docked window.
constexpr int kMaxLongLabels = 4;
constexpr int kMaxRangeLabels = 12;
constexpr int kMaxLabels = 24;

QColor partColor(MemoryPlot::Part part)
{
    switch (part) {
    case MemoryPlot::Part::Weights:
        return QColor(31, 119, 180);
    case MemoryPlot::Part::Gradients:
        return QColor(158, 202, 225);
    case MemoryPlot::Part::Optimizer:
        return QColor(148, 103, 189);
    case MemoryPlot::Part::Activations:
        return QColor(255, 127, 14);
    case MemoryPlot::Part::Stash:
        return QColor(253, 208, 162);
    }
    return Qt::gray;
}

const QColor kCapacityColor(214, 39, 40);

} // namespace

QString MemoryPlot::partName(Part part)
{
    switch (part) {
    case Part::Weights:
        return tr("Weights");
    case Part::Gradients:
        return tr("Gradients");
    case Part::Optimizer:
        return tr("Optimizer state");
    case Part::Activations:
        return tr("Activations");
    case Part::Stash:
        return tr("Stash");
    }
    return {};
}

double MemoryPlot::partBytes(const MemoryBreakdown &memory, Part part)
{
    switch (part) {
    case Part::Weights:
        return memory.weights;
    case Part::Gradients:
        return memory.gradients;
    case Part::Optimizer:
        return memory.optimizer;
    case Part::Activations:
        return memory.activations;
    case Part::Stash:
        return memory.stash;
    }
    return 0.0;
}

MemoryPlot::MemoryPlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    setObjectName("memoryPlot");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName("memoryCustomPlot");
    m_plot->setMouseTracking(true);

    stylePaperPlot(m_plot, kTickPt, kLabelPt, 3);
    styleCategoryAxis(m_plot->xAxis);
    m_plot->yAxis->setLabel(tr("Memory per device (GiB)"));

    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        const int stage = stageAt(event->position());
        if (stage < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), describe(stage), m_plot);
    });
    clear();
}

void MemoryPlot::clear()
{
    m_stages.clear();
    m_capacity = 0.0;
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->legend->setVisible(false);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_plot->xAxis->setLabel({});
    m_plot->xAxis->setRange(-0.6, 0.6);
    m_plot->yAxis->setRange(0, 1);
    m_plot->replot();
}

void MemoryPlot::setStages(const std::vector<PlacedStage> &stages, double capacityBytes)
{
    clear();
    m_stages = stages;
    m_capacity = capacityBytes;
    const int n = int(stages.size());
    QVector<double> keys;
    for (int k = 0; k < n; ++k)
        keys.push_back(k);

    double top = capacityBytes / kGiB;
    QCPBars *below = nullptr;
    for (int p = 0; p < kPartCount; ++p) {
        const Part part = Part(p);
        QVector<double> values;
        for (const PlacedStage &s : stages)
            values.push_back(partBytes(s.memory, part) / kGiB);
        auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(partName(part));
        bars->setWidth(kBarWidth);
        bars->setPen(QPen(partColor(part).darker(140), 0.8));
        bars->setBrush(partColor(part));
        bars->setData(keys, values, true);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    for (const PlacedStage &s : stages)
        top = std::max(top, s.memory.total() / kGiB);

    // The capacity as a graph across the whole axis, so that the legend shows it too.
    QCPGraph *capacity = m_plot->addGraph();
    const double hbm = capacityBytes / kGiB;
    capacity->setName(tr("HBM capacity"));
    capacity->setPen(QPen(kCapacityColor, 2.0, Qt::DashLine));
    capacity->setData({-0.6, n - 0.4}, {hbm, hbm}, true);
    auto *text = new QCPItemText(m_plot);
    text->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    text->position->setTypeY(QCPItemPosition::ptPlotCoords);
    text->position->setCoords(0.99, hbm);
    text->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    text->setText(tr("HBM %1 GiB").arg(hbm, 0, 'g', 4));
    text->setColor(kCapacityColor);
    text->setBrush(QColor(255, 255, 255, 210));
    text->setPadding(QMargins(3, 1, 3, 1));
    QFont small = font();
    small.setPointSize(kTickPt);
    text->setFont(small);

    // Labels: "Stage k" over the layer range (counted 1.. along the pipeline) while they fit.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int every = n > kMaxLabels ? int(std::ceil(double(n) / kMaxLabels)) : 1;
    int first = 1;
    for (int k = 0; k < n; ++k) {
        const int count = int(stages[std::size_t(k)].layers.size());
        const int last = first + count - 1;
        if (n <= kMaxLongLabels)
            ticker->addTick(k, count == 1
                                   ? tr("Stage %1\nlayer %2").arg(k + 1).arg(first)
                                   : tr("Stage %1\nlayers %2–%3").arg(k + 1).arg(first).arg(last));
        else if (n <= kMaxRangeLabels)
            ticker->addTick(k, count == 1 ? tr("%1\n%2").arg(k + 1).arg(first)
                                          : tr("%1\n%2–%3").arg(k + 1).arg(first).arg(last));
        else if (k % every == 0)
            ticker->addTick(k, QString::number(k + 1));
        first = last + 1;
    }
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setLabel(n <= kMaxLongLabels    ? QString()
                            : n <= kMaxRangeLabels ? tr("Pipeline stage / its layers")
                                                   : tr("Pipeline stage"));
    m_plot->xAxis->setRange(-0.6, n - 0.4);
    // Room above the line for its label.
    m_plot->yAxis->setRange(0, std::max(top, 1e-9) * 1.15);
    m_plot->legend->setVisible(n > 0);
    m_plot->replot();
}

double MemoryPlot::drawnPartGiB(int stage, Part part) const
{
    auto *bars = qobject_cast<QCPBars *>(m_plot->plottable(int(part)));
    if (!bars || stage < 0 || stage >= bars->data()->size())
        return -1.0;
    return bars->data()->at(stage)->value;
}

double MemoryPlot::drawnCapacityGiB() const
{
    QCPGraph *line = m_plot->graphCount() > 0 ? m_plot->graph(0) : nullptr;
    return line && !line->data()->isEmpty() ? line->data()->at(0)->value : -1.0;
}

QStringList MemoryPlot::stageLabels() const
{
    auto ticker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    return ticker ? QStringList(ticker->ticks().values()) : QStringList();
}

int MemoryPlot::stageAt(const QPointF &pixel) const
{
    const double x = m_plot->xAxis->pixelToCoord(pixel.x());
    const double y = m_plot->yAxis->pixelToCoord(pixel.y());
    const int k = int(std::lround(x));
    if (k < 0 || k >= stageCount() || std::abs(x - k) > kBarWidth / 2 || y < 0)
        return -1;
    return y <= m_stages[std::size_t(k)].memory.total() / kGiB ? k : -1;
}

QString MemoryPlot::describe(int stage) const
{
    const PlacedStage &s = m_stages[std::size_t(stage)];
    QString text = tr("Stage %1: %2 layers on %3 devices per replica")
                       .arg(stage + 1)
                       .arg(s.layers.size())
                       .arg(s.devices);
    for (int p = kPartCount - 1; p >= 0; --p) // top first, as stacked
        text += u"\n%1: %2 GiB"_s.arg(partName(Part(p)))
                    .arg(partBytes(s.memory, Part(p)) / kGiB, 0, 'f', 2);
    text += tr("\nTotal: %1 of %2 GiB")
                .arg(s.memoryBytes / kGiB, 0, 'f', 2)
                .arg(m_capacity / kGiB, 0, 'f', 2);
    return text;
}

} // namespace phaze
