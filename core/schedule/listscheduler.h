#pragma once

// Greedy list scheduling: the fallback schedule and the incumbent handed to the ILP. run() is
// the serial schedule-generation scheme: operators are taken in list order and each starts at
// the earliest moment its predecessors have finished and the operators already placed leave it
// the cores it needs (one core of its kind, both kinds for TCVC, the whole chip in intra mode,
// the links for a collective). heuristic() tries several mode choices and priority rules and
// then improves the best by flipping one operator's mode at a time.

#include <vector>

#include "core/base/progress.h"
#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

namespace phaze {

class ListScheduler
{
public:
    // The problem must be valid; it is referenced, not copied.
    explicit ListScheduler(const ScheduleProblem &problem);

    // `list` must be a topological order of all operators. Cores are assigned as well.
    Schedule run(const std::vector<OpMode> &modes, const std::vector<int> &list) const;
    // A topological order that prefers operators with the longest remaining path.
    std::vector<int> priorityList(const std::vector<OpMode> &modes) const;
    Schedule heuristic(const CancelToken &cancel = {}) const;

private:
    double duration(int op, OpMode mode) const;

    const ScheduleProblem &m_problem;
    std::vector<std::vector<int>> m_pred;
    std::vector<std::vector<int>> m_succ;
    std::vector<int> m_topological;
};

// Gives every single-mode operator a concrete TC and/or VC: operators sorted by start take the
// lowest-numbered free core, which never needs more cores than are ever busy at once (interval
// graphs are perfect), so a schedule within capacity always gets an assignment.
void assignCores(const ScheduleProblem &problem, Schedule &schedule);

} // namespace phaze
