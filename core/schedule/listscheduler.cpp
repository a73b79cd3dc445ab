#include "core/schedule/listscheduler.h"

#include <algorithm>
#include <numeric>

#include "core/schedule/precedence.h"

namespace phaze {
namespace {

struct Demand {
    int tc = 0;
    int vc = 0;
    int link = 0;
};

Demand demandOf(const ScheduleProblem &problem, int op, OpMode mode)
{
    const ScheduleOp &o = problem.ops[std::size_t(op)];
    if (o.kind == ScheduleOpKind::Collective)
        return {0, 0, 1};
    if (o.kind == ScheduleOpKind::None)
        return {};
    if (mode == OpMode::Intra)
        return {problem.numTc, problem.numVc, 0};
    return {o.usesTc() ? 1 : 0, o.usesVc() ? 1 : 0, 0};
}

struct Placed {
    double start = 0.0;
    double end = 0.0;
    Demand demand;
};

} // namespace

ListScheduler::ListScheduler(const ScheduleProblem &problem) : m_problem(problem)
{
    const Precedence precedence(int(problem.ops.size()), problem.edges);
    m_pred = precedence.predecessors();
    m_succ = precedence.successors();
    m_topological = precedence.topologicalOrder();
}

double ListScheduler::duration(int op, OpMode mode) const
{
    const ScheduleOp &o = m_problem.ops[std::size_t(op)];
    if (o.kind == ScheduleOpKind::None)
        return 0.0;
    return mode == OpMode::Intra && o.onCores() ? o.intraLatency : o.latency;
}

Schedule ListScheduler::run(const std::vector<OpMode> &modes, const std::vector<int> &list) const
{
    const std::size_t n = m_problem.ops.size();
    Schedule out;
    out.ops.resize(n);
    std::vector<Placed> placed;
    placed.reserve(n);
    std::vector<double> candidates;
    for (int j : list) {
        const OpMode mode =
            m_problem.ops[std::size_t(j)].onCores() ? modes[std::size_t(j)] : OpMode::Single;
        const double p = duration(j, mode);
        const Demand d = demandOf(m_problem, j, mode);
        double release = 0.0;
        for (int q : m_pred[std::size_t(j)])
            release = std::max(release, out.ops[std::size_t(q)].end);
        // The earliest feasible start is the release time or the end of a placed operator:
        // moving a start earlier can only make it infeasible when it crosses such an end.
        candidates.assign(1, release);
        for (const Placed &a : placed)
            if (a.end > release)
                candidates.push_back(a.end);
        std::sort(candidates.begin(), candidates.end());
        double start = release;
        for (double t : candidates) {
            bool fits = true;
            // Usage over [t, t + p) is largest at t or at a start inside the interval.
            auto fitsAt = [&](double tau) {
                Demand used;
                for (const Placed &a : placed)
                    if (a.start <= tau && tau < a.end) {
                        used.tc += a.demand.tc;
                        used.vc += a.demand.vc;
                        used.link += a.demand.link;
                    }
                return used.tc + d.tc <= m_problem.numTc && used.vc + d.vc <= m_problem.numVc &&
                       used.link + d.link <= 1;
            };
            if (p > 0.0) {
                fits = fitsAt(t);
                for (std::size_t k = 0; fits && k < placed.size(); ++k)
                    if (placed[k].start > t && placed[k].start < t + p)
                        fits = fitsAt(placed[k].start);
            }
            if (fits) {
                start = t;
                break;
            }
        }
        out.ops[std::size_t(j)] = ScheduledOp{j, mode, start, start + p, -1, -1};
        if (p > 0.0)
            placed.push_back(Placed{start, start + p, d});
        out.makespan = std::max(out.makespan, start + p);
    }
    assignCores(m_problem, out);
    return out;
}

std::vector<int> ListScheduler::priorityList(const std::vector<OpMode> &modes) const
{
    const std::size_t n = m_problem.ops.size();
    std::vector<double> tail(n, 0.0); // longest path from the start of an operator to the end
    for (auto it = m_topological.rbegin(); it != m_topological.rend(); ++it) {
        double longest = 0.0;
        for (int s : m_succ[std::size_t(*it)])
            longest = std::max(longest, tail[std::size_t(s)]);
        tail[std::size_t(*it)] = longest + duration(*it, modes[std::size_t(*it)]);
    }
    std::vector<int> indegree(n);
    for (std::size_t i = 0; i < n; ++i)
        indegree[i] = int(m_pred[i].size());
    std::vector<int> ready, list;
    for (std::size_t i = 0; i < n; ++i)
        if (indegree[i] == 0)
            ready.push_back(int(i));
    while (!ready.empty()) {
        const auto best = std::max_element(ready.begin(), ready.end(), [&](int a, int b) {
            return tail[std::size_t(a)] < tail[std::size_t(b)] ||
                   (tail[std::size_t(a)] == tail[std::size_t(b)] && a > b);
        });
        const int i = *best;
        ready.erase(best);
        list.push_back(i);
        for (int s : m_succ[std::size_t(i)])
            if (--indegree[std::size_t(s)] == 0)
                ready.push_back(s);
    }
    return list;
}

Schedule ListScheduler::heuristic(const CancelToken &cancel) const
{
    const std::size_t n = m_problem.ops.size();
    std::vector<std::vector<OpMode>> starts;
    starts.emplace_back(n, OpMode::Single);
    std::vector<OpMode> faster(n, OpMode::Single), efficient(n, OpMode::Single);
    for (std::size_t i = 0; i < n; ++i) {
        const ScheduleOp &op = m_problem.ops[i];
        if (!op.intraUseful())
            continue;
        faster[i] = OpMode::Intra;
        // Intra is also the more efficient use of the cores when even perfect packing of
        // single-core runs could not beat it.
        const int cores = op.usesTc() ? m_problem.numTc : m_problem.numVc;
        if (op.intraLatency * cores <= op.latency)
            efficient[i] = OpMode::Intra;
    }
    starts.push_back(faster);
    starts.push_back(efficient);

    Schedule best;
    std::vector<OpMode> bestModes;
    bool have = false;
    auto consider = [&](const std::vector<OpMode> &modes) {
        for (const std::vector<int> &list : {priorityList(modes), m_topological}) {
            Schedule s = run(modes, list);
            if (!have || s.makespan < best.makespan) {
                best = std::move(s);
                bestModes = modes;
                have = true;
            }
        }
    };
    for (const std::vector<OpMode> &modes : starts)
        consider(modes);
    // Local search over modes: first improvement, a few passes.
    for (int pass = 0; pass < 3 && !cancel.isCancelled(); ++pass) {
        bool improved = false;
        for (std::size_t i = 0; i < n && !cancel.isCancelled(); ++i) {
            if (!m_problem.ops[i].intraUseful())
                continue;
            std::vector<OpMode> modes = bestModes;
            modes[i] = modes[i] == OpMode::Intra ? OpMode::Single : OpMode::Intra;
            const double before = best.makespan;
            consider(modes);
            improved = improved || best.makespan < before;
        }
        if (!improved)
            break;
    }
    return best;
}

void assignCores(const ScheduleProblem &problem, Schedule &schedule)
{
    std::vector<int> order(schedule.ops.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return schedule.ops[std::size_t(a)].start < schedule.ops[std::size_t(b)].start;
    });
    std::vector<double> tcFree(std::size_t(problem.numTc), 0.0);
    std::vector<double> vcFree(std::size_t(problem.numVc), 0.0);
    auto take = [](std::vector<double> &freeAt, const ScheduledOp &s) {
        // The lowest-numbered core free at the start; -1 only if the schedule over-subscribes.
        for (std::size_t c = 0; c < freeAt.size(); ++c)
            if (freeAt[c] <= s.start) {
                freeAt[c] = s.end;
                return int(c);
            }
        return -1;
    };
    for (int i : order) {
        ScheduledOp &s = schedule.ops[std::size_t(i)];
        const ScheduleOp &op = problem.ops[std::size_t(i)];
        s.tcCore = s.vcCore = -1;
        if (s.mode == OpMode::Intra || s.end <= s.start)
            continue;
        if (op.usesTc())
            s.tcCore = take(tcFree, s);
        if (op.usesVc())
            s.vcCore = take(vcFree, s);
    }
}

} // namespace phaze
