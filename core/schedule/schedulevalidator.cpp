#include "core/schedule/schedulevalidator.h"

#include <algorithm>
#include <cmath>

namespace phaze {
namespace {

std::string opText(const ScheduleProblem &problem, int i)
{
    const std::string &name = problem.ops[std::size_t(i)].name;
    return "operator " + std::to_string(i) + (name.empty() ? "" : " (" + name + ")");
}

} // namespace

std::vector<std::string> ScheduleValidator::check(const ScheduleProblem &problem,
                                                  const Schedule &schedule) const
{
    std::vector<std::string> errors;
    const int n = int(problem.ops.size());
    if (int(schedule.ops.size()) != n) {
        errors.push_back("the schedule has " + std::to_string(schedule.ops.size()) +
                         " operators, the problem " + std::to_string(n));
        return errors;
    }
    double latestEnd = 0.0;
    for (const ScheduledOp &s : schedule.ops)
        latestEnd = std::max(latestEnd, s.end);
    const double tol = m_relative * std::max(latestEnd, 1e-300);
    auto overlap = [&](const ScheduledOp &a, const ScheduledOp &b) {
        return std::min(a.end, b.end) - std::max(a.start, b.start) > tol;
    };

    for (int i = 0; i < n; ++i) {
        const ScheduledOp &s = schedule.ops[std::size_t(i)];
        const ScheduleOp &op = problem.ops[std::size_t(i)];
        if (s.op != i)
            errors.push_back("entry " + std::to_string(i) + " describes operator " +
                             std::to_string(s.op));
        if (!std::isfinite(s.start) || !std::isfinite(s.end) || s.start < -tol)
            errors.push_back(opText(problem, i) + " has a negative or non-finite time");
        if (s.mode == OpMode::Intra && !op.onCores())
            errors.push_back(opText(problem, i) + " runs intra-operator but uses no cores");
        const double expected = op.kind == ScheduleOpKind::None ? 0.0
                                : s.mode == OpMode::Intra       ? op.intraLatency
                                                                : op.latency;
        if (std::abs((s.end - s.start) - expected) > tol)
            errors.push_back(opText(problem, i) + " lasts " + std::to_string(s.end - s.start) +
                             " instead of " + std::to_string(expected));
    }
    if (std::abs(schedule.makespan - latestEnd) > tol)
        errors.push_back("the makespan " + std::to_string(schedule.makespan) +
                         " is not the latest end " + std::to_string(latestEnd));
    for (const auto &[a, b] : problem.edges)
        if (schedule.ops[std::size_t(b)].start < schedule.ops[std::size_t(a)].end - tol)
            errors.push_back(opText(problem, b) + " starts before its predecessor " +
                             opText(problem, a) + " ends");

    for (int i = 0; i < n; ++i) {
        const ScheduledOp &s = schedule.ops[std::size_t(i)];
        if (s.mode != OpMode::Intra)
            continue;
        for (int j = 0; j < n; ++j)
            if (j != i && problem.ops[std::size_t(j)].onCores() &&
                overlap(s, schedule.ops[std::size_t(j)]))
                errors.push_back(opText(problem, j) + " runs while intra-operator " +
                                 opText(problem, i) + " should have the chip alone");
    }

    // Capacity: the number of holders is largest just after some operator starts.
    for (int i = 0; i < n; ++i) {
        const ScheduledOp &probe = schedule.ops[std::size_t(i)];
        if (probe.end - probe.start <= tol)
            continue;
        const double at = probe.start + tol; // inside probe, past anything ending at its start
        int tc = 0, vc = 0, links = 0;
        for (int j = 0; j < n; ++j) {
            const ScheduledOp &s = schedule.ops[std::size_t(j)];
            const ScheduleOp &op = problem.ops[std::size_t(j)];
            if (!(s.start <= at + tol && at < s.end - tol) || s.mode == OpMode::Intra)
                continue;
            tc += op.usesTc() ? 1 : 0;
            vc += op.usesVc() ? 1 : 0;
            links += op.kind == ScheduleOpKind::Collective ? 1 : 0;
        }
        if (tc > problem.numTc || vc > problem.numVc || links > 1)
            errors.push_back("just after " + opText(problem, i) + " starts, " + std::to_string(tc) +
                             " TC, " + std::to_string(vc) + " VC and " + std::to_string(links) +
                             " link users run at once");
    }

    // Concrete cores.
    for (int i = 0; i < n; ++i) {
        const ScheduledOp &s = schedule.ops[std::size_t(i)];
        const ScheduleOp &op = problem.ops[std::size_t(i)];
        const bool busy = s.end - s.start > tol && s.mode == OpMode::Single;
        // An operator no longer than the tolerance occupies nothing: it may hold a core of its
        // kind or none (assignCores gives one to every single-mode operator of positive length,
        // however short next to the makespan).
        const bool tiny = s.end - s.start <= tol && s.mode == OpMode::Single;
        auto coreOk = [&](bool uses, int core, int count) {
            if (busy && uses)
                return core >= 0 && core < count;
            return core == -1 || (tiny && uses && core >= 0 && core < count);
        };
        const bool tcOk = coreOk(op.usesTc(), s.tcCore, problem.numTc);
        const bool vcOk = coreOk(op.usesVc(), s.vcCore, problem.numVc);
        if (!tcOk || !vcOk)
            errors.push_back(opText(problem, i) + " has a core assignment that does not match "
                                                  "its kind and mode");
        for (int j = i + 1; j < n; ++j) {
            const ScheduledOp &t = schedule.ops[std::size_t(j)];
            if (!overlap(s, t))
                continue;
            if ((s.tcCore >= 0 && s.tcCore == t.tcCore) || (s.vcCore >= 0 && s.vcCore == t.vcCore))
                errors.push_back(opText(problem, i) + " and " + opText(problem, j) +
                                 " share a core at the same time");
        }
    }
    return errors;
}

} // namespace phaze
