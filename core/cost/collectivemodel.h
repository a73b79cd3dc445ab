#pragma once

// Collectives on the chip-to-chip links: a ring all-reduce over t devices sends and receives
// 2 (t - 1) / t of the buffer on each device's link (algorithms.md §2). Cores do not matter;
// the buffer is read from and written back to HBM.

#include "core/arch/technology.h"
#include "core/cost/costtypes.h"
#include "core/model/operator.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

// Bytes each device puts on its link for a ring all-reduce of `bytes` over `group` devices.
double ringAllReduceLinkBytes(double bytes, int group);

PartCost collectivePartCost(const PrimitiveOp &op, const AcceleratorConfig &config,
                            const TechnologyTable &tech);

} // namespace phaze
