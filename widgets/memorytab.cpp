#include "widgets/memorytab.h"

#include "widgets/memoryplot.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

} // namespace

MemoryTab::MemoryTab(Session *session, QWidget *parent)
    : ReplayTab(session, u"memory"_s, tr("Memory per stage"), parent), m_plot(new MemoryPlot(this))
{
    setChart(m_plot, m_plot->plot());
    connect(this, &ReplayTab::replayReady, this, &MemoryTab::memoryReady);
}

QString MemoryTab::showReplay(const PlacementReplay &replay)
{
    m_plot->setStages(replay.placement.stages, capacityBytes());
    return summarize(replay.placement, capacityBytes());
}

void MemoryTab::clearChart()
{
    m_plot->clear();
}

QString MemoryTab::workingText(const QString &focusLabel) const
{
    return tr("Placing the %1...").arg(focusLabel);
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

} // namespace phaze
