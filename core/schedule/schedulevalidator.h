#pragma once

// An independent check of a schedule against algorithms.md §3, written without reference to the
// ILP: every operator once, durations matching the modes, precedence, intra-operator operators
// alone on the chip, at most num_tc / num_vc operators holding a core of each kind at any
// moment, at most one collective on the links, and concrete core assignments that never put two
// operators on one core at once. Every schedule the scheduler returns passes through it.

#include <string>
#include <vector>

#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

namespace phaze {

class ScheduleValidator
{
public:
    // Times may differ by relativeTolerance x makespan.
    explicit ScheduleValidator(double relativeTolerance = 1e-9) : m_relative(relativeTolerance) {}

    // Every violation found (empty: valid). The problem must be valid.
    std::vector<std::string> check(const ScheduleProblem &problem, const Schedule &schedule) const;
    bool valid(const ScheduleProblem &problem, const Schedule &schedule) const
    {
        return check(problem, schedule).empty();
    }

private:
    double m_relative;
};

} // namespace phaze
