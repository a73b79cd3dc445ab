#include "widgets/replaytab.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

#include "widgets/modelcombo.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

ReplayTab::ReplayTab(Session *session, const QString &name, const QString &title, QWidget *parent)
    : QWidget(parent), m_session(session), m_title(title), m_modelCombo(new QComboBox(this)),
      m_exportButton(new QPushButton(tr("Export..."), this)), m_summary(new QLabel(this)),
      m_job(this, [this](Result<PlacementReplay> result) {
          if (!result.hasValue()) {
              m_summary->setText(
                  tr("No placement: %1").arg(QString::fromStdString(result.message)));
              emit replayReady(result.status, m_summary->text());
              return;
          }
          m_session->results()->cacheReplay(m_model, *result.value);
          display(*result.value);
      })
{
    setObjectName(name + u"Tab"_s);
    m_modelCombo->setObjectName(name + u"Model"_s);
    m_summary->setObjectName(name + u"Summary"_s);
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

    connect(m_modelCombo, &QComboBox::activated, this, &ReplayTab::refresh);
    connect(m_exportButton, &QPushButton::clicked, this, [this, name] {
        exportCustomPlotInteractively(this, m_plot, name + u".pdf"_s, m_title);
    });
    // The models listed are those of the project the focused configuration was evaluated for.
    connect(session, &Session::projectChanged, this,
            [this] { fillModelCombo(m_modelCombo, m_session->focusedProject().project); });
    connect(session->results(), &ResultStore::focusChanged, this, [this] {
        fillModelCombo(m_modelCombo, m_session->focusedProject().project);
        refresh();
    });
    fillModelCombo(m_modelCombo, session->project());
}

ReplayTab::~ReplayTab() = default;

void ReplayTab::setChart(QWidget *chart, QCustomPlot *plot)
{
    static_cast<QVBoxLayout *>(layout())->addWidget(chart, 1);
    m_plot = plot;
}

int ReplayTab::modelIndex() const
{
    return m_modelCombo->currentIndex();
}

void ReplayTab::setModelIndex(int index)
{
    m_modelCombo->setCurrentIndex(index);
    refresh();
}

QString ReplayTab::summaryText() const
{
    return m_summary->text();
}

QString ReplayTab::exportPlot(const QString &path, int widthPx, int heightPx, double scale)
{
    return exportCustomPlot(m_plot, path, widthPx, heightPx, scale, m_title);
}

void ReplayTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

void ReplayTab::refresh()
{
    // Replaying solves the layer schedules again: only for a tab the user can see. A replay of
    // a focus that has gone is of no use to anybody.
    if (!isVisible()) {
        m_dirty = true;
        m_job.cancel();
        return;
    }
    m_dirty = false;
    start();
}

void ReplayTab::finishWithout(const QString &why)
{
    m_job.cancel();
    m_summary->setText(why);
    emit replayReady(Status::Error, why);
}

void ReplayTab::display(const PlacementReplay &replay)
{
    m_replay = replay;
    m_summary->setText(showReplay(*m_replay));
    emit replayReady(Status::Optimal, m_summary->text());
}

void ReplayTab::start()
{
    ResultStore *store = m_session->results();
    const Evaluation *focused = store->focused();
    m_replay.reset();
    clearChart();
    if (!focused) {
        finishWithout(tr("Select a search result (or set the project's architecture) to see "
                         "its %1.")
                          .arg(m_title.toLower()));
        return;
    }
    m_model = std::size_t(std::max(0, m_modelCombo->currentIndex()));
    const ModelOutcome *outcome =
        m_model < focused->models.size() ? &focused->models[m_model] : nullptr;
    if (!outcome || outcome->stages.empty()) {
        const std::string &why =
            outcome && !outcome->message.empty() ? outcome->message : focused->message;
        finishWithout(tr("The %1 has no placement for %2: %3")
                          .arg(store->focusLabel(), m_modelCombo->currentText(),
                               QString::fromStdString(why)));
        return;
    }
    m_config = focused->config;
    if (const PlacementReplay *cached = store->cachedReplay(m_model)) {
        m_job.cancel();
        display(*cached);
        return;
    }
    m_summary->setText(workingText(store->focusLabel()));
    // With the project the evaluation came from: the current one may have been edited since.
    m_job.run([snapshot = m_session->focusedProject(), evaluation = *focused,
               model = m_model](const CancelToken &cancel) {
        const Result<std::shared_ptr<const Evaluator>> evaluator = snapshot.evaluatorOrPrepare();
        if (!evaluator.hasValue())
            return Result<PlacementReplay>::error(evaluator.message);
        return replayPlacement(**evaluator.value, evaluation, model, cancel);
    });
}

} // namespace phaze
