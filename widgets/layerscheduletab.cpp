#include "widgets/layerscheduletab.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "core/base/units.h"
#include "core/evaluation/evaluator.h"
#include "core/io/modelloader.h"
#include "widgets/ganttplot.h"
#include "widgets/modelcombo.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

struct JobInput {
    ProjectSnapshot snapshot;
    AcceleratorConfig config;
    std::size_t model = 0;
    int microbatch = 1;
    int tensorParallel = 1;
};

// Through the evaluator that scored the focused result (its prepared graphs and schedule cache:
// the schedules the search solved are not solved again), or a new one of the project.
LayerScheduleRun solve(const JobInput &in, const CancelToken &cancel)
{
    const Result<std::shared_ptr<const Evaluator>> evaluator = in.snapshot.evaluatorOrPrepare();
    if (!evaluator.hasValue())
        return LayerScheduleRun::error(evaluator.message);
    const Evaluator &e = **evaluator.value;
    if (in.model >= e.models().size())
        return LayerScheduleRun::error("model " + std::to_string(in.model) +
                                       " is not in the project");
    const PreparedModel &model = e.models()[in.model];
    const ModelVariant *variant = model.variant(in.microbatch, in.tensorParallel);
    if (!variant) // an imported graph has one width
        variant = model.variant(in.microbatch, 1);
    if (!variant)
        return LayerScheduleRun::error(model.label + ": no graph for microbatch size " +
                                       std::to_string(in.microbatch) +
                                       " and tensor-parallel width " +
                                       std::to_string(in.tensorParallel));
    Result<std::vector<LayerScheduleEntry>> scheduled =
        e.layerSchedules(variant->graph, in.config, cancel);
    LayerScheduleRun run;
    run.status = scheduled.status;
    if (scheduled.status == Status::Error)
        run.message = QString::fromStdString(scheduled.message);
    run.layers = std::move(scheduled.value).value_or(std::vector<LayerScheduleEntry>{});
    // The roofline: each operator spread over the chip, alone, as the cost model prices it.
    const CostModel &costs = e.costModel();
    run.roofs = {in.config.peakFlops(),
                 double(in.config.numVc) * double(in.config.vcWidth) * in.config.frequency,
                 costs.achievedHbmBandwidth(in.config)};
    const auto pointsOf = [](const OperatorDag &dag, const std::vector<OperatorCost> &cost) {
        std::vector<RooflinePoint> points;
        for (std::size_t i = 0; i < dag.ops.size() && i < cost.size(); ++i)
            points.push_back({QString::fromStdString(dag.ops[i].name), cost[i].coreClass,
                              cost[i].flops, cost[i].intra.hbmBytes, cost[i].intra.latency});
        return points;
    };
    for (const LayerScheduleEntry &entry : run.layers) {
        if (cancel.isCancelled())
            break;
        const LayerBody &body = *variant->graph.layers[std::size_t(entry.layer)].body;
        run.forwardFlops.push_back(body.flopsForward);
        run.backwardFlops.push_back(body.flopsBackward);
        const LayerCost cost = costs.estimateLayer(body, in.config);
        run.forwardPoints.push_back(pointsOf(body.forward, cost.forwardOps));
        run.backwardPoints.push_back(pointsOf(cost.backward, cost.backwardOps));
    }
    return run;
}

} // namespace

