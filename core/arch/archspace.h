#pragma once

// The architecture space (algorithms.md §2): the cross product of the listed core counts,
// array shapes, vector widths and GLB sizes, filtered by the area window. The default is the
// PHAZE space: powers of two, TCs and VCs 1..4096, width and depth 2..256, VC width tied to the
// TC width, GLB 2..128 MiB, candidates between 30% and 100% of the area of the tpuv4 preset
// (candidates with exactly one TC or one VC have no lower bound). The lower bound applies to the
// area the space varies (cores and GLB), above the fixed uncore: the uncore alone is 40% of the
// default budget and would otherwise make the bound meaningless.

#include <cstddef>
#include <vector>

#include "core/arch/technology.h"
#include "core/base/status.h"
#include "core/spec/acceleratorconfig.h"
#include "core/spec/projectspec.h"

namespace phaze {

// The most combinations (before the area window) enumerated: each is kept in memory, and the
// default PHAZE space has 75,712.
constexpr std::size_t kMaxArchSpacePoints = 10'000'000;

struct ArchSpace {
    // Deterministic order: num_tc, tc_width, tc_depth, num_vc, vc_width, glb_size (outer to
    // inner), each ascending.
    std::vector<AcceleratorConfig> candidates;
    std::vector<double> areas;    // mm2, one per candidate
    double budget = 0.0;          // mm2
    double fixedArea = 0.0;       // mm2 every candidate pays (uncore)
    double areaLowerBound = 0.0;  // fixed + area_min_fraction x (budget - fixed)
    double areaMin = 0.0;         // smallest candidate area (0 when empty)
    double areaMax = 0.0;         // largest candidate area
    std::size_t crossProduct = 0; // combinations before the area window
    double powerBudget = 0.0;     // W at peak (powermodel.h); 0: none
    std::size_t overPowerBudget = 0; // in the area window but above the power budget

    std::size_t count() const { return candidates.size(); }
};

// The area budget of a space: the named preset's area, or the explicit budget. Error when the
// preset is unknown or the budget is not positive.
Result<double> areaBudget(const ArchSpaceSpec &spec, const TechnologyTable &tech);

// Whether an area lies in the window (inclusive, with a relative tolerance of 1e-12 so that the
// budget preset itself is always kept): area <= budget and, unless the candidate has exactly one
// TC or one VC, area - fixed >= minFraction x (budget - fixed).
bool inAreaWindow(const AcceleratorConfig &config, double area, double budget, double minFraction,
                  double fixedArea);

// Enumerates the space; with a power budget, candidates whose power at peak exceeds it are left
// out as the area window leaves out those above the area budget. Parameters not in the spec (HBM size and bandwidth, clock, link
// bandwidth, bytes per element) are copied from `base`.
Result<ArchSpace> enumerateArchSpace(const ArchSpaceSpec &spec, const AcceleratorConfig &base,
                                     const TechnologyTable &tech);

} // namespace phaze
