#include "core/schedule/scheduleilp.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace phaze {
namespace {

constexpr double kScaledMakespan = 1000.0;
// Two scaled intervals clash when they overlap by more than this (GLPK's feasibility
// tolerance is 1e-7 on values of order 1000).
constexpr double kOverlapTolerance = 1e-6;

std::string pairName(const char *what, int i, int j)
{
    return std::string(what) + "_" + std::to_string(i) + "_" + std::to_string(j);
}

} // namespace

ScheduleIlp::ScheduleIlp(const ScheduleProblem &problem, double upperBound, double lowerBound)
    : m_problem(problem), m_precedence(int(problem.ops.size()), problem.edges)
{
    const int n = int(problem.ops.size());
    m_scale = upperBound > 0.0 ? kScaledMakespan / upperBound : 1.0;
    m_upper = upperBound * m_scale;
    std::vector<double> minDuration;
    for (const ScheduleOp &op : problem.ops)
        minDuration.push_back(op.minLatency() * m_scale);
    const std::vector<double> head = m_precedence.heads(minDuration);
    const std::vector<double> tail = m_precedence.tails(minDuration);

    m_makespan =
        m_model.addColumn({"T", std::min(lowerBound * m_scale, m_upper), m_upper, false, 1.0});
    for (int i = 0; i < n; ++i) {
        const double latest = std::max(head[std::size_t(i)], m_upper - tail[std::size_t(i)] -
                                                                 minDuration[std::size_t(i)]);
        m_start.push_back(m_model.addColumn(
            {"t_" + std::to_string(i), head[std::size_t(i)], latest, false, 0.0}));
        m_mode.push_back(problem.ops[std::size_t(i)].intraUseful()
                             ? m_model.addColumn({"y_" + std::to_string(i), 0.0, 1.0, true, 0.0})
                             : -1);
    }
    // t_i + p_i - t_j <= rhs, with p_i = l_i + (m_i - l_i) y_i.
    auto endTerms = [&](int i, int j, std::vector<std::pair<int, double>> &terms) {
        const ScheduleOp &op = problem.ops[std::size_t(i)];
        terms.emplace_back(m_start[std::size_t(i)], 1.0);
        if (j >= 0)
            terms.emplace_back(m_start[std::size_t(j)], -1.0);
        if (m_mode[std::size_t(i)] >= 0)
            terms.emplace_back(m_mode[std::size_t(i)], (op.intraLatency - op.latency) * m_scale);
        return op.latency * m_scale;
    };
    for (const auto &[i, j] : m_precedence.reductionEdges()) {
        IlpRow row{pairName("prec", i, j), {}, -kIlpInfinity, 0.0};
        row.upper = -endTerms(i, j, row.terms);
        m_model.addRow(std::move(row));
    }
    for (int i = 0; i < n; ++i) {
        if (!m_precedence.successors()[std::size_t(i)].empty())
            continue;
        IlpRow row{"end_" + std::to_string(i), {}, -kIlpInfinity, 0.0};
        row.upper = -endTerms(i, -1, row.terms);
        row.terms.emplace_back(m_makespan, -1.0);
        m_model.addRow(std::move(row));
    }
    buildPairs(head, tail);
    buildSymmetry();
}