LayerScheduleTab::LayerScheduleTab(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_modelCombo(new QComboBox(this)),
      m_layerCombo(new QComboBox(this)), m_passCombo(new QComboBox(this)),
      m_viewCombo(new QComboBox(this)),
      m_expandCores(new QCheckBox(tr("Expand identical cores"), this)),
      m_exportButton(new QPushButton(tr("Export..."), this)), m_status(new QLabel(this)),
      m_efficiency(new QLabel(this)),
      m_gantt(new GanttPlot(this)), m_roofline(new RooflinePlot(this)),
      m_charts(new QStackedWidget(this)),
      m_job(this, [this](LayerScheduleRun run) { onFinished(std::move(run)); })
{
    setObjectName("layerScheduleTab");
    m_modelCombo->setObjectName("scheduleModel");
    m_layerCombo->setObjectName("scheduleLayer");
    m_passCombo->setObjectName("schedulePass");
    m_status->setObjectName("scheduleStatus");
    m_expandCores->setObjectName("expandCores");
    m_expandCores->setToolTip(tr("One row per core. Unchecked, cores that run the same "
                                 "operators at the same times share one row, labelled with "
                                 "their count."));
    m_passCombo->addItem(tr("Forward"));
    m_passCombo->addItem(tr("Backward"));
    m_viewCombo->setObjectName("scheduleView");
    m_viewCombo->addItem(tr("Schedule"));
    m_viewCombo->addItem(tr("Roofline"));
    m_viewCombo->setToolTip(tr("Schedule: the exact operator schedule as a Gantt chart. "
                               "Roofline: every operator of the pass at its arithmetic "
                               "intensity and achieved FLOP/s, under the chip's roofs."));
    m_layerCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_layerCombo->setMinimumContentsLength(16);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Model:"), this));
    top->addWidget(m_modelCombo);
    top->addWidget(new QLabel(tr("Layer:"), this));
    top->addWidget(m_layerCombo);
    top->addWidget(m_passCombo);
    top->addWidget(m_viewCombo);
    top->addWidget(m_expandCores);
    top->addStretch(1);
    top->addWidget(m_exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    m_efficiency->setObjectName("scheduleEfficiency");
    m_efficiency->setWordWrap(true); // never widens the tab
    layout->addWidget(m_efficiency);
    m_charts->addWidget(m_gantt);
    m_charts->addWidget(m_roofline);
    layout->addWidget(m_charts, 1);

    connect(m_modelCombo, &QComboBox::activated, this, &LayerScheduleTab::refresh);
    connect(m_layerCombo, &QComboBox::currentIndexChanged, this, &LayerScheduleTab::redraw);
    connect(m_passCombo, &QComboBox::currentIndexChanged, this, &LayerScheduleTab::redraw);
    connect(m_viewCombo, &QComboBox::currentIndexChanged, this, [this](int view) {
        m_charts->setCurrentIndex(view);
        m_expandCores->setEnabled(view == 0);
    });
    connect(m_expandCores, &QCheckBox::toggled, m_gantt,
            [this](bool expand) { m_gantt->setFolded(!expand); });
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        if (showsRoofline())
            exportCustomPlotInteractively(this, m_roofline->plot(), u"roofline.pdf"_s,
                                          tr("Roofline"));
        else
            exportCustomPlotInteractively(this, m_gantt->plot(), u"schedule.pdf"_s,
                                          tr("Layer schedule"));
    });
    // A focused configuration keeps its own project (an edit brings a new what-if result and
    // with it a focus change); without one the tab shows the project's own architecture.
    connect(session, &Session::projectChanged, this, [this] {
        fillModelCombo(m_modelCombo, m_session->focusedProject().project);
        if (!m_session->results()->focused())
            refresh();
    });
    connect(session->results(), &ResultStore::focusChanged, this, &LayerScheduleTab::refresh);
    fillModelCombo(m_modelCombo, m_session->project());
    redraw();
}

LayerScheduleTab::~LayerScheduleTab() = default;

void LayerScheduleTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

void LayerScheduleTab::refresh()
{
    // Solving takes seconds to minutes: only for a tab the user can see.
    if (!isVisible()) {
        m_dirty = true;
        m_job.cancel();
        return;
    }
    m_dirty = false;
    start();
}

