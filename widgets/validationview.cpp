#include "widgets/validationview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

#include <qcustomplot.h>

#include "widgets/backgroundjob.h"
#include "widgets/plotexport.h"

namespace phaze {

namespace {

using namespace Qt::StringLiterals;

// Display units of each quantity: s, TFLOP/s, GiB.
double displayScale(ValidationQuantity q)
{
    switch (q) {
    case ValidationQuantity::IterationTime:
        return 1.0;
    case ValidationQuantity::ThroughputPerDevice:
        return 1e-12;
    case ValidationQuantity::MemoryParamsAndOptimizer:
    case ValidationQuantity::MemoryActivations:
        return 1.0 / (1024.0 * 1024.0 * 1024.0);
    }
    return 1.0;
}

QString quantityTitle(ValidationQuantity q)
{
    switch (q) {
    case ValidationQuantity::IterationTime:
        return QObject::tr("iteration time (s)");
    case ValidationQuantity::ThroughputPerDevice:
        return QObject::tr("throughput per device (TFLOP/s)");
    case ValidationQuantity::MemoryParamsAndOptimizer:
        return QObject::tr("parameter and optimizer memory (GiB)");
    case ValidationQuantity::MemoryActivations:
        return QObject::tr("activation memory (GiB)");
    }
    return {};
}

} // namespace

ValidationView::ValidationView(QWidget *parent)
    : QWidget(parent), m_fileLabel(new QLabel(this)), m_quantityCombo(new QComboBox(this)),
      m_bandSpin(new QDoubleSpinBox(this)), m_logCheck(new QCheckBox(tr("Log axes"), this)),
      m_status(new QLabel(this)),
      m_plot(new QCustomPlot(this))
{
    setObjectName("validationView");
    m_plot->setObjectName("validationCustomPlot");
    m_plot->setMinimumSize(160, 120);
    m_status->setObjectName("validationStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fileLabel->setText(tr("<i>No validation file: open one of published training runs "
                            "(docs/validation.md).</i>"));
    // Neither a long path nor a long quantity name may widen the tab (and squeeze the docks):
    // the window's tabs share one minimum width.
    m_fileLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_fileLabel->setMinimumWidth(60);
    m_quantityCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_quantityCombo->setMinimumContentsLength(14);
    m_quantityCombo->setObjectName("validationQuantity");
    for (ValidationQuantity q :
         {ValidationQuantity::IterationTime, ValidationQuantity::ThroughputPerDevice,
          ValidationQuantity::MemoryParamsAndOptimizer, ValidationQuantity::MemoryActivations})
        m_quantityCombo->addItem(quantityTitle(q), int(q));
    m_bandSpin->setObjectName("validationBand");
    m_bandSpin->setRange(1, 50);
    m_bandSpin->setDecimals(0);
    m_bandSpin->setSuffix(u" %"_s);
    m_bandSpin->setPrefix(u"± "_s);
    m_bandSpin->setValue(m_band * 100);
    m_logCheck->setObjectName("validationLog");
    m_logCheck->setChecked(m_log);
    auto *open = new QPushButton(tr("Open Validation File..."), this);

    auto *top = new QHBoxLayout;
    top->addWidget(open);
    top->addWidget(m_fileLabel, 1);
    top->addWidget(m_quantityCombo);
    top->addWidget(new QLabel(tr("band"), this));
    top->addWidget(m_bandSpin);
    top->addWidget(m_logCheck);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_plot, 1);
    stylePaperPlot(m_plot, kPaperTickPt, kPaperLabelPt, 3);

    m_job = std::make_unique<BackgroundJob<Result<ValidationReport>>>(
        this, [this](Result<ValidationReport> r) {
            if (r.value) {
                m_report = std::move(*r.value);
                m_error.clear();
            } else {
                m_error = QString::fromStdString(r.message); // the plot keeps what it showed
            }
            rebuild();
            emit reportChanged();
        });
    connect(open, &QPushButton::clicked, this, &ValidationView::chooseFile);
    connect(m_quantityCombo, &QComboBox::currentIndexChanged, this, [this] {
        setQuantity(ValidationQuantity(m_quantityCombo->currentData().toInt()));
    });
    connect(m_bandSpin, &QDoubleSpinBox::valueChanged, this,
            [this](double percent) { setBand(percent / 100.0); });
    connect(m_logCheck, &QCheckBox::toggled, this, &ValidationView::setLogAxes);
    rebuild();
}

ValidationView::~ValidationView() = default;

void ValidationView::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open validation file"), {}, tr("Validation files (*.yaml *.yml)"));
    if (!path.isEmpty())
        openFile(path);
}

void ValidationView::openFile(const QString &path)
{
    m_file = path;
    m_fileLabel->setText(path.toHtmlEscaped());
    m_fileLabel->setToolTip(path);
    m_status->setText(tr("<i>Predicting the runs...</i>"));
    const std::string file = path.toStdString();
    m_job->run([file](const CancelToken &) {
        Result<ValidationReport> r = validateFiles({file});
        if (!r.value && !r.diagnostics.empty())
            r.message = formatAll(r.diagnostics); // every located problem, for the status line
        return r;
    });
}

