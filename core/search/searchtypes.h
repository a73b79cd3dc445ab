#pragma once

// Plain data of the co-design search (algorithms.md §5): Pareto axes, counts and the search
// result, over the evaluations of core/evaluation/evaluationtypes.h. Shared by the driver, the
// journal and the views.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/evaluation/evaluationtypes.h"

namespace phaze {

enum class ParetoAxis { Area, HbmSize, EnergyPerSample, PeakPower };

struct SearchCounts {
    std::size_t total = 0; // candidates in this search (this shard)
    std::size_t evaluated = 0;
    std::size_t pruned = 0;     // proven unable to beat an evaluated candidate
    std::size_t infeasible = 0; // evaluated, nothing fits
    std::size_t resumed = 0;    // taken from the journal instead of evaluated
    std::size_t skipped = 0;    // PHAZE strategy: not visited after its stop rule fired
};

// The result of a search, kept in every case (a cancelled, failed or infeasible search still
// shows what it evaluated), which is why it is not the value of a Result<T>: a Result holds no
// value on Error. It carries a Result's fields in their meaning instead (docs/architecture.md,
// "Engine calls"): status is the search's (Optimal when a best was found, Infeasible, Cancelled,
// Error when recording an evaluation failed), message says why, and diagnostics hold the
// located errors behind an Error (the journal file).
struct SearchResult {
    Status status = Status::Error;
    std::string message;
    Diagnostics diagnostics;
    std::vector<Evaluation> evaluations; // sorted by candidate index
    std::optional<std::size_t> best;     // index into evaluations
    SearchCounts counts;
    // Indices into evaluations, sorted by the axis value.
    std::vector<std::size_t> frontArea;
    std::vector<std::size_t> frontHbm;
    std::vector<std::size_t> frontEnergy;
    std::vector<std::size_t> frontPower; // throughput against power at peak
    double elapsedSeconds = 0.0;
    // Run with SearchOptions::exactFronts: what it pruned is dominated in throughput, area and
    // HBM, so those fronts are exact (frontIsExact in core/search/pareto.h tells per axis).
    bool exactFronts = false;
};

} // namespace phaze
