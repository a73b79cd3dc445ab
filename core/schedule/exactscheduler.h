#pragma once

// The exact per-layer scheduler (algorithms.md §3): drops zero-cost operators, computes a lower
// bound and a list-scheduling incumbent, and when they differ solves the ScheduleIlp with GLPK,
// adding capacity rows while a solution over-subscribes cores. The result is Optimal (proven),
// Feasible with its gap (the gap tolerance), TimeLimit with the best schedule and its gap,
// Cancelled with the best schedule so far, or Error; every returned schedule has passed the
// ScheduleValidator.

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"
#include "core/spec/searchdefaults.h"

namespace phaze {

// The defaults are the project's (search.ilp_time_limit, search.mip_gap).
struct SchedulerOptions {
    double timeLimitSeconds = kDefaultIlpTimeLimit; // for the whole call; 0: none
    double mipGap = kDefaultMipGap;                 // relative; 0 proves optimality
    bool operator==(const SchedulerOptions &) const = default;
};

class ExactScheduler
{
public:
    explicit ExactScheduler(SchedulerOptions options = {}) : m_options(options) {}

    // The schedule covers every operator of `problem`, zero-cost ones included (they take no
    // time and sit where their predecessors end).
    Result<ScheduleSolution> solve(const ScheduleProblem &problem,
                                   const ProgressSink &progress = {},
                                   const CancelToken &cancel = {}) const;

    const SchedulerOptions &options() const { return m_options; }

private:
    SchedulerOptions m_options;
};

} // namespace phaze
