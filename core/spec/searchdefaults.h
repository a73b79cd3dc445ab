#pragma once

// The defaults of the search settings that engine option structs share with SearchSpec: the
// project's search settings (SearchSpec, and through its binding the parameter registry, so what
// `phaze params`, the docs page and the editor show), SchedulerOptions and PlacementOptions all
// start from these constants, so each knob has one default wherever it is set up.

namespace phaze {

// search.ilp_time_limit, SchedulerOptions::timeLimitSeconds: seconds per layer-schedule solve.
inline constexpr double kDefaultIlpTimeLimit = 10.0;
// search.mip_gap, SchedulerOptions::mipGap: 0 proves optimality.
inline constexpr double kDefaultMipGap = 0.0;
// search.max_downsets, PlacementOptions::maxDownsets: the largest downset lattice (per
// tensor-parallel width) the placement DP builds; larger layer graphs are refused with the count.
inline constexpr long long kDefaultMaxDownsets = 10'000'000;

} // namespace phaze
