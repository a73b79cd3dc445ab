#include "widgets/paretoplot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <qcustomplot.h>

#include "core/search/pareto.h"
#include "widgets/plotexport.h"
#include "widgets/resultsmodel.h"
#include "widgets/resultstore.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

// Sizes that stay legible when a 1000 px wide export is printed in one column of a
// two-column paper (about 3.3 in wide).
constexpr int kTickPt = kPaperTickPt;
constexpr int kLabelPt = kPaperLabelPt;

QString axisLabel(ParetoAxis axis)
{
    switch (axis) {
    case ParetoAxis::Area:
        return QObject::tr("Chip area (mm²)");
    case ParetoAxis::HbmSize:
        return QObject::tr("HBM size (GiB)");
    case ParetoAxis::EnergyPerSample:
        return QObject::tr("Energy per sample (J)");
    case ParetoAxis::PeakPower:
        return QObject::tr("Chip power at peak (W)");
    }
    return {};
}

double displayValue(const Evaluation &e, ParetoAxis axis)
{
    const double v = paretoValue(e, axis);
    return axis == ParetoAxis::HbmSize ? v / kGiB : v;
}

// A baseline's position on the x axis: its evaluation's, or for one known by its time alone
// (the fixed strategy) its chip's area, HBM or power; such a baseline has no energy.
std::optional<double> baselineValue(const Baseline &b, ParetoAxis axis)
{
    if (b.evaluation)
        return displayValue(*b.evaluation, axis);
    if (!b.chip || axis == ParetoAxis::EnergyPerSample)
        return std::nullopt;
    Evaluation chip;
    chip.config = b.chip->config;
    chip.areaMm2 = b.chip->areaMm2;
    chip.peakPowerW = b.chip->peakPowerW;
    return displayValue(chip, axis);
}

QCPScatterStyle::ScatterShape baselineShape(int i)
{
    static const QCPScatterStyle::ScatterShape shapes[] = {
        QCPScatterStyle::ssDiamond, QCPScatterStyle::ssTriangle, QCPScatterStyle::ssSquare,
        QCPScatterStyle::ssCrossSquare};
    return shapes[i % 4];
}

// Legend entries side by side: as many as fit in a figure 5.25 in wide (narrower exports fit
// them again, widgets/plotexport.h NarrowExport), at most kMaxColourColumns to a row.
constexpr int kColourLegendWidthPx = 504;
constexpr int kMaxColourColumns = 6;

// Scales an axis range about its centre, the geometric one on a log axis.
void padRange(QCPAxis *axis, double factor)
{
    const QCPRange r = axis->range();
    const double centre = axis->scaleType() == QCPAxis::stLogarithmic && r.lower > 0
                              ? std::sqrt(r.lower * r.upper)
                              : r.center();
    axis->scaleRange(factor, centre);
}

QColor baselineColor(int i)
{
    static const QColor colors[] = {QColor(214, 39, 40), QColor(44, 160, 44), QColor(148, 103, 189),
                                    QColor(140, 86, 75)};
    return colors[i % 4];
}

// The front line's legend name: exact, or the front of the evaluated designs only and why.
QString frontName(const ResultStore &store, ParetoAxis axis, bool &exact)
{
    exact = false;
    const std::optional<CodesignResult> &result = store.result();
    if (!result)
        return store.evaluations().empty()
                   ? QObject::tr("Pareto front")
                   : QObject::tr("Pareto front of evaluated designs (search running: not exact)");
    const SearchResult &s = result->search;
    if (frontIsExact(s, axis)) {
        exact = true;
        return QObject::tr("Pareto front (exact)");
    }
    const SearchCounts &c = s.counts;
    if (s.status == Status::Cancelled || s.status == Status::Error)
        return QObject::tr("Pareto front of evaluated designs (search stopped: not exact)");
    if (c.skipped > 0)
        return QObject::tr("Pareto front of evaluated designs (%1 not visited: not exact)")
            .arg(c.skipped);
    if (c.evaluated + c.pruned < c.total)
        return QObject::tr("Pareto front of evaluated designs (%1 not searched: not exact)")
            .arg(c.total - c.evaluated - c.pruned);
    if (s.exactFronts) // the exact-fronts rule keeps area and HBM fronts, not energy
        return QObject::tr("Pareto front of evaluated designs (%1 pruned: not exact in energy)")
            .arg(c.pruned);
    return QObject::tr("Pareto front of evaluated designs (%1 pruned: not exact)").arg(c.pruned);
}