void ScheduleIlp::buildPairs(const std::vector<double> &head, const std::vector<double> &tail)
{
    const ScheduleProblem &p = m_problem;
    const int n = int(p.ops.size());
    std::vector<int> tcUsers, vcUsers;
    for (int i = 0; i < n; ++i) {
        if (p.ops[std::size_t(i)].usesTc())
            tcUsers.push_back(i);
        if (p.ops[std::size_t(i)].usesVc())
            vcUsers.push_back(i);
    }
    m_tcNeedsRows = p.numTc > 1 && m_precedence.width(tcUsers) > p.numTc;
    m_vcNeedsRows = p.numVc > 1 && m_precedence.width(vcUsers) > p.numVc;
    m_pairOf.assign(std::size_t(n) * std::size_t(n), -1);

    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
            if (m_precedence.comparable(i, j))
                continue;
            const ScheduleOp &a = p.ops[std::size_t(i)];
            const ScheduleOp &b = p.ops[std::size_t(j)];
            const bool shareTc = a.usesTc() && b.usesTc();
            const bool shareVc = a.usesVc() && b.usesVc();
            const bool shareLink =
                a.kind == ScheduleOpKind::Collective && b.kind == ScheduleOpKind::Collective;
            const bool intra = a.onCores() && b.onCores() &&
                               (m_mode[std::size_t(i)] >= 0 || m_mode[std::size_t(j)] >= 0);
            const bool always = (shareTc && p.numTc == 1) || (shareVc && p.numVc == 1) || shareLink;
            const bool capacity = (shareTc && m_tcNeedsRows) || (shareVc && m_vcNeedsRows);
            if (!always && !intra && !capacity)
                continue;
            Pair pair{i, j, -1, -1};
            pair.x = m_model.addColumn({pairName("x", i, j), 0.0, 1.0, true, 0.0});
            if (!always)
                pair.y = m_model.addColumn({pairName("x", j, i), 0.0, 1.0, true, 0.0});
            m_orderVariables += always ? 1 : 2;
            // M bounds t_a + p_a - t_b over schedules no longer than the incumbent.
            auto bigM = [&](int a, int b) {
                return std::max(0.0, m_upper - tail[std::size_t(a)] - head[std::size_t(b)]);
            };
            const double mij = bigM(i, j), mji = bigM(j, i);
            auto endTerms = [&](int a, int b, std::vector<std::pair<int, double>> &terms) {
                const ScheduleOp &op = p.ops[std::size_t(a)];
                terms.emplace_back(m_start[std::size_t(a)], 1.0);
                terms.emplace_back(m_start[std::size_t(b)], -1.0);
                if (m_mode[std::size_t(a)] >= 0)
                    terms.emplace_back(m_mode[std::size_t(a)],
                                       (op.intraLatency - op.latency) * m_scale);
                return op.latency * m_scale;
            };
            // x_ij = 1: t_i + p_i <= t_j.
            IlpRow before{pairName("order", i, j), {}, -kIlpInfinity, 0.0};
            const double li = endTerms(i, j, before.terms);
            before.terms.emplace_back(pair.x, mij);
            before.upper = mij - li;
            m_model.addRow(std::move(before));
            // x_ji = 1: t_j + p_j <= t_i.
            IlpRow after{pairName("order", j, i), {}, -kIlpInfinity, 0.0};
            const double lj = endTerms(j, i, after.terms);
            if (always) { // x_ji = 1 - o
                after.terms.emplace_back(pair.x, -mji);
                after.upper = -lj;
            } else {
                after.terms.emplace_back(pair.y, mji);
                after.upper = mji - lj;
            }
            m_model.addRow(std::move(after));
            if (!always) {
                m_model.addRow(
                    {pairName("anti", i, j), {{pair.x, 1.0}, {pair.y, 1.0}}, -kIlpInfinity, 1.0});
                for (int k : {i, j}) {
                    if (!intra || m_mode[std::size_t(k)] < 0)
                        continue;
                    m_model.addRow({pairName("alone", k, k == i ? j : i),
                                    {{pair.x, 1.0}, {pair.y, 1.0}, {m_mode[std::size_t(k)], -1.0}},
                                    0.0,
                                    kIlpInfinity});
                }
            }
            m_pairOf[std::size_t(i) * std::size_t(n) + std::size_t(j)] = int(m_pairs.size());
            m_pairOf[std::size_t(j) * std::size_t(n) + std::size_t(i)] = int(m_pairs.size());
            m_pairs.push_back(pair);
        }
    }
}

