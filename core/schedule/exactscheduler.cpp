#include "core/schedule/exactscheduler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <queue>

#include "core/schedule/glpkbackend.h"
#include "core/schedule/listscheduler.h"
#include "core/schedule/lowerbound.h"
#include "core/schedule/precedence.h"
#include "core/schedule/scheduleilp.h"
#include "core/schedule/schedulevalidator.h"

namespace phaze {
namespace {

using Clock = std::chrono::steady_clock;

// A makespan within this relative distance of the lower bound is proven optimal: it covers
// the rounding of sums of latencies, nothing more.
constexpr double kProofTolerance = 1e-9;

// The schedule that the solver's decisions describe, rebuilt by the serial list scheduler in
// the order of the solution's start times (ties and near-ties by precedence): every operator
// starts no later than in the solution, so its makespan is at most the solution's, and it is
// valid exactly, without the solver's tolerances.
Schedule retime(const ScheduleProblem &problem, const ListScheduler &list,
                const std::vector<OpMode> &modes, const std::vector<double> &starts)
{
    const Precedence precedence(int(problem.ops.size()), problem.edges);
    std::vector<int> indegree(problem.ops.size());
    for (std::size_t i = 0; i < indegree.size(); ++i)
        indegree[i] = int(precedence.predecessors()[i].size());
    auto later = [&](int a, int b) {
        return starts[std::size_t(a)] > starts[std::size_t(b)] ||
               (starts[std::size_t(a)] == starts[std::size_t(b)] && a > b);
    };
    std::priority_queue<int, std::vector<int>, decltype(later)> ready(later);
    for (std::size_t i = 0; i < indegree.size(); ++i)
        if (indegree[i] == 0)
            ready.push(int(i));
    std::vector<int> order;
    while (!ready.empty()) {
        const int i = ready.top();
        ready.pop();
        order.push_back(i);
        for (int s : precedence.successors()[std::size_t(i)])
            if (--indegree[std::size_t(s)] == 0)
                ready.push(s);
    }
    return list.run(modes, order);
}

// The reduced problem's schedule extended to every operator of the original one.
Schedule expand(const ScheduleProblem &problem, const ReducedProblem &reduced,
                const Schedule &schedule)
{
    const std::size_t n = problem.ops.size();
    Schedule out;
    out.ops.resize(n);
    std::vector<char> placed(n, 0);
    for (std::size_t k = 0; k < reduced.original.size(); ++k) {
        const int i = reduced.original[k];
        out.ops[std::size_t(i)] = schedule.ops[k];
        out.ops[std::size_t(i)].op = i;
        placed[std::size_t(i)] = 1;
    }
    const Precedence precedence(int(n), problem.edges);
    for (int i : precedence.topologicalOrder()) {
        if (placed[std::size_t(i)])
            continue;
        const ScheduleOp &op = problem.ops[std::size_t(i)];
        double start = 0.0;
        for (int p : precedence.predecessors()[std::size_t(i)])
            start = std::max(start, out.ops[std::size_t(p)].end);
        const bool intra = op.kind != ScheduleOpKind::None && op.latency > 0.0;
        out.ops[std::size_t(i)] =
            ScheduledOp{i, intra ? OpMode::Intra : OpMode::Single, start, start, -1, -1};
    }
    out.makespan = schedule.makespan;
    for (const ScheduledOp &s : out.ops)
        out.makespan = std::max(out.makespan, s.end);
    return out;
}

} // namespace

Result<ScheduleSolution> ExactScheduler::solve(const ScheduleProblem &problem,
                                               const ProgressSink &progress,
                                               const CancelToken &cancel) const
{
    const Clock::time_point started = Clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(Clock::now() - started).count();
    };
    if (const std::string why = problem.validate(); !why.empty())
        return Result<ScheduleSolution>::error(why);
    if (!(m_options.timeLimitSeconds >= 0.0) || !(m_options.mipGap >= 0.0) ||
        !std::isfinite(m_options.mipGap))
        return Result<ScheduleSolution>::error("the time limit and the gap must be non-negative");

