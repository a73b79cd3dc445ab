#pragma once

// The on-chip network of the system profile (docs/cost-model.md, "Per-core costs"): every tensor
// and vector core sits on a router of a square 2D mesh, whose links are as wide as a core's port
// (a systolic array takes width + depth operands a cycle, a vector core reads and writes its
// lanes), so that one core alone is never starved by its own router. What grows with the core
// count is what crosses the whole chip: the bisection, the diameter and the routers' area.

#include "core/arch/technology.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

struct OnChipNetwork {
    int cores = 0;             // routers: tensor cores + vector cores
    int side = 0;              // ceil(sqrt(cores)): the mesh is side x side
    double linkBytes = 0.0;    // bytes per cycle per link and direction
    double bisectionBandwidth = 0.0; // B/s across the middle cut, both directions
    int diameterHops = 0;      // 2 (side - 1): corner to corner

    // Seconds to scatter and gather `bytes` between the GLB banks (spread over the mesh) and the
    // cores of an operator spread over the whole chip: with uniform traffic half of the bytes
    // cross the bisection.
    double transferTime(double bytes) const
    {
        return bisectionBandwidth > 0.0 ? 0.5 * bytes / bisectionBandwidth : 0.0;
    }
    // Cycles of a barrier over every core: a gather to one corner and the release back, one
    // router hop at a time, on top of the technology's fixed intra-operator sync.
    double barrierCycles(const TechnologyTable &tech) const
    {
        return 2.0 * double(diameterHops) * tech.nocHopCycles;
    }
};

OnChipNetwork onChipNetworkOf(const AcceleratorConfig &config);

} // namespace phaze
