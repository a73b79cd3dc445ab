#pragma once

// Vector-core model: cycles per element per operation kind (technology table) over the lanes
// of one VC (single) or of every VC (intra-operator), bounded below by HBM traffic.

#include "core/arch/technology.h"
#include "core/cost/costtypes.h"
#include "core/model/operator.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

// Cycles to process `elements` at `cyclesPerElement` on `lanes` lanes.
double vectorCycles(double elements, double cyclesPerElement, double lanes);

PartCost vectorCorePartCost(const PrimitiveOp &op, const AcceleratorConfig &config,
                            const TechnologyTable &tech);

} // namespace phaze
