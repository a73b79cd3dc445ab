#include "core/schedule/scheduleproblem.h"

#include <cmath>
#include <sstream>

#include "core/schedule/precedence.h"

namespace phaze {

std::string_view scheduleOpKindName(ScheduleOpKind kind)
{
    switch (kind) {
    case ScheduleOpKind::TC:
        return "TC";
    case ScheduleOpKind::VC:
        return "VC";
    case ScheduleOpKind::TCVC:
        return "TCVC";
    case ScheduleOpKind::Collective:
        return "collective";
    case ScheduleOpKind::None:
        return "none";
    }
    return "none";
}

std::optional<ScheduleOpKind> scheduleOpKindFromName(std::string_view name)
{
    for (ScheduleOpKind k : {ScheduleOpKind::TC, ScheduleOpKind::VC, ScheduleOpKind::TCVC,
                             ScheduleOpKind::Collective, ScheduleOpKind::None})
        if (scheduleOpKindName(k) == name)
            return k;
    return std::nullopt;
}

std::string ScheduleProblem::validate() const
{
    if (numTc < 1 || numVc < 1)
        return "num_tc and num_vc must be at least 1";
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ScheduleOp &op = ops[i];
        const std::string which = "operator " + std::to_string(i) +
                                  (op.name.empty() ? std::string() : " (" + op.name + ")");
        for (double v : {op.latency, op.intraLatency, op.energy, op.intraEnergy})
            if (!std::isfinite(v) || v < 0.0)
                return which + ": latencies and energies must be finite and non-negative";
        for (double v : {op.latency, op.intraLatency})
            if (v != 0.0 && (v < kMinScheduleLatency || v > kMaxScheduleLatency)) {
                std::ostringstream out;
                out << which << ": latency " << v << " is outside the supported range (0, or "
                    << kMinScheduleLatency << " to " << kMaxScheduleLatency << ")";
                return out.str();
            }
    }
    const int n = int(ops.size());
    for (const auto &[from, to] : edges) {
        if (from < 0 || from >= n || to < 0 || to >= n)
            return "edge [" + std::to_string(from) + ", " + std::to_string(to) +
                   "] names an operator that does not exist";
        if (from == to)
            return "edge [" + std::to_string(from) + ", " + std::to_string(to) + "] is a loop";
    }
    if (!Precedence(n, edges).acyclic())
        return "the edges form a cycle";
    return {};
}

ReducedProblem reduceProblem(const ScheduleProblem &problem)
{
    const int n = int(problem.ops.size());
    const Precedence closure(n, problem.edges);
    ReducedProblem out;
    out.problem.numTc = problem.numTc;
    out.problem.numVc = problem.numVc;
    std::vector<int> newIndex(std::size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        const ScheduleOp &op = problem.ops[std::size_t(i)];
        if (op.kind == ScheduleOpKind::None || op.minLatency() <= 0.0)
            continue;
        newIndex[std::size_t(i)] = int(out.original.size());
        out.original.push_back(i);
        out.problem.ops.push_back(op);
    }
    // Reachability in the original DAG through any operators, restricted to kept pairs: the
    // transitive reduction of that relation is all the scheduler needs.
    std::vector<std::pair<int, int>> kept;
    for (int a : out.original)
        for (int b : out.original)
            if (a != b && closure.before(a, b))
                kept.emplace_back(newIndex[std::size_t(a)], newIndex[std::size_t(b)]);
    out.problem.edges = Precedence(int(out.original.size()), kept).reductionEdges();
    return out;
}

} // namespace phaze
