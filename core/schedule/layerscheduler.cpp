#include "core/schedule/layerscheduler.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace phaze {
namespace {

ScheduleOpKind kindOf(CoreClass core)
{
    switch (core) {
    case CoreClass::TC:
        return ScheduleOpKind::TC;
    case CoreClass::VC:
        return ScheduleOpKind::VC;
    case CoreClass::TCVC:
        return ScheduleOpKind::TCVC;
    case CoreClass::Collective:
        return ScheduleOpKind::Collective;
    case CoreClass::None:
        return ScheduleOpKind::None;
    }
    return ScheduleOpKind::None;
}

int rank(Status s)
{
    switch (s) {
    case Status::Optimal:
        return 0;
    case Status::Feasible:
        return 1;
    case Status::TimeLimit:
        return 2;
    case Status::Cancelled:
        return 3;
    case Status::Infeasible:
        return 4;
    case Status::Error:
        return 5;
    }
    return 5;
}

} // namespace

double PassSchedule::latency() const
{
    return hasSchedule() ? result->value->schedule.makespan
                         : std::numeric_limits<double>::quiet_NaN();
}

Status LayerSchedule::status() const
{
    return rank(forward.status()) >= rank(backward.status()) ? forward.status() : backward.status();
}

double LayerSchedule::solveSeconds() const
{
    double s = 0.0;
    for (const PassSchedule *p : {&forward, &backward})
        if (p->hasSchedule())
            s += p->result->value->solveSeconds;
    return s;
}

LayerScheduler::LayerScheduler(const CostModel &costModel, ScheduleCache *cache,
                               SchedulerOptions options)
    : m_costModel(costModel), m_cache(cache), m_options(options)
{
}

ScheduleProblem LayerScheduler::problemOf(const OperatorDag &dag,
                                          const std::vector<OperatorCost> &costs,
                                          const AcceleratorConfig &config)
{
    ScheduleProblem problem;
    problem.numTc = config.numTc;
    problem.numVc = config.numVc;
    problem.edges = dag.edges;
    for (std::size_t i = 0; i < dag.ops.size(); ++i) {
        const OperatorCost &c = costs[i];
        ScheduleOp op;
        op.name = dag.ops[i].name;
        op.kind = kindOf(c.coreClass);
        op.latency = c.single.latency;
        op.intraLatency = c.intra.latency;
        op.energy = c.single.energy;
        op.intraEnergy = c.intra.energy;
        problem.ops.push_back(std::move(op));
    }
    return problem;
}

PassSchedule LayerScheduler::solvePass(ScheduleProblem problem, const CancelToken &cancel) const
{
    PassSchedule pass;
    pass.problem = std::move(problem);
    const ExactScheduler scheduler(m_options);
    auto solve = [&] {
        return scheduler.solve(pass.problem, {}, cancel);
    };
    pass.result = m_cache ? m_cache->getOrSolve(pass.problem, m_options, solve)
                          : std::make_shared<const Result<ScheduleSolution>>(solve());
    if (!pass.hasSchedule())
        return pass;
    const ScheduleProblem &p = pass.problem;
    const Schedule &s = pass.result->value->schedule;
    double tcBusy = 0.0, vcBusy = 0.0;
    for (const ScheduledOp &so : s.ops) {
        const ScheduleOp &op = p.ops[std::size_t(so.op)];
        const double d = so.end - so.start;
        const bool intra = so.mode == OpMode::Intra;
        pass.energy += op.kind == ScheduleOpKind::None ? 0.0 : intra ? op.intraEnergy : op.energy;
        // An intra-operator run keeps every core of its kinds busy.
        if (op.usesTc())
            tcBusy += d * (intra ? p.numTc : 1);
        if (op.usesVc())
            vcBusy += d * (intra ? p.numVc : 1);
    }
    if (s.makespan > 0.0) {
        pass.tcUtilisation = tcBusy / (p.numTc * s.makespan);
        pass.vcUtilisation = vcBusy / (p.numVc * s.makespan);
    }
    return pass;
}

LayerSchedule LayerScheduler::schedule(const LayerBody &body, const AcceleratorConfig &config,
                                       const CancelToken &cancel) const
{
    const LayerCost cost = m_costModel.estimateLayer(body, config);
    LayerSchedule out;
    out.forward = solvePass(problemOf(body.forward, cost.forwardOps, config), cancel);
    out.backward = solvePass(problemOf(cost.backward, cost.backwardOps, config), cancel);
    return out;
}

Result<std::vector<LayerScheduleEntry>>
LayerScheduler::scheduleModel(const ModelGraph &graph, const AcceleratorConfig &config,
                              const ProgressSink &progress, const CancelToken &cancel) const
{
    using R = Result<std::vector<LayerScheduleEntry>>;
    std::vector<LayerScheduleEntry> out;
    const std::vector<int> distinct = graph.distinctLayers();
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < distinct.size(); ++k) {
        if (cancel.isCancelled())
            break;
        const Layer &layer = graph.layers[std::size_t(distinct[k])];
        LayerScheduleEntry entry;
        entry.layer = layer.id;
        entry.name = layer.name;
        for (const Layer &other : graph.layers)
            entry.occurrences += other.body == layer.body ? 1 : 0;
        entry.schedule = schedule(*layer.body, config, cancel);
        out.push_back(std::move(entry));
        progress.report(
            {"scheduling layers", (long long)(k + 1), (long long)distinct.size(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
             std::nullopt});
    }
    if (cancel.isCancelled())
        return R::cancelled(std::move(out));
    Status worst = Status::Optimal;
    std::string why;
    for (const LayerScheduleEntry &e : out) {
        if (!e.schedule.forward.hasSchedule() || !e.schedule.backward.hasSchedule()) {
            const auto &r = e.schedule.forward.hasSchedule() ? e.schedule.backward.result
                                                             : e.schedule.forward.result;
            return R::error("layer " + e.name + ": " +
                            (r ? r->message : std::string("no schedule")));
        }
        if (rank(e.schedule.status()) > rank(worst)) {
            worst = e.schedule.status();
            const PassSchedule &weaker =
                e.schedule.forward.status() == worst ? e.schedule.forward : e.schedule.backward;
            why = "layer " + e.name + ": " + weaker.result->message;
        }
    }
    return R{worst, std::move(out), std::move(why), {}, {}};
}

} // namespace phaze
