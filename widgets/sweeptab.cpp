#include "widgets/sweeptab.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include <qcustomplot.h>

#include "core/base/units.h"
#include "widgets/csvfile.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

// The unit an axis shows a dimension in: a power of ten of its SI unit that reads naturally for
// the values the sweeps take.
struct AxisUnit {
    double factor = 1.0; // SI per shown unit
    QString name;        // "" for counts
};

AxisUnit axisUnit(Dimension dimension, double largest)
{
    switch (dimension) {
    case Dimension::Bandwidth:
        return largest >= 1e12 ? AxisUnit{1e12, u"TB/s"_s} : AxisUnit{1e9, u"GB/s"_s};
    case Dimension::Bytes:
        return largest >= 1024.0 * 1024 * 1024 ? AxisUnit{1024.0 * 1024 * 1024, u"GiB"_s}
                                               : AxisUnit{1024.0 * 1024, u"MiB"_s};
    case Dimension::Frequency:
        return AxisUnit{1e9, u"GHz"_s};
    case Dimension::Time:
        return largest >= 1.0    ? AxisUnit{1.0, u"s"_s}
               : largest >= 1e-3 ? AxisUnit{1e-3, u"ms"_s}
                                 : AxisUnit{1e-6, u"µs"_s};
    case Dimension::Area:
        return AxisUnit{1.0, u"mm²"_s};
    case Dimension::Power:
        return AxisUnit{1.0, u"W"_s};
    case Dimension::Energy:
        return AxisUnit{1e-12, u"pJ"_s};
    case Dimension::FlopRate:
        return AxisUnit{1e12, u"TFLOP/s"_s};
    case Dimension::Count:
        break;
    }
    return {};
}

// A design swept in the project it was evaluated with keeps that project's preset name: a
// chip preset's own measurements (its matmul rate, its tiles) apply to it as they did.
ArchitectureSpec designArchitecture(const ProjectSpec &project, const AcceleratorConfig &config)
{
    return ArchitectureSpec{project.architecture ? project.architecture->preset : std::string(),
                            config};
}

} // namespace

