#include "core/cost/vectorcoremodel.h"

#include <algorithm>
#include <cmath>

namespace phaze {

double vectorCycles(double elements, double cyclesPerElement, double lanes)
{
    if (elements <= 0 || lanes <= 0)
        return 0.0;
    // Whole lane-rows: a partly filled last row costs a full pass (so more lanes never hurt).
    return std::ceil(elements / lanes) * cyclesPerElement;
}

PartCost vectorCorePartCost(const PrimitiveOp &op, const AcceleratorConfig &config,
                            const TechnologyTable &tech)
{
    PartCost cost;
    const double elements = double(std::max<std::int64_t>(op.elements, 0));
    const double cpe = tech.vectorCyclesFor(op.kind, op.backward);
    const double lanes = double(std::max(1, config.vcWidth));
    const int cores = std::max(1, config.numVc);
    const double f = config.frequency;
    const double alone = vectorCycles(elements, cpe, lanes);
    double intra = alone;
    if (cores > 1 && elements > 0)
        intra = std::min(alone, vectorCycles(elements, cpe, lanes * cores) + tech.intraSyncCycles);
    cost.single.computeTime = alone / f;
    cost.intra.computeTime = intra / f;
    // Element-wise operators stream: every byte moves once, whatever the GLB size.
    cost.compulsoryBytes = double(op.inputBytes + op.weightBytes + op.outputBytes);
    cost.onChipEnergy =
        elements * cpe * tech.vcLaneOpEnergy + cost.compulsoryBytes * tech.scratchpadEnergyPerByte;
    cost.hbmByteEnergy = tech.hbmEnergyPerByte + tech.glbEnergyPerByte;
    cost.glbFeedBytes = cost.compulsoryBytes;
    return cost;
}

} // namespace phaze