// What a log axis left out: "3 configurations and the current architecture are not drawn: ..."
QString undrawnNote(std::size_t configurations, std::size_t baselines, bool current)
{
    QStringList what;
    if (configurations == 1)
        what << QObject::tr("1 configuration");
    else if (configurations > 1)
        what << QObject::tr("%1 configurations").arg(configurations);
    if (baselines == 1)
        what << QObject::tr("1 baseline");
    else if (baselines > 1)
        what << QObject::tr("%1 baselines").arg(baselines);
    if (current)
        what << QObject::tr("the current architecture");
    if (what.isEmpty())
        return {};
    return QObject::tr("%1 not drawn: a value is zero or negative, which a logarithmic axis "
                       "cannot show.")
        .arg(what.join(QObject::tr(" and ")));
}

} // namespace

ParetoPlot::ParetoPlot(ResultStore *store, QWidget *parent)
    : QWidget(parent), m_store(store), m_axisCombo(new QComboBox(this)),
      m_colourCombo(new QComboBox(this)), m_logXBox(new QCheckBox(tr("Log x"), this)),
      m_logYBox(new QCheckBox(tr("Log y"), this)), m_frontNote(new QLabel(this)),
      m_logNote(new QLabel(this)), m_plot(new QCustomPlot(this)), m_rebuildTimer(new QTimer(this))
{
    setObjectName("paretoPlot");
    m_axisCombo->setObjectName("paretoAxis");
    m_axisCombo->addItem(tr("Throughput vs area"), int(ParetoAxis::Area));
    m_axisCombo->addItem(tr("Throughput vs HBM size"), int(ParetoAxis::HbmSize));
    m_axisCombo->addItem(tr("Throughput vs energy per sample"), int(ParetoAxis::EnergyPerSample));
    m_axisCombo->addItem(tr("Throughput vs power at peak"), int(ParetoAxis::PeakPower));
    connect(m_axisCombo, &QComboBox::currentIndexChanged, this,
            [this] { setAxis(ParetoAxis(m_axisCombo->currentData().toInt())); });
    m_logXBox->setObjectName("paretoLogX");
    m_logYBox->setObjectName("paretoLogY");
    for (QCheckBox *box : {m_logXBox, m_logYBox})
        box->setToolTip(tr("Logarithmic axis. Zero or negative values cannot be drawn on it: "
                           "they are left out, and a note above the plot says how many."));
    connect(m_logXBox, &QCheckBox::toggled, this, &ParetoPlot::setLogX);
    connect(m_logYBox, &QCheckBox::toggled, this, &ParetoPlot::setLogY);
    m_colourCombo->setObjectName("paretoColourBy");
    for (ColourBy by : allColourBy())
        m_colourCombo->addItem(colourByTitle(by), int(by));
    m_colourCombo->setToolTip(
        tr("Colour the configurations by a parameter, one colour per value (tp, pp and dp: "
           "the best placement of the project's first model)"));
    connect(m_colourCombo, &QComboBox::currentIndexChanged, this,
            [this] { setColourBy(ColourBy(m_colourCombo->currentData().toInt())); });
    auto *resetZoomButton = new QPushButton(tr("Reset zoom"), this);
    resetZoomButton->setObjectName("paretoResetZoom");
    resetZoomButton->setToolTip(tr("Show every drawn point (a double-click on the plot does the "
                                   "same)"));
    connect(resetZoomButton, &QPushButton::clicked, this, &ParetoPlot::resetZoom);
    auto *exportButton = new QPushButton(tr("Export..."), this);
    connect(exportButton, &QPushButton::clicked, this, &ParetoPlot::exportInteractively);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Plot:"), this));
    top->addWidget(m_axisCombo);
    top->addWidget(m_logXBox);
    top->addWidget(m_logYBox);
    top->addSpacing(12);
    top->addWidget(new QLabel(tr("Colour by:"), this));
    top->addWidget(m_colourCombo);
    top->addWidget(resetZoomButton);
    top->addStretch(1);
    top->addWidget(exportButton);
    m_frontNote->setObjectName("paretoFrontNote");
    m_frontNote->setText(tr("The front covers the evaluated designs only: the search did not "
                            "evaluate candidates that cannot beat the best, and some of them may "
                            "lie on the front. Search > Exact Pareto fronts evaluates more "
                            "candidates and makes the area and HBM fronts exact."));
    m_frontNote->setWordWrap(true);
    m_frontNote->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_frontNote);
    m_logNote->setObjectName("paretoLogNote");
    m_logNote->setWordWrap(true);
    m_logNote->hide();
    layout->addWidget(m_logNote);
    layout->addWidget(m_plot, 1);

    m_plot->setObjectName("paretoCustomPlot");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    stylePaperPlot(m_plot, kTickPt, kLabelPt, 2); // two per row: baseline names fit
    m_plot->yAxis->setLabel(tr("Throughput (samples/s)"));
    m_plot->legend->setVisible(true);
    // The colour groups' legend: a row of its own under the main legend, short entries side by
    // side. It is in the layout only while the points are coloured (an empty legend still
    // takes a few pixels).
    m_colourLegend = new QCPLegend;
    m_plot->plotLayout()->addElement(2, 0, m_colourLegend);
    m_colourLegend->setLayer(u"legend"_s);
    m_colourLegend->setFont(m_plot->legend->font());
    m_colourLegend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_colourLegend->setBorderPen(Qt::NoPen);
    m_colourLegend->setMargins(QMargins(4, 0, 4, 4));
    place(m_colourLegend, false);
    // The ramp's key: a horizontal colour bar under the legend, as wide as the axes.
    m_colourScale = new QCPColorScale(m_plot);
    m_colourScale->setType(QCPAxis::atBottom);
    m_colourScale->setBarWidth(9);
    m_colourScale->setRangeDrag(false);
    m_colourScale->setRangeZoom(false);
    m_colourScale->axis()->setTickLabelFont(m_plot->legend->font());
    m_colourScale->axis()->setLabelFont(m_plot->legend->font());
    m_colourScale->axis()->setSubTicks(false);
    QCPColorGradient ramp;
    ramp.clearColorStops();
    for (int k = 0; k <= 9; ++k) // rampColour's anchors: the same colours in between
        ramp.setColorStopAt(std::min(1.0, k / kRampAnchorSpan),
                            rampColour(std::min(1.0, k / kRampAnchorSpan)));
    ramp.setColorInterpolation(QCPColorGradient::ciRGB);
    ramp.setLevelCount(1000);
    m_colourScale->setGradient(ramp);
    m_marginGroup = new QCPMarginGroup(m_plot);
    m_colourScale->setVisible(false);

    // Streamed evaluations arrive in bursts; one redraw per burst keeps the GUI responsive.
    m_rebuildTimer->setSingleShot(true);
    m_rebuildTimer->setInterval(100);
    connect(m_rebuildTimer, &QTimer::timeout, this, &ParetoPlot::rebuild);
    connect(store, &ResultStore::evaluationAdded, this, &ParetoPlot::scheduleRebuild);
    connect(store, &ResultStore::resultsReset, this, &ParetoPlot::rebuild);
    connect(store, &ResultStore::selectionChanged, this, &ParetoPlot::showSelection);
    connect(store, &ResultStore::whatIfChanged, this, &ParetoPlot::rebuild);

    connect(m_plot, &QCustomPlot::mousePress, this,
            [this](QMouseEvent *event) { m_pressPos = event->position(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *event) {
        // A click, not the end of a drag: select the nearest point.
        if ((event->position() - m_pressPos).manhattanLength() > 4)
            return;
        if (const int row = nearestRow(event->position(), 15); row >= 0)
            m_store->selectRow(row);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &ParetoPlot::resetZoom);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        const int row = nearestRow(event->position(), 8);
        if (row < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), tooltipFor(std::size_t(row)),
                               m_plot);
    });
    rebuild();
}