SweepTab::SweepTab(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_parameter(new QComboBox(this)),
      m_values(new QLineEdit(this)), m_run(new QPushButton(tr("Run Sweep"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_exportPlot(new QPushButton(tr("Export plot..."), this)),
      m_exportCsv(new QPushButton(tr("Export CSV..."), this)),
      m_logX(new QCheckBox(tr("Log x"), this)), m_logY(new QCheckBox(tr("Log y"), this)),
      m_status(new QLabel(this)), m_plot(new QCustomPlot(this)),
      m_job(this, [this](Result<SweepResult> r) { finished(std::move(r)); })
{
    setObjectName("sweepTab");
    m_parameter->setObjectName("sweepParameter");
    m_parameter->setToolTip(tr("The project parameter to vary (under the project's profile)"));
    m_values->setObjectName("sweepValues");
    m_values->setToolTip(tr("The values, comma-separated, as a project file writes them "
                            "(\"25 GB/s, 50 GB/s, 100 GB/s\")"));
    m_run->setObjectName("runSweepButton");
    m_cancel->setObjectName("cancelSweepButton");
    m_logX->setObjectName("sweepLogX");
    m_logY->setObjectName("sweepLogY");
    m_status->setObjectName("sweepStatus");
    m_status->setWordWrap(true);
    m_plot->setObjectName("sweepPlot");
    m_plot->setMinimumSize(200, 160);
    stylePaperPlot(m_plot, kPaperTickPt, kPaperLabelPt, 3);
    m_plot->yAxis->setLabel(tr("Throughput (samples/s)"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Parameter:"), this));
    controls->addWidget(m_parameter);
    controls->addWidget(new QLabel(tr("Values:"), this));
    controls->addWidget(m_values, 1);
    controls->addWidget(m_run);
    controls->addWidget(m_cancel);
    auto *options = new QHBoxLayout;
    options->addWidget(m_status, 1);
    options->addWidget(m_logX);
    options->addWidget(m_logY);
    options->addWidget(m_exportCsv);
    options->addWidget(m_exportPlot);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(options);
    layout->addWidget(m_plot, 1);

    connect(m_parameter, &QComboBox::activated, this, &SweepTab::suggestValues);
    connect(m_values, &QLineEdit::returnPressed, this, &SweepTab::runSweep);
    connect(m_run, &QPushButton::clicked, this, &SweepTab::runSweep);
    connect(m_cancel, &QPushButton::clicked, this, &SweepTab::cancel);
    connect(m_logX, &QCheckBox::toggled, this, &SweepTab::draw);
    connect(m_logY, &QCheckBox::toggled, this, &SweepTab::draw);
    connect(m_exportPlot, &QPushButton::clicked, this,
            [this] { exportCustomPlotInteractively(this, m_plot, u"sweep.pdf"_s, tr("Sweep")); });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export sweep"), u"sweep.csv"_s,
                                                          tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportCsv(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    // The parameters follow the project's profile.
    connect(session, &Session::projectChanged, this, [this] {
        const bool system = m_session->project().training.profile == ModelProfile::System;
        if (system != m_systemProfile || m_parameter->count() == 0)
            fillParameters();
    });
    fillParameters();
    m_cancel->setEnabled(false);
    m_exportCsv->setEnabled(false);
    m_status->setText(tr("Choose a parameter and its values, pin designs (Pinned tab) or "
                         "select one, then Run Sweep."));
}

void SweepTab::fillParameters()
{
    m_systemProfile = m_session->project().training.profile == ModelProfile::System;
    const QString previous = m_parameter->currentData().toString();
    m_parameter->clear();
    for (const ParameterSpec *spec : sweepableParameters(m_systemProfile)) {
        const QString name =
            QString::fromStdString(std::string(paramGroupName(spec->group)) + "." + spec->key);
        m_parameter->addItem(name, name);
        m_parameter->setItemData(m_parameter->count() - 1,
                                 QString::fromStdString(spec->description), Qt::ToolTipRole);
    }
    // The first sweep most users want: the slow tier's bandwidth (system), the link (PHAZE).
    const QString preferred = !previous.isEmpty() ? previous
                              : m_systemProfile   ? u"cluster.inter_node_bandwidth"_s
                                                  : u"training.link_bandwidth"_s;
    const int index = m_parameter->findData(preferred);
    m_parameter->setCurrentIndex(index < 0 ? 0 : index);
    suggestValues();
}

const ParameterSpec *SweepTab::currentSpec() const
{
    const QString name = m_parameter->currentData().toString();
    const qsizetype dot = name.indexOf(u'.');
    const std::optional<ParamGroup> group = paramGroupFromName(name.left(dot).toStdString());
    return group ? ParameterRegistry::instance().find(*group, name.mid(dot + 1).toStdString())
                 : nullptr;
}

bool SweepTab::setParameter(const QString &name)
{
    const int index = m_parameter->findData(name);
    if (index < 0)
        return false;
    m_parameter->setCurrentIndex(index);
    suggestValues();
    return true;
}

void SweepTab::suggestValues()
{
    const ParameterSpec *spec = currentSpec();
    if (!spec)
        return;
    // Around the value of the design swept first (the first pin's project, else the focus's).
    const ResultStore *store = m_session->results();
    ProjectSpec reference = m_session->project();
    if (!store->pinned().empty()) {
        reference = store->pinned().front().project.project;
        reference.architecture = ArchitectureSpec{{}, store->pinned().front().evaluation.config};
    } else if (const Evaluation *focused = store->focused()) {
        reference = m_session->focusedProject().project;
        reference.architecture = ArchitectureSpec{{}, focused->config};
    }
    QStringList values;
    for (const std::string &v : suggestedSweepValues(reference, *spec))
        values << QString::fromStdString(v);
    m_values->setText(values.join(u", "_s));
}

void SweepTab::runSweep()
{
    const ParameterSpec *spec = currentSpec();
    if (!spec)
        return;
    SweepRequest request;
    request.section = std::string(paramGroupName(spec->group));
    request.key = spec->key;
    request.values = splitSweepValues(m_values->text().toStdString());
    request.threads = 1; // a running search keeps the other cores
    // Each design with the project it was evaluated with.
    struct Job {
        ProjectSnapshot project;
        SweepDesign design;
    };
    std::vector<Job> jobs;
    const ResultStore *store = m_session->results();
    for (const PinnedDesign &p : store->pinned())
        jobs.push_back(
            {p.project,
             {p.label.toStdString(), designArchitecture(p.project.project, p.evaluation.config)}});
    if (jobs.empty()) {
        const Evaluation *focused = store->focused();
        if (!focused) {
            m_status->setText(tr("Nothing to sweep: pin designs (Pinned tab) or select a "
                                 "result, or give the project an architecture."));
            emit sweepFinished(Status::Infeasible, m_status->text());
            return;
        }
        const ProjectSnapshot project = m_session->focusedProject();
        jobs.push_back({project,
                        {store->focusLabel().toStdString(),
                         designArchitecture(project.project, focused->config)}});
    }
    m_status->setText(
        tr("Sweeping %1 over %n value(s) for %2 design(s)...", "", int(request.values.size()))
            .arg(QString::fromStdString(request.section + "." + request.key))
            .arg(jobs.size()));
    m_cancel->setEnabled(true);
    m_job.run([jobs, request](const CancelToken &cancel) -> Result<SweepResult> {
        SweepResult all;
        for (const Job &job : jobs) {
            SweepRequest one = request;
            one.designs = {job.design};
            Result<SweepResult> r =
                phaze::runSweep(job.project.project, job.project.baseDir, one, {}, cancel);
            if (!r.value)
                return Result<SweepResult>::error(job.design.label + ": " + r.message);
            all.parameter = r.value->parameter;
            all.dimension = r.value->dimension;
            for (SweepCurve &c : r.value->curves)
                all.curves.push_back(std::move(c));
            if (cancel.isCancelled())
                break;
        }
        return Result<SweepResult>::optimal(std::move(all));
    });
}

void SweepTab::cancel()
{
    m_job.cancel();
    m_cancel->setEnabled(false);
    m_status->setText(tr("Sweep cancelled."));
    emit sweepFinished(Status::Cancelled, m_status->text());
}

void SweepTab::finished(Result<SweepResult> result)
{
    m_cancel->setEnabled(false);
    if (!result.value) {
        m_status->setText(tr("Sweep failed: %1").arg(QString::fromStdString(result.message)));
        emit sweepFinished(Status::Error, m_status->text());
        return;
    }
    m_result = std::move(*result.value);
    m_exportCsv->setEnabled(true);
    draw();
    m_status->setText(summary());
    emit sweepFinished(m_result->anyFeasible() ? Status::Optimal : Status::Infeasible,
                       m_status->text());
}

QString SweepTab::statusText() const
{
    return m_status->text();
}

QString SweepTab::summary() const
{
    if (!m_result)
        return {};
    int feasible = 0, total = 0;
    QStringList reasons;
    for (const SweepCurve &c : m_result->curves)
        for (const SweepPoint &p : c.points) {
            ++total;
            feasible += p.feasible ? 1 : 0;
            if (!p.feasible && reasons.size() < 2)
                reasons << QString::fromStdString(c.label + " at " + p.value + ": " + p.message);
        }
    QString text = tr("%1: %2 of %3 points trainable")
                       .arg(QString::fromStdString(m_result->parameter))
                       .arg(feasible)
                       .arg(total);
    if (!reasons.isEmpty())
        text += tr(" (not: %1)").arg(reasons.join(u"; "_s));
    return text;
}

void SweepTab::draw()
{
    m_plot->clearGraphs();
    m_plot->clearItems();
    if (!m_result || m_result->curves.empty()) {
        m_plot->legend->setVisible(false);
        m_plot->replot();
        return;
    }
    double largest = 0.0;
    for (const SweepCurve &c : m_result->curves)
        for (const SweepPoint &p : c.points)
            largest = std::max(largest, std::abs(p.x));
    const AxisUnit unit = axisUnit(m_result->dimension, largest);
    const QString name = QString::fromStdString(m_result->parameter);
    m_plot->xAxis->setLabel(unit.name.isEmpty() ? name : u"%1 (%2)"_s.arg(name, unit.name));
    const bool logX = m_logX->isChecked(), logY = m_logY->isChecked();
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        const bool log = axis == m_plot->xAxis ? logX : logY;
        axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (log)
            axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        else
            axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    double xMin = HUGE_VAL, xMax = -HUGE_VAL, yMax = 0.0, yMin = HUGE_VAL;
    for (std::size_t i = 0; i < m_result->curves.size(); ++i) {
        const SweepCurve &c = m_result->curves[i];
        QCPGraph *graph = m_plot->addGraph();
        graph->setName(QString::fromStdString(c.label));
        const QColor colour = categoryColour(i);
        graph->setPen(QPen(colour, 2.0));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, colour, 7));
        QVector<double> xs, ys;
        for (const SweepPoint &p : c.points) {
            const double x = p.x / unit.factor;
            xMin = std::min(xMin, x);
            xMax = std::max(xMax, x);
            // An infeasible point is a gap in its line, not a zero.
            xs << x;
            ys << (p.feasible ? p.throughput : qQNaN());
            if (p.feasible) {
                yMax = std::max(yMax, p.throughput);
                yMin = std::min(yMin, p.throughput);
            }
        }
        graph->setData(xs, ys, true);
    }
    m_plot->legend->setVisible(m_result->curves.size() > 0);
    if (xMin <= xMax) {
        const double pad = logX ? 1.25 : 0.0;
        if (logX)
            m_plot->xAxis->setRange(xMin / pad, xMax * pad);
        else
            m_plot->xAxis->setRange(xMin - 0.05 * (xMax - xMin + (xMax == xMin ? xMax : 0.0)),
                                    xMax + 0.05 * (xMax - xMin + (xMax == xMin ? xMax : 0.0)));
    }
    if (yMax > 0.0) {
        if (logY)
            m_plot->yAxis->setRange(yMin / 1.25, yMax * 1.25);
        else
            m_plot->yAxis->setRange(0.0, yMax * 1.1);
    }
    m_plot->replot();
}

QString SweepTab::exportCsv(const QString &path) const
{
    if (!m_result)
        return tr("No sweep to export");
    return writeCsvFile(path, QString::fromStdString(sweepCsv(*m_result)));
}

} // namespace phaze