bool ValidationView::isRunning() const
{
    return m_job->isRunning();
}

void ValidationView::setQuantity(ValidationQuantity quantity)
{
    m_quantity = quantity;
    if (const int index = m_quantityCombo->findData(int(quantity));
        index != m_quantityCombo->currentIndex())
        m_quantityCombo->setCurrentIndex(index);
    rebuild();
}

void ValidationView::setBand(double fraction)
{
    m_band = std::clamp(fraction, 0.01, 0.5);
    if (std::abs(m_bandSpin->value() - m_band * 100) > 1e-9)
        m_bandSpin->setValue(m_band * 100);
    m_logCheck->setObjectName("validationLog");
    m_logCheck->setChecked(m_log);
    rebuild();
}

void ValidationView::setLogAxes(bool on)
{
    m_log = on;
    if (m_logCheck->isChecked() != on)
        m_logCheck->setChecked(on);
    rebuild();
}

QString ValidationView::statusText() const
{
    return m_status->text();
}

std::vector<QPointF> ValidationView::drawnPoints() const
{
    std::vector<QPointF> out;
    if (m_plot->graphCount() == 0)
        return out;
    const QCPGraph *runs = m_plot->graph(0);
    for (auto it = runs->data()->constBegin(); it != runs->data()->constEnd(); ++it)
        out.emplace_back(it->key, it->value);
    return out;
}

void ValidationView::rebuild()
{
    m_plot->clearGraphs();
    m_plot->clearItems();
    const double scale = displayScale(m_quantity);
    const QString what = quantityTitle(m_quantity);
    m_plot->xAxis->setLabel(tr("Measured %1").arg(what));
    m_plot->yAxis->setLabel(tr("Predicted %1").arg(what));
    QString status;
    double top = 0.0, bottom = 0.0;
    QVector<double> xs, ys;
    QStringList runs;
    if (m_report) {
        for (const ValidationEntry &e : m_report->entries) {
            if (e.quantity != m_quantity)
                continue;
            xs << e.measured * scale;
            ys << e.predicted * scale;
            runs << QString::fromStdString(e.run);
            top = std::max({top, e.measured * scale, e.predicted * scale});
            const double low = std::min(e.measured, e.predicted) * scale;
            bottom = bottom > 0.0 ? std::min(bottom, low) : low;
        }
        for (const ValidationSummary &s : m_report->summary)
            if (s.quantity == m_quantity && s.count > 0)
                status = tr("%1 runs, mean |error| %2%, max %3% (%4)")
                             .arg(s.count)
                             .arg(100 * s.meanAbsError, 0, 'f', 2)
                             .arg(100 * s.maxAbsError, 0, 'f', 2)
                             .arg(QString::fromStdString(s.worstRun));
        if (status.isEmpty())
            status = tr("No run of this file reports the %1.").arg(what);
        if (!m_report->failures.empty())
            status += tr("; refused: %1")
                          .arg(QString::fromStdString(m_report->failures.front()).toHtmlEscaped());
    } else if (m_error.isEmpty()) {
        status = tr("<i>Open a validation file to see the model against measured runs.</i>");
    }
    if (!m_error.isEmpty())
        status = tr("<span style='color:#b00020'>%1</span>").arg(m_error.toHtmlEscaped()) +
                 (m_report ? tr("<br>Still shown: %1").arg(status) : QString());
    m_status->setText(status);

    // Points first (graph 0: drawnPoints reads it), then the diagonal and the band.
    QCPGraph *points = m_plot->addGraph();
    points->setName(tr("Published runs"));
    points->setLineStyle(QCPGraph::lsNone);
    points->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0, 114, 178), QColor(0, 114, 178), 8));
    points->setData(xs, ys);
    // Linear axes start at the origin; log axes span the points with some room. Both lines are
    // straight either way (y = k x), so two points each draw them.
    const bool log = m_log && bottom > 0.0;
    const double end = top > 0.0 ? (log ? 1.5 : 1.1) * top : 1.0;
    const double start = log ? bottom / 1.5 : 0.0;
    QCPGraph *diagonal = m_plot->addGraph();
    diagonal->setName(tr("predicted = measured"));
    diagonal->setPen(QPen(Qt::black, 1.2));
    diagonal->setData({start, end}, {start, end});
    const QString band = tr("±%1%").arg(m_band * 100, 0, 'f', 0);
    for (double side : {1.0 + m_band, 1.0 - m_band}) {
        QCPGraph *edge = m_plot->addGraph();
        edge->setName(band);
        edge->setPen(QPen(QColor(213, 94, 0), 1.2, Qt::DashLine));
        edge->setData({start, end}, {start * side, end * side});
        if (side < 1.0)
            edge->removeFromLegend(); // one legend entry for the band
    }
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (log)
            axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        else
            axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        axis->setRange(start, end);
    }
    m_plot->legend->setVisible(true);
    m_plot->replot();
}

} // namespace phaze