    const ReducedProblem reduced = reduceProblem(problem);
    const ScheduleProblem &rp = reduced.problem;
    ScheduleSolution solution;
    Schedule best;
    double bound = 0.0;
    bool proven = rp.ops.empty();
    std::string note;
    bool timedOut = false;
    bool cancelled = false;
    if (!proven) {
        bound = LowerBound::of(rp).value;
        const ListScheduler list(rp);
        progress.report({"list scheduling", 0, 1, elapsed(), std::nullopt});
        best = list.heuristic(cancel);
        proven = best.makespan <= bound * (1.0 + kProofTolerance);
        if (!proven && !cancel.isCancelled()) {
            ScheduleIlp ilp(rp, best.makespan, bound);
            for (;;) {
                const double remaining = m_options.timeLimitSeconds - elapsed();
                if (m_options.timeLimitSeconds > 0.0 && remaining <= 0.0) {
                    note = "time limit reached";
                    timedOut = true;
                    break;
                }
                progress.report(
                    {"integer program", solution.ilpSolves, 0, elapsed(), best.makespan});
                IlpSolveOptions options;
                options.timeLimitSeconds = m_options.timeLimitSeconds > 0.0 ? remaining : 0.0;
                options.mipGap = m_options.mipGap;
                options.incumbent = ilp.pointOf(best);
                options.cancel = cancel;
                const IlpSolution ilpResult = GlpkBackend::solve(ilp.model(), options);
                ++solution.ilpSolves;
                solution.orderVariables = ilp.orderVariables();
                // A solution of the model without some capacity rows still bounds the optimum.
                if (std::isfinite(ilpResult.bound))
                    bound = std::max(bound, ilpResult.bound / ilp.timeScale());
                if (ilpResult.status == IlpStatus::Error ||
                    ilpResult.status == IlpStatus::Infeasible) {
                    note = "integer program failed: " + ilpResult.message;
                    break;
                }
                int violated = 0;
                if (ilpResult.hasValues()) {
                    std::vector<OpMode> modes;
                    std::vector<double> starts;
                    ilp.decode(ilpResult.values, modes, starts);
                    Schedule candidate = retime(rp, list, modes, starts);
                    if (candidate.makespan < best.makespan)
                        best = std::move(candidate);
                    const int rowsBefore = ilp.capacityRows();
                    violated = ilp.addCapacityRows(ilpResult.values);
                    if (violated > 0 && ilp.capacityRows() == rowsBefore) {
                        note = "capacity rows did not converge";
                        break;
                    }
                }
                if (ilpResult.status == IlpStatus::Cancelled) {
                    cancelled = true;
                    break;
                }
                if (ilpResult.status != IlpStatus::Optimal) {
                    note = ilpResult.message;
                    timedOut = ilpResult.timeLimitReached;
                    break;
                }
                if (violated == 0) {
                    bound = std::max(bound, ilpResult.objective / ilp.timeScale());
                    break;
                }
            }
            solution.capacityRows = ilp.capacityRows();
            proven = best.makespan <= bound + kProofTolerance * best.makespan;
        }
    }
    cancelled = cancelled || (!proven && cancel.isCancelled());
    solution.schedule = expand(problem, reduced, best);
    solution.lowerBound = std::min(bound, solution.schedule.makespan);
    solution.solveSeconds = elapsed();
    if (const std::vector<std::string> errors =
            ScheduleValidator().check(problem, solution.schedule);
        !errors.empty())
        return Result<ScheduleSolution>::error("internal error: the schedule is invalid: " +
                                               errors.front());
    if (proven)
        return Result<ScheduleSolution>::optimal(std::move(solution));
    if (cancelled)
        return Result<ScheduleSolution>::cancelled(std::move(solution));
    const double makespan = solution.schedule.makespan;
    const double gap = makespan > 0.0 ? (makespan - solution.lowerBound) / makespan : 0.0;
    if (timedOut)
        return Result<ScheduleSolution>::timeLimit(std::move(solution), gap, note);
    return Result<ScheduleSolution>::feasible(std::move(solution), gap,
                                              note.empty() ? "not proven optimal" : note);
}

} // namespace phaze
