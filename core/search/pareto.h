#pragma once

// Pareto fronts of evaluated configurations: maximal throughput against minimal area, HBM size
// or energy per sample.

#include <cstddef>
#include <vector>

#include "core/search/searchtypes.h"

namespace phaze {

double paretoValue(const Evaluation &evaluation, ParetoAxis axis);

// Indices of the non-dominated feasible evaluations, sorted by the axis value (then by
// candidate index, so that the front is deterministic). A point is dominated when another has
// at least its throughput at no more of the axis quantity and is better in one of them.
std::vector<std::size_t> paretoFront(const std::vector<Evaluation> &evaluations, ParetoAxis axis);

// Whether result's front on axis is the front of all its candidates, not only of the evaluated
// ones: the search finished and left nothing out, or it ran with exact fronts, whose pruned
// candidates are dominated in throughput, area and HBM (not in energy per sample).
bool frontIsExact(const SearchResult &result, ParetoAxis axis);

} // namespace phaze
