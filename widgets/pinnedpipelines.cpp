#include "widgets/pinnedpipelines.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

#include "widgets/pipelineplot.h"
#include "widgets/pipelinetab.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

// Milliseconds, the unit of PipelinePlot's time axis.
constexpr double kMilli = 1e3;

// A timeline's height: its stage rows, the time axis and (on the last) the legend; compact,
// so that two or three designs fit the page together.
int plotHeight(int stages, bool legend)
{
    return (legend ? 90 : 60) + 20 * std::clamp(stages, 1, 24);
}

} // namespace

PinnedPipelines::PinnedPipelines(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_model(new QComboBox(this)), m_status(new QLabel(this)),
      m_rows(new QVBoxLayout), m_job(this, [this](Run run) { display(run); })
{
    setObjectName("pinnedPipelines");
    m_model->setObjectName("pinnedPipelinesModel");
    m_status->setObjectName("pinnedPipelinesStatus");
    m_status->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Model:"), this));
    top->addWidget(m_model);
    top->addWidget(m_status, 1);
    auto *inner = new QWidget;
    inner->setLayout(m_rows);
    m_rows->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(inner);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);
    connect(m_model, &QComboBox::activated, this, &PinnedPipelines::refresh);
    connect(session->results(), &ResultStore::pinsChanged, this, [this] {
        fillModels();
        refresh();
    });
    fillModels();
}

int PinnedPipelines::modelIndex() const
{
    return std::max(0, m_model->currentIndex());
}

void PinnedPipelines::setModelIndex(int index)
{
    m_model->setCurrentIndex(index);
    refresh();
}

QStringList PinnedPipelines::captions() const
{
    QStringList out;
    for (const QLabel *caption : m_captions)
        out << caption->text();
    return out;
}

QString PinnedPipelines::statusText() const
{
    return m_status->text();
}

void PinnedPipelines::fillModels()
{
    // The first pin's models: pins are of one project (another project drops them), whose
    // models an edit may have changed since; a pin without the chosen model says so.
    const int current = m_model->currentIndex();
    m_model->clear();
    const std::vector<PinnedDesign> &pins = m_session->results()->pinned();
    if (!pins.empty())
        for (const ModelRef &ref : pins.front().project.project.models)
            m_model->addItem(QString::fromStdString(ref.label()));
    if (current >= 0 && current < m_model->count())
        m_model->setCurrentIndex(current);
}

void PinnedPipelines::refresh()
{
    m_stale = true;
    if (isVisible())
        start();
}

void PinnedPipelines::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        start();
}

void PinnedPipelines::start()
{
    m_stale = false;
    const std::vector<PinnedDesign> &pins = m_session->results()->pinned();
    if (pins.empty()) {
        m_job.cancel();
        clearRows();
        m_status->setText(tr("Pin designs to see their pipelines here, one above the other on "
                             "one time axis."));
        emit pipelinesReady();
        return;
    }
    m_status->setText(
        tr("Simulating the pipelines of %n pinned design(s)...", nullptr, int(pins.size())));
    m_job.run([pins, model = std::size_t(modelIndex())](const CancelToken &cancel) {
        Run run;
        for (const PinnedDesign &pin : pins) {
            if (cancel.isCancelled())
                return Run::error("cancelled");
            PinReplay out{pin.label, std::nullopt, {}};
            const std::vector<ModelOutcome> &models = pin.evaluation.models;
            if (model >= models.size() || models[model].stages.empty()) {
                const std::string &why = model < models.size() && !models[model].message.empty()
                                             ? models[model].message
                                             : pin.evaluation.message;
                out.message = model < models.size() ? QString::fromStdString(why)
                                                    : QObject::tr("it has no such model");
                run.pins.push_back(std::move(out));
                continue;
            }
            const Result<std::shared_ptr<const Evaluator>> evaluator =
                pin.project.evaluatorOrPrepare();
            Result<PlacementReplay> replay =
                evaluator.hasValue()
                    ? replayPlacement(**evaluator.value, pin.evaluation, model, cancel)
                    : Result<PlacementReplay>::error(evaluator.message);
            if (replay.hasValue())
                out.replay = std::move(*replay.value);
            else
                out.message = QString::fromStdString(replay.message);
            run.pins.push_back(std::move(out));
        }
        return run;
    });
}

void PinnedPipelines::clearRows()
{
    for (QLabel *caption : m_captions)
        delete caption;
    for (PipelinePlot *plot : m_plots)
        delete plot;
    m_captions.clear();
    m_plots.clear();
    m_replays.clear();
}

void PinnedPipelines::display(const Run &run)
{
    clearRows();
    if (!run.failure.empty()) {
        m_status->setText(QString::fromStdString(run.failure));
        emit pipelinesReady();
        return;
    }
    double longest = 0.0;
    for (const PinReplay &pin : run.pins)
        if (pin.replay)
            longest = std::max(longest, pin.replay->timeline.makespan);
    int shown = 0, last = -1; // the last pin with a pipeline carries the one legend
    for (int i = 0; i < int(run.pins.size()); ++i)
        if (run.pins[std::size_t(i)].replay)
            last = i;
    for (int i = 0; i < int(run.pins.size()); ++i) {
        const PinReplay &pin = run.pins[std::size_t(i)];
        auto *caption = new QLabel(this);
        caption->setWordWrap(true);
        caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *plot = new PipelinePlot(this);
        if (pin.replay) {
            caption->setText(pin.label + u": "_s + PipelineTab::summarize(*pin.replay));
            const int stages = int(pin.replay->placement.stages.size());
            plot->setTimeline(pin.replay->timeline, stages);
            if (i != last) { // out of the layout, so that its row goes too
                plot->plot()->legend->setVisible(false);
                plot->plot()->plotLayout()->take(plot->plot()->legend);
                plot->plot()->plotLayout()->simplify();
            }
            plot->setFixedHeight(plotHeight(stages, i == last));
            // One axis for all: the lengths compare at a glance.
            plot->plot()->xAxis->setRange(-0.01 * longest * kMilli, 1.01 * longest * kMilli);
            plot->plot()->replot();
            ++shown;
        } else {
            caption->setText(tr("%1: no pipeline (%2)").arg(pin.label, pin.message));
            plot->hide();
        }
        // Before the stretch that keeps the rows at the top.
        m_rows->insertWidget(m_rows->count() - 1, caption);
        m_rows->insertWidget(m_rows->count() - 1, plot);
        m_captions.push_back(caption);
        m_plots.push_back(plot);
        m_replays.push_back(pin.replay);
    }
    m_status->setText(tr("%1: %2 of %n pinned design(s) placed, on one time axis of %3 ms.",
                         nullptr, int(run.pins.size()))
                          .arg(m_model->currentText())
                          .arg(shown)
                          .arg(longest * kMilli, 0, 'f', 1));
    emit pipelinesReady();
}

} // namespace phaze
