#include "widgets/pipelinetab.h"

#include "widgets/pipelineplot.h"

namespace phaze {

using namespace Qt::StringLiterals;

PipelineTab::PipelineTab(Session *session, QWidget *parent)
    : ReplayTab(session, u"pipeline"_s, tr("Pipeline"), parent), m_plot(new PipelinePlot(this))
{
    setChart(m_plot, m_plot->plot());
    connect(this, &ReplayTab::replayReady, this, &PipelineTab::timelineReady);
}

QString PipelineTab::showReplay(const PlacementReplay &replay)
{
    m_plot->setTimeline(replay.timeline, int(replay.placement.stages.size()));
    return summarize(replay);
}

void PipelineTab::clearChart()
{
    m_plot->clear();
}

QString PipelineTab::workingText(const QString &focusLabel) const
{
    return tr("Simulating the pipeline of the %1...").arg(focusLabel);
}

QString PipelineTab::summarize(const PlacementReplay &replay)
{
    const Placement &p = replay.placement;
    const PipelineTimeline &t = replay.timeline;
    if (replay.system) {
        // The system profile: the schedule is the estimate, so there is one number.
        const LayoutChoice &c = *replay.system;
        const QString dp = c.layout.expert > 1
                               ? tr("%1 (ep %2)").arg(c.layout.data).arg(c.layout.expert)
                               : QString::number(c.layout.data);
        return tr("tp %1 pp %2 dp %3, microbatch %4, %5 chunk(s), %6 microbatches: iteration "
                  "%7 ms (ranked); stage %8 waits %9%")
            .arg(c.layout.tensor)
            .arg(c.layout.pipeline)
            .arg(dp)
            .arg(c.layout.microbatch)
            .arg(c.recipe.interleave)
            .arg(p.microbatchesPerPipeline)
            .arg(t.makespan * 1e3, 0, 'f', 3)
            .arg(c.estimate.criticalStage + 1)
            .arg(100.0 * t.bubbleFraction, 0, 'f', 1);
    }
    return tr("%1 stages x %2 data-parallel replicas, %3 microbatches per pipeline: makespan "
              "%4 ms simulated vs %5 ms closed form per batch, bubble %6%")
        .arg(p.stages.size())
        .arg(p.dataParallel)
        .arg(p.microbatchesPerPipeline)
        .arg(t.makespan * 1e3, 0, 'f', 3)
        .arg(t.closedForm * 1e3, 0, 'f', 3)
        .arg(100.0 * t.bubbleFraction, 0, 'f', 1);
}

} // namespace phaze
