#pragma once

// The input of the per-layer scheduler (algorithms.md §3), independent of where it came from (a
// layer of a model graph costed on one configuration, or an instance file): operators with a
// kind, a single-core latency and an intra-operator latency, and precedence edges.
//
// Collectives are operators that run on the chip-to-chip links, not on cores: they need no TC or
// VC, they may overlap anything that runs on cores (intra-operator operators included), and the
// links carry one collective at a time. Zero-cost operators (kind None, or a zero duration in
// the mode they would use) are dropped before scheduling, keeping precedence transitively.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace phaze {

enum class ScheduleOpKind { TC, VC, TCVC, Collective, None };

std::string_view
scheduleOpKindName(ScheduleOpKind kind); // "TC", "VC", "TCVC", "collective", "none"
std::optional<ScheduleOpKind> scheduleOpKindFromName(std::string_view name);

struct ScheduleOp {
    std::string name;
    ScheduleOpKind kind = ScheduleOpKind::VC;
    double latency = 0.0;      // on one core of its kind (a TC and a VC for TCVC)
    double intraLatency = 0.0; // spread over the whole chip, running alone
    double energy = 0.0;       // J in single mode (reported, not optimised)
    double intraEnergy = 0.0;

    bool usesTc() const { return kind == ScheduleOpKind::TC || kind == ScheduleOpKind::TCVC; }
    bool usesVc() const { return kind == ScheduleOpKind::VC || kind == ScheduleOpKind::TCVC; }
    bool onCores() const { return usesTc() || usesVc(); }
    // Intra-operator mode is worth considering only when it is faster: running single-core for
    // l <= m instead frees cores for the same interval and finishes earlier, so it never hurts.
    bool intraUseful() const { return onCores() && intraLatency < latency; }
    double minLatency() const { return intraUseful() ? intraLatency : latency; }
};

// A non-zero latency must lie in this range. The scheduler adds latencies up (a serial
// schedule) and scales them to a makespan of 1000 for GLPK: beyond these bounds a sum
// overflows to infinity or the scale factor does, and the schedule comes out non-finite.
inline constexpr double kMinScheduleLatency = 1e-30;
inline constexpr double kMaxScheduleLatency = 1e30;

struct ScheduleProblem {
    int numTc = 1;
    int numVc = 1;
    std::vector<ScheduleOp> ops;
    std::vector<std::pair<int, int>> edges; // (from, to): from finishes before to starts

    // "" when the problem can be scheduled, otherwise what is wrong with it (core counts below
    // one, a latency that is negative, NaN, infinite or outside the range above, an edge out of
    // range, a cycle).
    std::string validate() const;
};

// A problem without zero-cost operators: ops[k] is the original operator original[k], and an
// edge joins two kept operators whenever a path joined them through dropped ones.
struct ReducedProblem {
    ScheduleProblem problem;
    std::vector<int> original;
};

// The problem must be valid.
ReducedProblem reduceProblem(const ScheduleProblem &problem);

} // namespace phaze