void ScheduleIlp::buildSymmetry()
{
    const int n = int(m_problem.ops.size());
    auto same = [&](int a, int b) {
        const ScheduleOp &x = m_problem.ops[std::size_t(a)];
        const ScheduleOp &y = m_problem.ops[std::size_t(b)];
        if (x.kind != y.kind || x.latency != y.latency || x.intraLatency != y.intraLatency ||
            m_precedence.comparable(a, b))
            return false;
        for (int k = 0; k < n; ++k)
            if (k != a && k != b &&
                (m_precedence.before(k, a) != m_precedence.before(k, b) ||
                 m_precedence.before(a, k) != m_precedence.before(b, k)))
                return false;
        return true;
    };
    std::vector<char> grouped(std::size_t(n), 0);
    for (int a = 0; a < n; ++a) {
        if (grouped[std::size_t(a)])
            continue;
        std::vector<int> group{a};
        for (int b = a + 1; b < n; ++b)
            if (!grouped[std::size_t(b)] && same(a, b)) {
                group.push_back(b);
                grouped[std::size_t(b)] = 1;
            }
        if (group.size() < 2)
            continue;
        for (std::size_t k = 0; k + 1 < group.size(); ++k) {
            const int i = group[k], j = group[k + 1];
            m_model.addRow({pairName("sym", i, j),
                            {{m_start[std::size_t(i)], 1.0}, {m_start[std::size_t(j)], -1.0}},
                            -kIlpInfinity,
                            0.0});
        }
        // With t_i <= t_j and positive durations, j can never finish before i starts.
        for (std::size_t k = 0; k < group.size(); ++k)
            for (std::size_t l = k + 1; l < group.size(); ++l) {
                const int pi =
                    m_pairOf[std::size_t(group[k]) * std::size_t(n) + std::size_t(group[l])];
                if (pi < 0)
                    continue;
                const Pair &pair = m_pairs[std::size_t(pi)];
                if (pair.y >= 0)
                    m_model.column(pair.y).upper = 0.0;
                else
                    m_model.column(pair.x).lower = 1.0;
            }
        m_groups.push_back(std::move(group));
    }
}

int ScheduleIlp::orderColumn(int i, int j, bool *complemented) const
{
    const std::size_t n = m_problem.ops.size();
    const int pi = m_pairOf[std::size_t(i) * n + std::size_t(j)];
    if (complemented)
        *complemented = false;
    if (pi < 0)
        return -1;
    const Pair &pair = m_pairs[std::size_t(pi)];
    if (pair.i == i)
        return pair.x;
    if (pair.y >= 0)
        return pair.y;
    if (complemented)
        *complemented = true;
    return pair.x;
}

std::vector<double> ScheduleIlp::pointOf(const Schedule &original) const
{
    Schedule s = original;
    // Interchangeable operators: hand their time slots out in index order.
    for (const std::vector<int> &group : m_groups) {
        std::vector<ScheduledOp> slots;
        for (int i : group)
            slots.push_back(s.ops[std::size_t(i)]);
        std::stable_sort(
            slots.begin(), slots.end(),
            [](const ScheduledOp &a, const ScheduledOp &b) { return a.start < b.start; });
        for (std::size_t k = 0; k < group.size(); ++k) {
            slots[k].op = group[k];
            s.ops[std::size_t(group[k])] = slots[k];
        }
    }
    std::vector<double> point(m_model.columns().size(), 0.0);
    point[std::size_t(m_makespan)] = s.makespan * m_scale;
    const double slack = 1e-9 * std::max(s.makespan, 1e-300);
    for (std::size_t i = 0; i < s.ops.size(); ++i) {
        point[std::size_t(m_start[i])] = s.ops[i].start * m_scale;
        if (m_mode[i] >= 0)
            point[std::size_t(m_mode[i])] = s.ops[i].mode == OpMode::Intra ? 1.0 : 0.0;
    }
    for (const Pair &pair : m_pairs) {
        const ScheduledOp &a = s.ops[std::size_t(pair.i)];
        const ScheduledOp &b = s.ops[std::size_t(pair.j)];
        point[std::size_t(pair.x)] = a.end <= b.start + slack ? 1.0 : 0.0;
        if (pair.y >= 0)
            point[std::size_t(pair.y)] = b.end <= a.start + slack ? 1.0 : 0.0;
    }
    return point;
}