QString ParetoPlot::tooltipFor(std::size_t row) const
{
    const Evaluation &e = m_store->evaluations()[row];
    QString text = ResultsModel::describe(e);
    if (m_colourBy != ColourBy::None)
        text += u"\n"_s + tr("Coloured by %1: %2").arg(colourByTitle(m_colourBy), colourValue(e, m_colourBy));
    return text;
}

ParetoPlot::~ParetoPlot()
{
    // Its items point to graphs the plot deletes before its layout. Out of the layout, the
    // legend belongs to nobody; in it, the layout deletes it. The colour bar, out of it, would
    // go with the plot's children, after the plot it reports to.
    m_colourLegend->clearItems();
    if (!isPlaced(m_colourLegend))
        delete m_colourLegend;
    if (!isPlaced(m_colourScale))
        delete m_colourScale;
}

void ParetoPlot::setAxis(ParetoAxis axis)
{
    m_axis = axis;
    const int index = m_axisCombo->findData(int(axis));
    if (index != m_axisCombo->currentIndex())
        m_axisCombo->setCurrentIndex(index); // comes back here through the signal
    else
        rebuild();
}

void ParetoPlot::setColourBy(ColourBy by)
{
    m_colourBy = by;
    const int index = m_colourCombo->findData(int(by));
    if (index != m_colourCombo->currentIndex())
        m_colourCombo->setCurrentIndex(index); // comes back here through the signal
    else
        rebuild();
}