void LayerScheduleTab::start()
{
    // The project the focused configuration was evaluated for (it may predate the last edits).
    ProjectSnapshot snapshot = m_session->focusedProject();
    fillModelCombo(m_modelCombo, snapshot.project);
    const ProjectSpec &project = snapshot.project;
    const Evaluation *focused = m_session->results()->focused();
    JobInput in;
    in.snapshot = snapshot;
    in.model = std::size_t(std::max(0, m_modelCombo->currentIndex()));
    m_config.reset();
    if (focused)
        m_config = focused->config;
    else if (project.architecture)
        m_config = project.architecture->config;
    m_layers.clear();
    if (!m_config || in.model >= project.models.size()) {
        m_status->setText(project.models.empty()
                              ? tr("The project has no models.")
                              : tr("No architecture: set one in the project or select a "
                                   "search result."));
        m_job.cancel();
        redraw();
        emit scheduleReady(Status::Error, m_status->text());
        return;
    }
    in.config = *m_config;
    // The knobs the search chose for this model, else the project's first ones.
    const std::vector<int> widths =
        tensorParallelWidthsFor(project.models[in.model], project.training);
    in.microbatch =
        project.training.microbatchSizes.empty() ? 1 : project.training.microbatchSizes.front();
    in.tensorParallel = widths.empty() ? 1 : widths.front();
    if (focused && in.model < focused->models.size() && focused->models[in.model].microbatch > 0) {
        in.microbatch = focused->models[in.model].microbatch;
        in.tensorParallel = std::max(1, focused->models[in.model].tensorParallel);
    }
    m_status->setText(tr("Scheduling %1 (microbatch %2, tensor-parallel width %3) on %4 TC "
                         "%5x%6, %7 VC...")
                          .arg(m_modelCombo->currentText())
                          .arg(in.microbatch)
                          .arg(in.tensorParallel)
                          .arg(in.config.numTc)
                          .arg(in.config.tcWidth)
                          .arg(in.config.tcDepth)
                          .arg(in.config.numVc));
    redraw();
    m_job.run([in = std::move(in)](const CancelToken &cancel) { return solve(in, cancel); });
}

void LayerScheduleTab::onFinished(LayerScheduleRun run)
{
    m_layers = std::move(run.layers);
    m_forwardFlops = std::move(run.forwardFlops);
    m_backwardFlops = std::move(run.backwardFlops);
    m_forwardPoints = std::move(run.forwardPoints);
    m_backwardPoints = std::move(run.backwardPoints);
    m_roofs = run.roofs;
    const QString previous = m_layerCombo->currentText();
    {
        const QSignalBlocker block(m_layerCombo);
        m_layerCombo->clear();
        for (const LayerScheduleEntry &e : m_layers)
            m_layerCombo->addItem(
                e.occurrences > 1
                    ? tr("%1 (x%2)").arg(QString::fromStdString(e.name)).arg(e.occurrences)
                    : QString::fromStdString(e.name));
        // Keep the layer the user looked at; else show the most repeated one (the transformer
        // block), which is what dominates the time per batch.
        int keep = m_layerCombo->findText(previous);
        if (keep < 0 && !m_layers.empty())
            keep =
                int(std::max_element(m_layers.begin(), m_layers.end(),
                                     [](const LayerScheduleEntry &a, const LayerScheduleEntry &b) {
                                         return a.occurrences < b.occurrences;
                                     }) -
                    m_layers.begin());
        m_layerCombo->setCurrentIndex(std::max(keep, 0));
    }
    if (!run.message.isEmpty())
        m_status->setText(run.message);
    else
        m_status->setText(
            tr("%n distinct layer(s) on %1 TC %2x%3, %4 VC (%5)", nullptr, int(m_layers.size()))
                .arg(m_config->numTc)
                .arg(m_config->tcWidth)
                .arg(m_config->tcDepth)
                .arg(m_config->numVc)
                .arg(QString::fromUtf8(statusName(run.status).data(),
                                       qsizetype(statusName(run.status).size()))));
    redraw();
    emit scheduleReady(run.status, m_status->text());
}

int LayerScheduleTab::layerIndex() const
{
    return m_layerCombo->currentIndex();
}

