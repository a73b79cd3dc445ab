#include "widgets/timetab.h"

#include "widgets/timebreakdownplot.h"

namespace phaze {

using namespace Qt::StringLiterals;

TimeTab::TimeTab(Session *session, QWidget *parent)
    : ReplayTab(session, u"time"_s, tr("Time breakdown"), parent),
      m_plot(new TimeBreakdownPlot(this))
{
    setChart(m_plot, m_plot->plot());
    connect(this, &ReplayTab::replayReady, this, &TimeTab::breakdownReady);
}

QString TimeTab::showReplay(const PlacementReplay &replay)
{
    if (!replay.system) {
        m_plot->clear();
        return summarize(replay);
    }
    const TrainingEstimate &e = replay.system->estimate;
    m_plot->setBreakdown(e.time, e.criticalStage + 1);
    return summarize(replay);
}

void TimeTab::clearChart()
{
    m_plot->clear();
}

QString TimeTab::workingText(const QString &focusLabel) const
{
    return tr("Simulating the schedule of the %1...").arg(focusLabel);
}

QString TimeTab::summarize(const PlacementReplay &replay)
{
    if (!replay.system)
        return tr("The time breakdown is the system profile's simulated schedule; this project "
                  "uses PHAZE's profile (training.profile: phaze), whose time per batch is a "
                  "closed form: the Pipeline tab draws its stages.");
    const TrainingEstimate &e = replay.system->estimate;
    const TimeBreakdown &t = e.time;
    const double total = t.total();
    const auto share = [total](double part) {
        return total > 0.0 ? 100.0 * part / total : 0.0;
    };
    const double compute = t.forward + t.backward + t.recomputation;
    const double communication = t.tensorParallel + t.expertParallel + t.contextParallel +
                                 t.pipelineTransfers + t.dataParallel;
    const bool ms = e.iterationTime < 1.0;
    return tr("Iteration %1 %2 on stage %3 (its optimizer step ends last): compute %4%, "
              "communication %5%, bubble %6%, optimizer step %7%; model FLOPs utilisation %8%")
        .arg(ms ? e.iterationTime * 1e3 : e.iterationTime, 0, 'f', 3)
        .arg(ms ? u"ms"_s : u"s"_s)
        .arg(e.criticalStage + 1)
        .arg(share(compute), 0, 'f', 1)
        .arg(share(communication), 0, 'f', 1)
        .arg(share(t.bubble), 0, 'f', 1)
        .arg(share(t.optimizerStep), 0, 'f', 1)
        .arg(100.0 * e.modelFlopsUtilisation, 0, 'f', 1);
}

} // namespace phaze