void ScheduleIlp::decode(const std::vector<double> &values, std::vector<OpMode> &modes,
                         std::vector<double> &starts) const
{
    const std::size_t n = m_problem.ops.size();
    modes.assign(n, OpMode::Single);
    starts.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (m_mode[i] >= 0 && values[std::size_t(m_mode[i])] > 0.5)
            modes[i] = OpMode::Intra;
        starts[i] = values[std::size_t(m_start[i])] / m_scale;
    }
}

bool ScheduleIlp::addCapacitySet(const std::vector<int> &set)
{
    IlpRow row{"cap", {}, 1.0, kIlpInfinity};
    for (std::size_t a = 0; a < set.size(); ++a)
        for (std::size_t b = a + 1; b < set.size(); ++b) {
            bool complemented = false;
            const int x = orderColumn(set[a], set[b], &complemented);
            if (x < 0 || complemented)
                return false; // never clash, or always ordered: the set cannot over-subscribe
            row.terms.emplace_back(x, 1.0);
            row.terms.emplace_back(orderColumn(set[b], set[a]), 1.0);
        }
    if (!m_capacitySets.insert(set).second)
        return false;
    for (int i : set)
        row.name += "_" + std::to_string(i);
    m_model.addRow(std::move(row));
    ++m_capacityRows;
    return true;
}

int ScheduleIlp::addCapacityRows(const std::vector<double> &values)
{
    std::vector<OpMode> modes;
    std::vector<double> starts;
    decode(values, modes, starts);
    const std::size_t n = m_problem.ops.size();
    std::vector<double> s(n), e(n);
    for (std::size_t i = 0; i < n; ++i) {
        const ScheduleOp &op = m_problem.ops[i];
        s[i] = starts[i] * m_scale;
        e[i] = s[i] + (modes[i] == OpMode::Intra ? op.intraLatency : op.latency) * m_scale;
    }
    int violated = 0;
    for (const bool tc : {true, false}) {
        if (!(tc ? m_tcNeedsRows : m_vcNeedsRows))
            continue;
        const int capacity = tc ? m_problem.numTc : m_problem.numVc;
        std::vector<int> users;
        for (std::size_t i = 0; i < n; ++i)
            if (modes[i] == OpMode::Single &&
                (tc ? m_problem.ops[i].usesTc() : m_problem.ops[i].usesVc()))
                users.push_back(int(i));
        for (int a : users) {
            // Operators running just after a starts (intervals shrunk by the tolerance).
            std::vector<int> active;
            for (int b : users)
                if (s[std::size_t(b)] <= s[std::size_t(a)] &&
                    e[std::size_t(b)] > s[std::size_t(a)] + 2 * kOverlapTolerance)
                    active.push_back(b);
            if (int(active.size()) <= capacity)
                continue;
            // Any capacity + 1 of them form a violated set; take the first 16 such subsets.
            const std::size_t k = std::size_t(capacity) + 1;
            std::vector<char> pick(active.size(), 0);
            std::fill(pick.end() - std::ptrdiff_t(k), pick.end(), 1);
            int subsets = 0;
            do {
                std::vector<int> set;
                for (std::size_t q = 0; q < active.size(); ++q)
                    if (pick[q])
                        set.push_back(active[q]);
                addCapacitySet(set);
                ++violated;
            } while (++subsets < 16 && std::next_permutation(pick.begin(), pick.end()));
        }
    }
    return violated;
}

} // namespace phaze