void LayerScheduleTab::setLayerIndex(int index)
{
    m_layerCombo->setCurrentIndex(index);
}

bool LayerScheduleTab::showsBackward() const
{
    return m_passCombo->currentIndex() == 1;
}

void LayerScheduleTab::setShowsBackward(bool backward)
{
    m_passCombo->setCurrentIndex(backward ? 1 : 0);
}

bool LayerScheduleTab::expandsCores() const
{
    return m_expandCores->isChecked();
}

void LayerScheduleTab::setExpandsCores(bool expand)
{
    m_expandCores->setChecked(expand);
}

const PassSchedule *LayerScheduleTab::currentPass() const
{
    const int i = m_layerCombo->currentIndex();
    if (m_job.isRunning() || i < 0 || std::size_t(i) >= m_layers.size())
        return nullptr;
    const LayerSchedule &s = m_layers[std::size_t(i)].schedule;
    return showsBackward() ? &s.backward : &s.forward;
}

void LayerScheduleTab::redraw()
{
    const PassSchedule *pass = currentPass();
    m_efficiency->setText(efficiencyText());
    const int layer = layerIndex();
    const auto &points = showsBackward() ? m_backwardPoints : m_forwardPoints;
    if (layer >= 0 && std::size_t(layer) < points.size())
        m_roofline->setPoints(points[std::size_t(layer)], m_roofs);
    else
        m_roofline->clear();
    if (!pass || !pass->hasSchedule()) {
        m_gantt->clear();
        return;
    }
    m_gantt->setSchedule(pass->problem, pass->result->value->schedule);
}

bool LayerScheduleTab::showsRoofline() const
{
    return m_viewCombo->currentIndex() == 1;
}

void LayerScheduleTab::setShowsRoofline(bool roofline)
{
    m_viewCombo->setCurrentIndex(roofline ? 1 : 0);
}

std::optional<double> LayerScheduleTab::passFlops() const
{
    const int layer = layerIndex();
    const std::vector<double> &flops = showsBackward() ? m_backwardFlops : m_forwardFlops;
    if (layer < 0 || std::size_t(layer) >= flops.size())
        return std::nullopt;
    return flops[std::size_t(layer)];
}

std::optional<double> LayerScheduleTab::passEfficiency() const
{
    const PassSchedule *pass = currentPass();
    const std::optional<double> flops = passFlops();
    if (!pass || !pass->hasSchedule() || !flops || !m_config || !(pass->latency() > 0.0) ||
        !(m_config->peakFlops() > 0.0))
        return std::nullopt;
    return *flops / pass->latency() / m_config->peakFlops();
}

QString LayerScheduleTab::efficiencyText() const
{
    const std::optional<double> efficiency = passEfficiency();
    if (!efficiency)
        return {};
    const double latency = currentPass()->latency();
    return tr("%1: %2 for %3, %4 achieved: %5% of the chip's peak %6")
        .arg(m_layerCombo->currentText(), showsBackward() ? tr("backward") : tr("forward"),
             tr("%1 GFLOP").arg(*passFlops() / 1e9, 0, 'g', 3),
             QString::fromStdString(formatHuman(*passFlops() / latency, Dimension::FlopRate, 3)))
        .arg(100.0 * *efficiency, 0, 'f', 1)
        .arg(QString::fromStdString(formatHuman(m_config->peakFlops(), Dimension::FlopRate, 3)));
}

QString LayerScheduleTab::statusText() const
{
    return m_status->text();
}

QString LayerScheduleTab::exportPlot(const QString &path, int widthPx, int heightPx, double scale)
{
    if (showsRoofline())
        return exportCustomPlot(m_roofline->plot(), path, widthPx, heightPx, scale, tr("Roofline"));
    return exportCustomPlot(m_gantt->plot(), path, widthPx, heightPx, scale, tr("Layer schedule"));
}

} // namespace phaze