void ParetoPlot::setLogX(bool on)
{
    m_logX = on;
    if (m_logXBox->isChecked() != on)
        m_logXBox->setChecked(on); // comes back here through the signal
    else
        rebuild();
}

void ParetoPlot::setLogY(bool on)
{
    m_logY = on;
    if (m_logYBox->isChecked() != on)
        m_logYBox->setChecked(on);
    else
        rebuild();
}

bool ParetoPlot::drawable(double x, double y) const
{
    return (!m_logX || x > 0) && (!m_logY || y > 0);
}

void ParetoPlot::applyScales()
{
    for (auto [axis, wantLog] :
         {std::pair{m_plot->xAxis, m_logX}, std::pair{m_plot->yAxis, m_logY}}) {
        if ((axis->scaleType() == QCPAxis::stLogarithmic) == wantLog)
            continue;
        axis->setScaleType(wantLog ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        axis->setTicker(wantLog ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
}

bool ParetoPlot::isPlaced(QCPLayoutElement *element) const
{
    QCPLayoutGrid *layout = m_plot->plotLayout();
    for (int i = 0; i < layout->elementCount(); ++i)
        if (layout->elementAt(i) == element)
            return true;
    return false;
}

void ParetoPlot::place(QCPLayoutElement *element, bool shown)
{
    QCPLayoutGrid *layout = m_plot->plotLayout();
    const bool placed = isPlaced(element);
    if (shown && !placed) {
        layout->addElement(layout->rowCount(), 0, element);
        layout->setRowStretchFactor(layout->rowCount() - 1, 0.001);
    } else if (!shown && placed) {
        layout->take(element);
        layout->simplify();
    }
    element->setVisible(shown);
}

// The colour legend (a few values) or the colour bar (the ramp), or neither. The bar's margins
// follow the axes' only while it is shown, so that without it the plot's layout is unchanged.
void ParetoPlot::showColourKey(bool legend, bool scale)
{
    place(m_colourLegend, legend);
    place(m_colourScale, scale);
    const QCP::MarginSides sides = QCP::msLeft | QCP::msRight;
    m_plot->axisRect()->setMarginGroup(sides, scale ? m_marginGroup : nullptr);
    m_colourScale->setMarginGroup(sides, scale ? m_marginGroup : nullptr);
}

// The bar's ticks: one per value, at its index; labelled as densely as a figure 5.25 in wide
// leaves room for (every value, every 2nd, ...).
void ParetoPlot::labelColourScale()
{
    const int n = int(m_groups.size());
    m_colourScale->setDataRange(QCPRange(0, std::max(1, n - 1)));
    m_colourScale->axis()->setLabel(colourByTitle(m_colourBy));
    const QFontMetrics metrics(m_colourScale->axis()->tickLabelFont());
    int widest = 0;
    for (const ColourGroup &g : m_groups)
        widest = std::max(widest, metrics.horizontalAdvance(g.value));
    constexpr int kAxesWidthPx = kColourLegendWidthPx - 90; // less the y axis' labels
    const int stride = std::max(1, (n * (widest + 10) + kAxesWidthPx - 1) / kAxesWidthPx);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < n; i += stride)
        ticker->addTick(i, m_groups[std::size_t(i)].value);
    m_colourScale->axis()->setTicker(ticker);
}

bool ParetoPlot::isRebuildPending() const
{
    return m_rebuildTimer->isActive();
}

void ParetoPlot::scheduleRebuild()
{
    if (!m_rebuildTimer->isActive())
        m_rebuildTimer->start();
}

double ParetoPlot::xValue(std::size_t row) const
{
    return displayValue(m_store->evaluations()[row], m_axis);
}

void ParetoPlot::rebuild()
{
    m_rebuildTimer->stop();
    m_colourLegend->clearItems(); // before the graphs its items point to go
    m_colourLegend->simplify();   // and its empty cells (a legend's items are its cells)
    m_plot->clearGraphs();
    applyScales();
    const std::vector<Evaluation> &all = m_store->evaluations();
    drawPoints();

    m_frontRows = paretoFront(all, m_axis);
    std::erase_if(m_frontRows,
                  [&](std::size_t row) { return !drawable(xValue(row), all[row].throughput); });
    QVector<double> fx, fy;
    for (std::size_t row : m_frontRows) {
        fx << xValue(row);
        fy << all[row].throughput;
    }
    QCPGraph *front = m_plot->addGraph();
    m_frontLabel = frontName(*m_store, m_axis, m_frontExact);
    front->setName(m_frontLabel);
    // Pruning is why a finished search's front lacks its cheap end: say how to get all of it.
    const bool pruned = m_store->result() && !m_frontExact &&
                        m_store->result()->search.counts.pruned > 0 &&
                        !m_store->result()->search.exactFronts;
    m_frontNote->setVisible(pruned);
    // Left steps: a throughput stays attainable from its x value on, until the next point.
    front->setLineStyle(QCPGraph::lsStepLeft);
    front->setPen(QPen(QColor(255, 127, 14), 2.5));
    front->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(255, 127, 14), QColor(255, 127, 14), 8));
    front->setData(fx, fy, false);

    m_baselineCount = 0;
    std::size_t undrawnBaselines = 0;
    int symbol = 0; // a baseline keeps its symbol when one before it cannot be drawn
    for (const Baseline &b : m_store->comparisonBaselines()) {
        if ((!b.evaluation && !b.chip) || !b.throughput)
            continue;
        const int shape = symbol++;
        const std::optional<double> x = baselineValue(b, m_axis);
        if (!x)
            continue; // no value on this axis: the fixed strategy's energy
        if (!drawable(*x, *b.throughput)) {
            ++undrawnBaselines;
            continue;
        }
        QCPGraph *g = m_plot->addGraph();
        g->setName(QString::fromStdString(b.name));
        g->setLineStyle(QCPGraph::lsNone);
        const QColor color = baselineColor(shape);
        g->setScatterStyle(QCPScatterStyle(baselineShape(shape), QPen(color, 2),
                                           QColor(color.red(), color.green(), color.blue(), 90),
                                           13));
        g->addData(*x, *b.throughput);
        ++m_baselineCount;
    }

    // The what-if point: the project's own architecture as last evaluated after an edit.
    m_hasCurrent = false;
    const Evaluation *current = m_store->whatIfEvaluation();
    const bool currentUndrawn = current && current->feasible() &&
                                !drawable(displayValue(*current, m_axis), current->throughput);
    if (currentUndrawn)
        current = nullptr;
    if (current && current->feasible()) {
        QCPGraph *g = m_plot->addGraph();
        g->setName(tr("Current architecture"));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QPen(QColor(214, 39, 40), 2.5),
                                           Qt::NoBrush, 17));
        g->addData(displayValue(*current, m_axis), current->throughput);
        m_hasCurrent = true;
    }

    m_selectionGraph = m_plot->addGraph();
    m_selectionGraph->setName(tr("Selected"));
    m_selectionGraph->setLineStyle(QCPGraph::lsNone);
    m_selectionGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2.5), Qt::NoBrush, 16));
    m_selectionGraph->removeFromLegend();
    m_selectionGraph->setProperty(kScreenOnly, true); // never baked into an exported figure

    m_plot->xAxis->setLabel(axisLabel(m_axis));
    m_logNote->setText(undrawnNote(m_undrawn, undrawnBaselines, currentUndrawn));
    m_logNote->setVisible(!m_logNote->text().isEmpty());
    fitAxes();
    showSelection();
}

