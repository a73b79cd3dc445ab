#pragma once

// Solves an IlpModel with GLPK: the only place that includes glpk.h. Each call builds, solves
// and frees its own problem on the calling thread (GLPK keeps per-thread state), with terminal
// output off, GLPK's error hook catching what validation missed, a time limit, a relative MIP
// gap, cancellation polled from the branch-and-bound callback and an optional incumbent that
// is checked against the model before GLPK sees it.

#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/schedule/ilpmodel.h"

namespace phaze {

enum class IlpStatus {
    Optimal,    // proven optimal (within mipGap, 0 by default)
    Feasible,   // stopped by the time limit or the gap with a solution
    NoSolution, // stopped by the time limit before any solution
    Infeasible,
    Cancelled, // values hold the best solution, if any
    Error,
};

struct IlpSolveOptions {
    double timeLimitSeconds = 0.0; // 0: none
    double mipGap = 0.0;
    std::vector<double> incumbent; // a feasible point, or empty
    CancelToken cancel;
};

struct IlpSolution {
    IlpStatus status = IlpStatus::Error;
    std::vector<double> values; // one per column, when a solution exists
    double objective = 0.0;
    double bound = -kIlpInfinity; // proven lower bound (minimisation)
    bool incumbentUsed = false;
    bool timeLimitReached = false; // Feasible or NoSolution because of the time limit
    std::string message;
    bool hasValues() const { return !values.empty(); }
};

class GlpkBackend
{
public:
    static IlpSolution solve(const IlpModel &model, const IlpSolveOptions &options = {});
};

} // namespace phaze
