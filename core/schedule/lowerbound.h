#pragma once

// Lower bounds on the optimal makespan of a schedule problem, cheap enough to compute for every
// layer: the critical path with every operator in its faster mode, and per resource the work it
// must carry divided by its capacity (an operator on a resource of k cores costs min(l, k m)
// core-time there: one core for l, or all k for m), and the links' serial collective time.

#include "core/schedule/scheduleproblem.h"

namespace phaze {

struct LowerBound {
    double criticalPath = 0.0;
    double tcWork = 0.0;   // TC core-time / num_tc
    double vcWork = 0.0;   // VC core-time / num_vc
    double linkWork = 0.0; // sum of collective latencies
    double value = 0.0;    // the largest of the above

    // The problem must be valid.
    static LowerBound of(const ScheduleProblem &problem);
};

} // namespace phaze