// The configurations: one graph, or one per colour group (rows in m_pointRows, either way).
void ParetoPlot::drawPoints()
{
    const std::vector<Evaluation> &all = m_store->evaluations();
    m_pointRows.clear();
    m_undrawn = 0;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].feasible()) {
            if (drawable(xValue(i), all[i].throughput))
                m_pointRows.push_back(i);
            else
                ++m_undrawn;
        }
    m_groups = colourGroups(all, m_pointRows, m_colourBy);
    m_groupGraphs.clear();
    const auto addPoints = [&](const std::vector<std::size_t> &rows) {
        QVector<double> xs, ys;
        for (std::size_t row : rows) {
            xs << xValue(row);
            ys << all[row].throughput;
        }
        QCPGraph *points = m_plot->addGraph();
        points->setLineStyle(QCPGraph::lsNone);
        // The points come in candidate order, not by x: let the graph sort them (told they were
        // sorted, it drew only a fraction), and draw every one (adaptive sampling thins a
        // scatter).
        points->setAdaptiveSampling(false);
        points->setData(xs, ys, false);
        return points;
    };
    if (m_colourBy == ColourBy::None) {
        QCPGraph *points = addPoints(m_pointRows);
        points->setName(tr("Configurations"));
        points->setScatterStyle(QCPScatterStyle(
            QCPScatterStyle::ssCircle, QColor(31, 119, 180, 140), QColor(31, 119, 180, 60), 7));
    }
    int widest = 0;
    const bool ramp = usesRamp(m_groups.size());
    for (const ColourGroup &group : m_groups) {
        QCPGraph *points = addPoints(group.rows);
        points->setName(group.name);
        // Filled, so that the colour reads on small dots; the darker rim separates overlaps.
        QColor fill = group.colour;
        fill.setAlpha(170);
        points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle,
                                                QPen(group.colour.darker(130), 1.2), fill, 7));
        points->removeFromLegend(m_plot->legend);
        if (!ramp) {
            points->addToLegend(m_colourLegend);
            const QCPLayoutElement *entry = m_colourLegend->itemWithPlottable(points);
            widest = std::max(widest, entry->minimumOuterSizeHint().width());
        }
        m_groupGraphs.push_back(points);
    }
    showColourKey(!m_groups.empty() && !ramp, ramp);
    if (ramp)
        labelColourScale();
    else if (!m_groups.empty()) {
        const int spacing = m_colourLegend->columnSpacing();
        const QMargins m = m_colourLegend->margins();
        const int fit =
            (kColourLegendWidthPx - m.left() - m.right() + spacing) / std::max(1, widest + spacing);
        m_colourLegend->setWrap(
            std::clamp(fit, 1, std::min(kMaxColourColumns, int(m_groups.size()))));
        m_colourLegend->setFillOrder(m_colourLegend->fillOrder(), true);
    }
}

