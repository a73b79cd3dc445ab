#include "widgets/breakdownplot.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <map>
#include <string>

#include <qcustomplot.h>

#include "widgets/plotexport.h"

namespace phaze {

namespace {

// Legend labels short enough for two or three columns in a one-column figure; the breakdowns'
// own labels (the Accelerator dock's tooltip, `phaze arch`) say more.
QString shortLabel(const char *key)
{
    static const std::map<std::string, const char *> labels = {
        {"tc_macs", "TC MACs"},           {"tc_registers", "TC registers"},
        {"tc_scratchpads", "TC scratchpads"}, {"vc_lanes", "VC lanes"},
        {"vc_registers", "VC registers"}, {"glb", "GLB"},
        {"uncore", "uncore"},             {"core_control", "core control"},
        {"noc_routers", "NoC routers"},   {"static", "static"},
        {"tensor_cores", "tensor cores"}, {"vector_cores", "vector cores"},
        {"hbm", "HBM"},                   {"links", "links"}};
    const auto it = labels.find(key);
    return QString::fromUtf8(it == labels.end() ? key : it->second);
}

// A chip's name on the category axis, broken at spaces into lines of about 14 characters, so
// that neighbouring names never overlap (the text ticker drops those that would).
QString wrapped(const QString &name)
{
    QStringList lines;
    for (const QString &word : name.split(u' ', Qt::SkipEmptyParts)) {
        if (!lines.isEmpty() && lines.back().size() + 1 + word.size() <= 14)
            lines.back() += u' ' + word;
        else
            lines << word;
    }
    return lines.join(u'\n');
}

struct Segment {
    QString label;
    std::vector<double> values; // one per chip
};

// The components of the chosen breakdown, in the breakdown's order, without those zero in every
// chip (PHAZE's chip has no per-core terms, no static power).
std::vector<Segment> segmentsOf(const std::vector<ChipBreakdown> &chips,
                                BreakdownPlot::Quantity quantity)
{
    std::vector<Segment> out;
    for (std::size_t chip = 0; chip < chips.size(); ++chip) {
        std::vector<std::pair<QString, double>> items;
        if (quantity == BreakdownPlot::Quantity::Area)
            for (const AreaBreakdown::Item &i : chips[chip].area.items())
                items.emplace_back(shortLabel(i.key), i.mm2);
        else
            for (const PowerBreakdown::Item &i : chips[chip].power.items())
                items.emplace_back(shortLabel(i.key), i.watts);
        out.resize(items.size());
        for (std::size_t k = 0; k < items.size(); ++k) {
            out[k].label = items[k].first;
            out[k].values.resize(chips.size(), 0.0);
            out[k].values[chip] = items[k].second;
        }
    }
    std::erase_if(out, [](const Segment &s) {
        return std::all_of(s.values.begin(), s.values.end(), [](double v) { return v == 0.0; });
    });
    return out;
}


} // namespace

BreakdownPlot::BreakdownPlot(QWidget *parent)
    : QWidget(parent), m_quantityCombo(new QComboBox(this)), m_plot(new QCustomPlot(this))
{
    setObjectName("breakdownPlot");
    m_quantityCombo->setObjectName("breakdownQuantity");
    m_quantityCombo->addItem(tr("Area breakdown"), int(Quantity::Area));
    m_quantityCombo->addItem(tr("Power at peak breakdown"), int(Quantity::Power));
    m_plot->setObjectName("breakdownCustomPlot");
    m_plot->setMinimumSize(160, 120);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("What the chips are made of:"), this));
    top->addWidget(m_quantityCombo);
    top->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    stylePaperPlot(m_plot, kPaperTickPt, kPaperLabelPt, 3);
    styleCategoryAxis(m_plot->xAxis);
    connect(m_quantityCombo, &QComboBox::currentIndexChanged, this,
            [this] { setQuantity(Quantity(m_quantityCombo->currentData().toInt())); });
    rebuild();
}

void BreakdownPlot::setChips(std::vector<ChipBreakdown> chips)
{
    m_chips = std::move(chips);
    rebuild();
}

void BreakdownPlot::setQuantity(Quantity quantity)
{
    m_quantity = quantity;
    if (const int index = m_quantityCombo->findData(int(quantity));
        index != m_quantityCombo->currentIndex())
        m_quantityCombo->setCurrentIndex(index); // comes back here once, with the same value
    rebuild();
}

QStringList BreakdownPlot::componentLabels() const
{
    QStringList out;
    for (const Segment &s : segmentsOf(m_chips, m_quantity))
        out << s.label;
    return out;
}

double BreakdownPlot::drawnTotal(int chip) const
{
    double total = 0.0;
    for (int i = 0; i < m_plot->plottableCount(); ++i)
        if (auto *bars = qobject_cast<QCPBars *>(m_plot->plottable(i)))
            for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
                if (int(std::lround(it->key)) == chip + 1)
                    total += it->value;
    return total;
}

void BreakdownPlot::rebuild()
{
    m_plot->clearPlottables();
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (std::size_t c = 0; c < m_chips.size(); ++c)
        ticker->addTick(double(c + 1), wrapped(m_chips[c].name));
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(m_quantity == Quantity::Area ? tr("Chip area (mm²)")
                                                         : tr("Power at peak (W)"));
    QCPBars *below = nullptr;
    double top = 0.0;
    const std::vector<Segment> segments = segmentsOf(m_chips, m_quantity);
    for (std::size_t k = 0; k < segments.size(); ++k) {
        auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(segments[k].label);
        bars->setWidth(0.6);
        bars->setPen(QPen(Qt::white, 0.5));
        bars->setBrush(categoryColour(k));
        bars->setStackingGap(0);
        for (std::size_t c = 0; c < m_chips.size(); ++c)
            bars->addData(double(c + 1), segments[k].values[c]);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    for (const ChipBreakdown &chip : m_chips)
        top = std::max(top, m_quantity == Quantity::Area ? chip.area.total() : chip.power.total());
    m_plot->legend->setVisible(!segments.empty());
    m_plot->xAxis->setRange(0.4, double(m_chips.size()) + 0.6);
    m_plot->yAxis->setRange(0.0, top > 0.0 ? 1.08 * top : 1.0);
    m_plot->replot();
}

} // namespace phaze
