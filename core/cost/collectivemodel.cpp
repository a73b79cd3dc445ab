#include "core/cost/collectivemodel.h"

#include <algorithm>

namespace phaze {

double ringAllReduceLinkBytes(double bytes, int group)
{
    if (group <= 1 || bytes <= 0)
        return 0.0;
    return 2.0 * double(group - 1) / double(group) * bytes;
}

PartCost collectivePartCost(const PrimitiveOp &op, const AcceleratorConfig &config,
                            const TechnologyTable &tech)
{
    PartCost cost;
    const double bytes =
        op.inputBytes > 0 ? double(op.inputBytes) : double(op.elements) * config.bytesPerElement;
    // An all-to-all sends (n - 1) / n of the buffer once; an all-reduce twice (ring).
    const double linkBytes =
        op.kind == OpKind::AllToAll
            ? (op.group > 1 ? double(op.group - 1) / double(op.group) * bytes : 0.0)
            : ringAllReduceLinkBytes(bytes, op.group);
    cost.linkTime = config.linkBandwidth > 0 ? linkBytes / config.linkBandwidth : 0.0;
    // The (t - 1) / t element additions of the reduce-scatter run on the vector cores hidden
    // under the link transfer (links are orders of magnitude slower than the lanes).
    cost.compulsoryBytes = op.group > 1 ? double(op.inputBytes + op.outputBytes) : 0.0;
    cost.onChipEnergy = linkBytes * tech.linkEnergyPerByte;
    cost.hbmByteEnergy = tech.hbmEnergyPerByte + tech.glbEnergyPerByte;
    return cost;
}

} // namespace phaze