// Every drawn point in view, with margins so that points on the border and the big baseline
// symbols are not cut.
void ParetoPlot::fitAxes()
{
    m_plot->rescaleAxes();
    padRange(m_plot->xAxis, 1.1);
    padRange(m_plot->yAxis, 1.15);
}

void ParetoPlot::resetZoom()
{
    fitAxes();
    m_plot->replot();
}

void ParetoPlot::showSelection()
{
    if (!m_selectionGraph)
        return;
    m_selectionGraph->data()->clear();
    const int row = m_store->selectedRow();
    if (row >= 0 && m_store->evaluations()[std::size_t(row)].feasible() &&
        drawable(xValue(std::size_t(row)), m_store->evaluations()[std::size_t(row)].throughput))
        m_selectionGraph->addData(xValue(std::size_t(row)),
                                  m_store->evaluations()[std::size_t(row)].throughput);
    m_plot->replot();
}

QPointF ParetoPlot::pixelOf(std::size_t row) const
{
    const QPointF inPlot(m_plot->xAxis->coordToPixel(xValue(row)),
                         m_plot->yAxis->coordToPixel(m_store->evaluations()[row].throughput));
    return inPlot;
}

int ParetoPlot::nearestRow(const QPointF &pixel, double maxDistance) const
{
    int best = -1;
    double bestDistance = maxDistance * maxDistance;
    for (std::size_t row : m_pointRows) {
        const QPointF d = pixelOf(row) - pixel;
        const double distance = d.x() * d.x() + d.y() * d.y();
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = int(row);
        }
    }
    return best;
}

QString ParetoPlot::exportPlot(const QString &path, int widthPx, int heightPx, double scale)
{
    return exportCustomPlot(m_plot, path, widthPx, heightPx, scale, tr("Pareto front"));
}

void ParetoPlot::exportInteractively()
{
    exportCustomPlotInteractively(this, m_plot, u"pareto.pdf"_s, tr("Pareto front"));
}

} // namespace phaze
