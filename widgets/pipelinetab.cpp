#include "widgets/pipelinetab.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "widgets/pipelineplot.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

PipelineTab::PipelineTab(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_modelCombo(new QComboBox(this)),
      m_exportButton(new QPushButton(tr("Export..."), this)), m_summary(new QLabel(this)),
      m_plot(new PipelinePlot(this)),
      m_job(this, [this](Result<PlacementReplay> result) { onFinished(std::move(result)); })
{
    setObjectName("pipelineTab");
    m_modelCombo->setObjectName("pipelineModel");
    m_summary->setObjectName("pipelineSummary");
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Model:"), this));
    top->addWidget(m_modelCombo);
    top->addStretch(1);
    top->addWidget(m_exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_plot, 1);

    connect(m_modelCombo, &QComboBox::activated, this, &PipelineTab::refresh);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        exportCustomPlotInteractively(this, m_plot->plot(), "pipeline.pdf", tr("Pipeline"));
    });
    connect(session, &Session::projectChanged, this, &PipelineTab::fillModels);
    connect(session->results(), &ResultStore::focusChanged, this, &PipelineTab::refresh);
    fillModels();
}

PipelineTab::~PipelineTab() = default;

void PipelineTab::fillModels()
{
    const int current = m_modelCombo->currentIndex();
    m_modelCombo->clear();
    for (const ModelRef &ref : m_session->project().models)
        m_modelCombo->addItem(QString::fromStdString(ref.label()));
    if (current >= 0 && current < m_modelCombo->count())
        m_modelCombo->setCurrentIndex(current);
}

void PipelineTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

void PipelineTab::refresh()
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

void PipelineTab::finishWithout(const QString &why)
{
    m_wantsResult = false;
    m_job.cancel();
    m_summary->setText(why);
    emit timelineReady(Status::Error, why);
}

void PipelineTab::start()
{
    const ResultStore *store = m_session->results();
    const Evaluation *focused = store->focused();
    m_replay.reset();
    m_plot->clear();
    if (!focused) {
        finishWithout(tr("Select a search result (or set the project's architecture) to see "
                         "its pipeline."));
        return;
    }
    if (!focused->feasible()) {
        finishWithout(tr("The %1 has no placement.").arg(store->focusLabel()));
        return;
    }
    const std::size_t model = std::size_t(std::max(0, m_modelCombo->currentIndex()));
    m_wantsResult = true;
    m_summary->setText(tr("Simulating the pipeline of the %1...").arg(store->focusLabel()));
    m_job.run([project = m_session->project(), baseDir = m_session->baseDir(),
               evaluation = *focused, model](const CancelToken &cancel) {
        return replayPlacement(project, baseDir, evaluation, model, cancel);
    });
}

void PipelineTab::onFinished(Result<PlacementReplay> result)
{
    if (!m_wantsResult)
        return;
    if (result.hasValue()) {
        m_replay = std::move(*result.value);
        m_plot->setTimeline(m_replay->timeline, int(m_replay->placement.stages.size()));
        m_summary->setText(summarize(*m_replay));
    } else {
        m_summary->setText(tr("No timeline: %1").arg(QString::fromStdString(result.message)));
    }
    emit timelineReady(result.status, m_summary->text());
}

QString PipelineTab::summarize(const PlacementReplay &replay)
{
    const Placement &p = replay.placement;
    const PipelineTimeline &t = replay.timeline;
    return tr("%1 stages x %2 data-parallel replicas, %3 microbatches per pipeline: makespan "
              "%4 ms simulated vs %5 ms closed form per batch, bubble %6%")
        .arg(p.stages.size())
        .arg(p.dataParallel)
        .arg(p.microbatchesPerPipeline)
        .arg(t.makespan * 1e3, 0, 'f', 3)
        .arg(t.closedForm * 1e3, 0, 'f', 3)
        .arg(100.0 * t.bubbleFraction, 0, 'f', 1);
}

QString PipelineTab::summaryText() const
{
    return m_summary->text();
}

QString PipelineTab::exportPlot(const QString &path, int widthPx, int heightPx, double scale)
{
    return exportCustomPlot(m_plot->plot(), path, widthPx, heightPx, scale, tr("Pipeline"));
}

} // namespace phaze
