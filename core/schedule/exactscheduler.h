#pragma once

// The exact per-layer scheduler (algorithms.md §3): drops zero-cost operators, computes a lower
// bound and a list-scheduling incumbent, and when they differ solves the ScheduleIlp with GLPK,
// adding capacity rows while a solution over-subscribes cores. The result is Optimal (proven),
// Feasible with its gap (time limit or gap tolerance), Cancelled with the best schedule so far,
// or Error; every returned schedule has passed the ScheduleValidator.

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

namespace phaze {

struct SchedulerOptions {
    double timeLimitSeconds = 60.0; // for the whole call; 0: none
    double mipGap = 0.0;            // relative; 0 proves optimality
    bool operator==(const SchedulerOptions &) const = default;
};

class ExactScheduler
{
public:
    explicit ExactScheduler(SchedulerOptions options = {}) : m_options(options) {}

    // The schedule covers every operator of `problem`, zero-cost ones included (they take no
    // time and sit where their predecessors end).
    Result<ScheduleSolution> solve(const ScheduleProblem &problem, const CancelToken &cancel = {},
                                   const ProgressSink &progress = {}) const;

    const SchedulerOptions &options() const { return m_options; }

private:
    SchedulerOptions m_options;
};

} // namespace phaze
