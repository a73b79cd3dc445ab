#pragma once

// A schedule of one layer pass: for every operator its mode, start, end and core(s).

#include <string_view>
#include <vector>

namespace phaze {

enum class OpMode { Single, Intra };

inline std::string_view opModeName(OpMode mode)
{
    return mode == OpMode::Intra ? "intra" : "single";
}

struct ScheduledOp {
    int op = 0; // index into the problem's operators
    OpMode mode = OpMode::Single;
    double start = 0.0;
    double end = 0.0;
    int tcCore = -1; // single mode: the TC it holds, or -1; intra mode: -1 (it holds every core)
    int vcCore = -1; // likewise for the VC
};

struct Schedule {
    std::vector<ScheduledOp> ops; // ops[i].op == i
    double makespan = 0.0;
};

// What the exact scheduler returns with Result<>: the schedule, a proven lower bound on the
// optimal makespan and how it was obtained.
struct ScheduleSolution {
    Schedule schedule;
    double lowerBound = 0.0;
    double solveSeconds = 0.0;
    int ilpSolves = 0;      // MIPs solved (0 when the heuristic met the lower bound)
    int capacityRows = 0;   // capacity rows added lazily
    int orderVariables = 0; // ordering binaries in the last model
};

} // namespace phaze
