#include "core/schedule/lowerbound.h"

#include <algorithm>

#include "core/schedule/precedence.h"

namespace phaze {

LowerBound LowerBound::of(const ScheduleProblem &problem)
{
    LowerBound out;
    const Precedence precedence(int(problem.ops.size()), problem.edges);
    std::vector<double> duration;
    duration.reserve(problem.ops.size());
    for (const ScheduleOp &op : problem.ops)
        duration.push_back(op.kind == ScheduleOpKind::None ? 0.0 : op.minLatency());
    const std::vector<double> head = precedence.heads(duration);
    for (std::size_t i = 0; i < duration.size(); ++i)
        out.criticalPath = std::max(out.criticalPath, head[i] + duration[i]);

    for (const ScheduleOp &op : problem.ops) {
        const double tcCost =
            op.intraUseful() ? std::min(op.latency, problem.numTc * op.intraLatency) : op.latency;
        const double vcCost =
            op.intraUseful() ? std::min(op.latency, problem.numVc * op.intraLatency) : op.latency;
        if (op.usesTc())
            out.tcWork += tcCost;
        if (op.usesVc())
            out.vcWork += vcCost;
        if (op.kind == ScheduleOpKind::Collective)
            out.linkWork += op.latency;
    }
    out.tcWork /= problem.numTc;
    out.vcWork /= problem.numVc;
    out.value = std::max({out.criticalPath, out.tcWork, out.vcWork, out.linkWork});
    return out;
}

} // namespace phaze
