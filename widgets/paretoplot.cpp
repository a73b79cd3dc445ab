#include "widgets/paretoplot.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <limits>

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

QCPScatterStyle::ScatterShape baselineShape(int i)
{
    static const QCPScatterStyle::ScatterShape shapes[] = {
        QCPScatterStyle::ssDiamond, QCPScatterStyle::ssTriangle, QCPScatterStyle::ssSquare,
        QCPScatterStyle::ssCrossSquare};
    return shapes[i % 4];
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

} // namespace

ParetoPlot::ParetoPlot(ResultStore *store, QWidget *parent)
    : QWidget(parent), m_store(store), m_axisCombo(new QComboBox(this)),
      m_frontNote(new QLabel(this)), m_plot(new QCustomPlot(this)), m_rebuildTimer(new QTimer(this))
{
    setObjectName("paretoPlot");
    m_axisCombo->setObjectName("paretoAxis");
    m_axisCombo->addItem(tr("Throughput vs area"), int(ParetoAxis::Area));
    m_axisCombo->addItem(tr("Throughput vs HBM size"), int(ParetoAxis::HbmSize));
    m_axisCombo->addItem(tr("Throughput vs energy per sample"), int(ParetoAxis::EnergyPerSample));
    m_axisCombo->addItem(tr("Throughput vs power at peak"), int(ParetoAxis::PeakPower));
    connect(m_axisCombo, &QComboBox::currentIndexChanged, this,
            [this] { setAxis(ParetoAxis(m_axisCombo->currentData().toInt())); });
    auto *exportButton = new QPushButton(tr("Export..."), this);
    connect(exportButton, &QPushButton::clicked, this, &ParetoPlot::exportInteractively);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Plot:"), this));
    top->addWidget(m_axisCombo);
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
    layout->addWidget(m_plot, 1);

    m_plot->setObjectName("paretoCustomPlot");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    stylePaperPlot(m_plot, kTickPt, kLabelPt, 2); // two per row: baseline names fit
    m_plot->yAxis->setLabel(tr("Throughput (samples/s)"));
    m_plot->legend->setVisible(true);

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
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        const int row = nearestRow(event->position(), 8);
        if (row < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(),
                               ResultsModel::describe(m_store->evaluations()[std::size_t(row)]),
                               m_plot);
    });
    rebuild();
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
    m_plot->clearGraphs();
    const std::vector<Evaluation> &all = m_store->evaluations();

    m_pointRows.clear();
    QVector<double> xs, ys;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].feasible()) {
            m_pointRows.push_back(i);
            xs << xValue(i);
            ys << all[i].throughput;
        }
    QCPGraph *points = m_plot->addGraph();
    points->setName(tr("Configurations"));
    points->setLineStyle(QCPGraph::lsNone);
    points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(31, 119, 180, 140),
                                            QColor(31, 119, 180, 60), 7));
    // The points come in candidate order, not by x: let the graph sort them (told they were
    // sorted, it drew only a fraction), and draw every one (adaptive sampling thins a scatter).
    points->setAdaptiveSampling(false);
    points->setData(xs, ys, false);

    m_frontRows = paretoFront(all, m_axis);
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
    for (const Baseline &b : m_store->comparisonBaselines()) {
        if (!b.evaluation || !b.throughput)
            continue;
        QCPGraph *g = m_plot->addGraph();
        g->setName(QString::fromStdString(b.name));
        g->setLineStyle(QCPGraph::lsNone);
        const QColor color = baselineColor(m_baselineCount);
        g->setScatterStyle(QCPScatterStyle(baselineShape(m_baselineCount), QPen(color, 2),
                                           QColor(color.red(), color.green(), color.blue(), 90),
                                           13));
        g->addData(displayValue(*b.evaluation, m_axis), *b.throughput);
        ++m_baselineCount;
    }

    // The what-if point: the project's own architecture as last evaluated after an edit.
    m_hasCurrent = false;
    if (const Evaluation *current = m_store->whatIfEvaluation(); current && current->feasible()) {
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
    m_plot->rescaleAxes();
    // Margins so that points on the border and the big baseline symbols are not cut.
    m_plot->xAxis->scaleRange(1.1, m_plot->xAxis->range().center());
    m_plot->yAxis->scaleRange(1.15, m_plot->yAxis->range().center());
    showSelection();
}

void ParetoPlot::showSelection()
{
    if (!m_selectionGraph)
        return;
    m_selectionGraph->data()->clear();
    const int row = m_store->selectedRow();
    if (row >= 0 && m_store->evaluations()[std::size_t(row)].feasible())
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
