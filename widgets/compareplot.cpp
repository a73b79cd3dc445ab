#include "widgets/compareplot.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include <qcustomplot.h>

#include "widgets/plotexport.h"

namespace phaze {

namespace {

// As the Pareto plot: legible in one column of a two-column paper at 1000 px wide.
constexpr int kTickPt = kPaperTickPt;
constexpr int kLabelPt = kPaperLabelPt;
constexpr int kValuePt = 9;
constexpr double kGroupWidth = 0.8; // of the unit between group centres

// The focused configuration stands out; the baselines are muted.
QColor seriesColor(int i)
{
    static const QColor colors[] = {QColor(31, 119, 180),  QColor(255, 127, 14),
                                    QColor(127, 127, 127), QColor(44, 160, 44),
                                    QColor(148, 103, 189), QColor(140, 86, 75)};
    return colors[i % 6];
}

int perModelGroups(int models)
{
    return models > 1 ? models : 0;
}

double barKey(int group, int configuration, int configurations)
{
    const double width = kGroupWidth / configurations;
    return group - kGroupWidth / 2 + width * (configuration + 0.5);
}

} // namespace

ComparePlot::ComparePlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    setObjectName("comparePlot");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName("compareCustomPlot");

    stylePaperPlot(m_plot, kTickPt, kLabelPt, 2); // two per row: baseline names are long
    styleCategoryAxis(m_plot->xAxis);
    clear();
}

void ComparePlot::clear()
{
    m_groupLabels.clear();
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->legend->setVisible(false);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_plot->yAxis->setLabel({});
    m_plot->xAxis->setRange(-0.5, 0.5);
    m_plot->yAxis->setRange(0, 1);
    m_plot->replot();
}

std::optional<double> ComparePlot::value(const ComparedConfiguration &c, int group, int models)
{
    const int perModel = perModelGroups(models);
    const Evaluation *e = c.evaluation ? &*c.evaluation : nullptr;
    std::optional<double> v;
    if (group < perModel) {
        if (e && std::size_t(group) < e->models.size()) {
            const ModelOutcome &m = e->models[std::size_t(group)];
            if (hasAnswer(m.status))
                v = m.throughput;
        }
    } else if (group == perModel) {
        v = c.throughput;
    } else if (group == perModel + 1) {
        if (e && e->feasible())
            v = e->energyPerSample;
    } else if (group == perModel + 2) {
        if (e)
            v = e->areaMm2;
        else if (c.chip) // a baseline known by its time alone still has its chip
            v = c.chip->areaMm2;
    }
    if (v && !(*v > 0.0))
        v.reset();
    return v;
}

void ComparePlot::setConfigurations(const std::vector<ComparedConfiguration> &configurations,
                                    const QStringList &models)
{
    clear();
    const int n = int(configurations.size());
    const int modelCount = int(models.size());
    const int perModel = perModelGroups(modelCount);
    for (int i = 0; i < perModel; ++i)
        m_groupLabels << tr("Throughput\n%1").arg(models[i]);
    m_groupLabels << (perModel > 0 ? tr("Throughput\n(mean)") : tr("Throughput"))
                  << tr("Energy per sample") << tr("Chip area");
    const int groups = int(m_groupLabels.size());
    if (n == 0)
        return;

    const double width = kGroupWidth / n;
    double top = 1.0;
    QFont small = font();
    small.setPointSize(kValuePt);
    for (int i = 0; i < n; ++i) {
        const ComparedConfiguration &c = configurations[std::size_t(i)];
        auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        // The summary line says which baseline has no placement; the legend stays short.
        bars->setName(c.name);
        bars->setWidth(width * 0.9);
        bars->setPen(QPen(seriesColor(i).darker(140), 0.8));
        bars->setBrush(seriesColor(i));
        for (int g = 0; g < groups; ++g) {
            const std::optional<double> reference = value(configurations.front(), g, modelCount);
            const std::optional<double> v = value(c, g, modelCount);
            if (!reference || !v)
                continue;
            const double ratio = *v / *reference;
            const double key = barKey(g, i, n);
            bars->addData(key, ratio);
            top = std::max(top, ratio);
            auto *text = new QCPItemText(m_plot);
            text->position->setCoords(key, ratio);
            text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            text->setText(QString::number(ratio, 'f', 2));
            text->setFont(small);
            text->setClipToAxisRect(true);
            text->setProperty(kUprightWhenNarrow, true);
        }
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int g = 0; g < groups; ++g)
        ticker->addTick(g, m_groupLabels[g]);
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setRange(-0.5, groups - 0.5);
    // Two lines: a long name ("current architecture") on one did not fit a one-column figure.
    m_plot->yAxis->setLabel(tr("Ratio to\n%1").arg(configurations.front().name.toLower()));
    m_plot->yAxis->setRange(0, top * 1.25); // room for the ratios over the bars (upright when narrow)
    m_plot->legend->setVisible(true);
    m_plot->replot();
}

double ComparePlot::drawnValue(int configuration, int group) const
{
    auto *bars = qobject_cast<QCPBars *>(m_plot->plottable(configuration));
    if (!bars)
        return std::numeric_limits<double>::quiet_NaN();
    const double key = barKey(group, configuration, m_plot->plottableCount());
    for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
        if (std::abs(it->key - key) < 1e-9)
            return it->value;
    return std::numeric_limits<double>::quiet_NaN();
}

} // namespace phaze
