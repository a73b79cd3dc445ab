#include "widgets/memorytab.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

#include "widgets/memoryplot.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

} // namespace

MemoryTab::MemoryTab(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_modelCombo(new QComboBox(this)),
      m_exportButton(new QPushButton(tr("Export..."), this)), m_summary(new QLabel(this)),
      m_plot(new MemoryPlot(this)),
      m_job(this, [this](Result<PlacementReplay> result) { onFinished(std::move(result)); })
{
    setObjectName("memoryTab");
    m_modelCombo->setObjectName("memoryModel");
    m_summary->setObjectName("memorySummary");
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Model:"), this));
    top->addWidget(m_modelCombo);
    top->addStretch(1);
    top->addWidget(m_exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_plot, 1);

    connect(m_modelCombo, &QComboBox::activated, this, &MemoryTab::refresh);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        exportCustomPlotInteractively(this, plot(), "memory.pdf", tr("Memory per stage"));
    });
    connect(session, &Session::projectChanged, this, &MemoryTab::fillModels);
    connect(session->results(), &ResultStore::focusChanged, this, &MemoryTab::refresh);
    fillModels();
}

MemoryTab::~MemoryTab() = default;

void MemoryTab::fillModels()
{
    const int current = m_modelCombo->currentIndex();
    m_modelCombo->clear();
    for (const ModelRef &ref : m_session->project().models)
        m_modelCombo->addItem(QString::fromStdString(ref.label()));
    if (current >= 0 && current < m_modelCombo->count())
        m_modelCombo->setCurrentIndex(current);
}

int MemoryTab::modelIndex() const
{
    return m_modelCombo->currentIndex();
}

void MemoryTab::setModelIndex(int index)
{
    m_modelCombo->setCurrentIndex(index);
    refresh();
}

QCustomPlot *MemoryTab::plot() const
{
    return m_plot->plot();
}

void MemoryTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

void MemoryTab::refresh()
{
    // Replaying solves the layer schedules again: only for a tab the user can see. A replay of
    // a focus that has gone is of no use to anybody.
    if (!isVisible()) {
        m_dirty = true;
        m_wantsResult = false;
        m_job.cancel();
        return;
    }
    m_dirty = false;
    start();
}

void MemoryTab::finishWithout(const QString &why)
{
    m_wantsResult = false;
    m_job.cancel();
    m_summary->setText(why);
    emit memoryReady(Status::Error, why);
}

void MemoryTab::start()
{
    const ResultStore *store = m_session->results();
    const Evaluation *focused = store->focused();
    m_replay.reset();
    m_plot->clear();
    if (!focused) {
        finishWithout(tr("Select a search result (or set the project's architecture) to see "
                         "its memory per stage."));
        return;
    }
    const int model = std::max(0, m_modelCombo->currentIndex());
    const ModelOutcome *outcome = std::size_t(model) < focused->models.size()
                                      ? &focused->models[std::size_t(model)]
                                      : nullptr;
    if (!outcome || outcome->stages.empty()) {
        const std::string &why =
            outcome && !outcome->message.empty() ? outcome->message : focused->message;
        finishWithout(tr("The %1 has no placement for %2: %3")
                          .arg(store->focusLabel(), m_modelCombo->currentText(),
                               QString::fromStdString(why)));
        return;
    }
    m_capacity = focused->config.hbmBytes;
    m_wantsResult = true;
    m_summary->setText(
        tr("Placing %1 on the %2...").arg(m_modelCombo->currentText(), store->focusLabel()));
    m_job.run([project = m_session->project(), baseDir = m_session->baseDir(),
               evaluation = *focused, model](const CancelToken &cancel) {
        return replayPlacement(project, baseDir, evaluation, std::size_t(model), cancel);
    });
}

void MemoryTab::onFinished(Result<PlacementReplay> result)
{
    if (!m_wantsResult)
        return;
    if (result.hasValue()) {
        m_replay = std::move(*result.value);
        m_plot->setStages(m_replay->placement.stages, m_capacity);
        m_summary->setText(summarize(m_replay->placement, m_capacity));
    } else {
        m_summary->setText(tr("No placement: %1").arg(QString::fromStdString(result.message)));
    }
    emit memoryReady(result.status, m_summary->text());
}

QString MemoryTab::summarize(const Placement &placement, double capacityBytes)
{
    double peak = 0.0;
    std::size_t peakStage = 0;
    for (std::size_t k = 0; k < placement.stages.size(); ++k)
        if (placement.stages[k].memoryBytes > peak) {
            peak = placement.stages[k].memoryBytes;
            peakStage = k;
        }
    const double headroom = capacityBytes > 0.0 ? 100.0 * (1.0 - peak / capacityBytes) : 0.0;
    const int stages = int(placement.stages.size());
    return (stages == 1 ? tr("1 stage") : tr("%1 stages").arg(stages)) +
           tr(", data-parallel degree %1, tensor-parallel width %2: peak %3 GiB per device "
              "(stage %4) of %5 GiB HBM, headroom %6%")
               .arg(placement.dataParallel)
               .arg(placement.tensorParallel)
               .arg(peak / kGiB, 0, 'f', 2)
               .arg(peakStage + 1)
               .arg(capacityBytes / kGiB, 0, 'f', 2)
               .arg(headroom, 0, 'f', 1);
}

QString MemoryTab::summaryText() const
{
    return m_summary->text();
}

QString MemoryTab::exportPlot(const QString &path, int widthPx, int heightPx, double scale)
{
    return exportCustomPlot(plot(), path, widthPx, heightPx, scale, tr("Memory per stage"));
}

} // namespace phaze
