#include "widgets/pipelinetab.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "widgets/pipelineplot.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

PipelineTab::PipelineTab(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_modelCombo(new QComboBox(this)),
      m_exportButton(new QPushButton(tr("Export..."), this)), m_summary(new QLabel(this)),
      m_plot(new PipelinePlot(this))
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

    connect(&m_watcher, &QFutureWatcherBase::finished, this, &PipelineTab::onFinished);
    connect(m_modelCombo, &QComboBox::activated, this, &PipelineTab::refresh);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        exportCustomPlotInteractively(this, m_plot->plot(), "pipeline.pdf", tr("Pipeline"));
    });
    const auto selectionChanged = [this] {
        fillModels();
        refresh();
    };
    connect(session->results(), &ResultStore::selectionChanged, this, selectionChanged);
    connect(session->results(), &ResultStore::resultsReset, this, selectionChanged);
    fillModels();
}

PipelineTab::~PipelineTab()
{
    m_cancel.cancel();
    m_watcher.waitForFinished();
}

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
    // Replaying solves the layer schedules again: only for a tab the user can see.
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    if (m_running) {
        m_restart = true;
        m_cancel.cancel();
        return;
    }
    start();
}

void PipelineTab::start()
{
    const ResultStore *store = m_session->results();
    const int row = store->selectedRow();
    m_replay.reset();
    m_plot->clear();
    if (row < 0 || !store->evaluations()[std::size_t(row)].feasible()) {
        m_summary->setText(row < 0 ? tr("Select a search result to see its pipeline.")
                                   : tr("The selected configuration has no placement."));
        emit timelineReady(Status::Error, m_summary->text());
        return;
    }
    const std::size_t model = std::size_t(std::max(0, m_modelCombo->currentIndex()));
    m_running = true;
    m_cancel = CancelToken::create();
    m_summary->setText(tr("Simulating the pipeline of candidate %1...")
                           .arg(store->evaluations()[std::size_t(row)].candidate));
    m_watcher.setFuture(QtConcurrent::run(
        [project = m_session->project(), baseDir = m_session->baseDir(),
         evaluation = store->evaluations()[std::size_t(row)], model, cancel = m_cancel] {
            return replayPlacement(project, baseDir, evaluation, model, cancel);
        }));
}

void PipelineTab::onFinished()
{
    Result<PlacementReplay> result = m_watcher.result();
    m_running = false;
    if (m_restart) {
        m_restart = false;
        start();
        return;
    }
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
