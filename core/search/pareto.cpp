#include "core/search/pareto.h"

#include <algorithm>

namespace phaze {

double paretoValue(const Evaluation &e, ParetoAxis axis)
{
    switch (axis) {
    case ParetoAxis::Area:
        return e.areaMm2;
    case ParetoAxis::HbmSize:
        return e.config.hbmBytes;
    case ParetoAxis::EnergyPerSample:
        return e.energyPerSample;
    case ParetoAxis::PeakPower:
        return e.peakPowerW;
    }
    return e.areaMm2;
}

std::vector<std::size_t> paretoFront(const std::vector<Evaluation> &evaluations, ParetoAxis axis)
{
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < evaluations.size(); ++i)
        if (evaluations[i].feasible())
            order.push_back(i);
    // Sweep by increasing cost (ties: higher throughput first); a point is on the front when it
    // beats every cheaper point's throughput.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double va = paretoValue(evaluations[a], axis), vb = paretoValue(evaluations[b], axis);
        if (va != vb)
            return va < vb;
        if (evaluations[a].throughput != evaluations[b].throughput)
            return evaluations[a].throughput > evaluations[b].throughput;
        return evaluations[a].candidate < evaluations[b].candidate;
    });
    std::vector<std::size_t> front;
    double bestThroughput = -1.0;
    for (std::size_t i : order) {
        if (evaluations[i].throughput > bestThroughput) {
            front.push_back(i);
            bestThroughput = evaluations[i].throughput;
        }
    }
    return front;
}

bool frontIsExact(const SearchResult &result, ParetoAxis axis)
{
    const SearchCounts &c = result.counts;
    // Cancelled or failed: candidates were neither evaluated nor proven dominated. PHAZE's
    // skipped candidates were never looked at.
    if (result.status == Status::Cancelled || result.status == Status::Error || c.skipped > 0 ||
        c.evaluated + c.pruned < c.total)
        return false;
    // Pruning proves dominance in throughput, area and HBM only: energy and power fronts are
    // exact when nothing was pruned.
    return c.pruned == 0 || (result.exactFronts && (axis == ParetoAxis::Area ||
                                                    axis == ParetoAxis::HbmSize));
}

} // namespace phaze
