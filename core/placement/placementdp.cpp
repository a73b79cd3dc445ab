#include "core/placement/placementdp.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace phaze {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

} // namespace

PlacementDp::PlacementDp(const PlacementInput &input, const LayerDag &dag,
                         const DownsetLattice &lattice, PipelineSchedule schedule)
    : m_input(input), m_dag(dag), m_lattice(lattice), m_schedule(schedule),
      m_loads(dag, input.bandwidth),
      m_memory(input.memoryPerDevice, input.devices, input.recomputation, input.optimizer),
      m_t(dag.width()), m_maxStages(std::min(input.devices, dag.size())),
      m_members(std::size_t(lattice.words()), 0)
{
    m_maxJ = m_t > 1 ? std::min(m_maxStages, input.devices / m_t) : 0;
    m_rowLength = std::size_t(m_maxJ) + 1;
    const int count = lattice.size();
    m_offset.resize(std::size_t(count));
    m_sCap.resize(std::size_t(count));
    m_sTop.assign(std::size_t(count), -1);
    for (int id = 0; id < count; ++id) {
        m_sCap[std::size_t(id)] = std::min(lattice.cardinality(id), m_maxStages);
        m_offset[std::size_t(id)] = m_tableSize;
        m_tableSize += std::size_t(m_sCap[std::size_t(id)] + 1) * m_rowLength;
    }
}

int PlacementDp::stageMaxPosition(const StageCost &c, long long gpipeMicrobatches) const
{
    if (m_schedule == PipelineSchedule::GPipe)
        return gpipeMicrobatches <= m_memory.maxInFlightUnbounded(c) ? m_maxStages : 0;
    return std::min(m_memory.maxInFlight(c), m_maxStages);
}

const StageCost &PlacementDp::stageBetween(int id, int sub)
{
    const std::uint64_t *a = m_lattice.bits(id), *b = m_lattice.bits(sub);
    for (int w = 0; w < m_lattice.words(); ++w)
        m_members[std::size_t(w)] = a[w] & ~b[w];
    m_cost = m_loads.evaluate(m_members.data());
    ++m_pairs;
    return m_cost;
}

StagePlan PlacementDp::planOf(int id, int sub, int devices) const
{
    StagePlan plan;
    plan.devices = devices;
    const std::uint64_t *a = m_lattice.bits(id), *b = m_lattice.bits(sub);
    for (int v = 0; v < m_dag.size(); ++v) {
        const std::uint64_t bit = std::uint64_t(1) << (v & 63);
        if ((a[v >> 6] & bit) && !(b[v >> 6] & bit))
            plan.layers.push_back(m_dag.externalId(v));
    }
    return plan;
}

bool PlacementDp::fillTable(long long gpipeMicrobatches, const ProgressSink &progress,
                            const CancelToken &cancel)
{
    const auto started = std::chrono::steady_clock::now();
    std::fill(m_table.begin(), m_table.end(), kInf);
    std::fill(m_sTop.begin(), m_sTop.end(), -1);
    m_excludedCapacity = -1;
    std::fill(row(0, 0), row(0, 0) + m_rowLength, 0.0);
    m_sTop[0] = 0;
    const int full = m_lattice.fullId();
    const bool recompute = m_input.recomputation;
    for (int id = 1; id < full; ++id) {
        if ((id & 63) == 0) {
            if (cancel.isCancelled())
                return false;
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress.report({"placement DP, width " + std::to_string(m_t), id, full, elapsed, {}});
        }
        const int sCap = m_sCap[std::size_t(id)];
        for (int sub : m_lattice.properSubsets(id)) {
            if (m_sTop[std::size_t(sub)] < 0)
                continue;
            const StageCost &c = stageBetween(id, sub);
            const bool tp = c.tensorParallel && m_t > 1;
            const int sMax = stageMaxPosition(c, gpipeMicrobatches);
            if (sMax == 0 && m_schedule == PipelineSchedule::GPipe)
                m_excludedCapacity = std::max(m_excludedCapacity, m_memory.maxInFlightUnbounded(c));
            const int sHi = std::min({sMax, m_sTop[std::size_t(sub)] + 1, sCap});
            for (int s = 1; s <= sHi; ++s) {
                const double *__restrict prev = row(sub, s - 1);
                if (prev[m_maxJ] == kInf) // the last column is the row's minimum
                    continue;
                double *__restrict cur = row(id, s);
                const double load = c.load(recompute, s);
                const int jHi = std::min(s, m_maxJ);
                if (tp) {
                    for (int j = 1; j <= jHi; ++j)
                        cur[j] = std::min(cur[j], std::max(prev[j - 1], load));
                } else {
                    for (int j = 0; j <= jHi; ++j)
                        cur[j] = std::min(cur[j], std::max(prev[j], load));
                }
            }
        }
        // With s stages at most s are tensor-parallel: larger budgets change nothing.
        for (int s = 1; s <= sCap; ++s) {
            double *cur = row(id, s);
            const int jHi = std::min(s, m_maxJ);
            std::fill(cur + jHi + 1, cur + m_rowLength, cur[jHi]);
            if (cur[m_maxJ] < kInf)
                m_sTop[std::size_t(id)] = s;
        }
    }
    return true;
}

void PlacementDp::dataParallelRound(int dFrom, int dTo, long long gpipeMicrobatches, Choice &best)
{
    const int full = m_lattice.fullId();
    std::vector<FirstStage> firsts;
    for (int sub : m_lattice.properSubsets(full)) {
        if (m_sTop[std::size_t(sub)] < 0)
            continue;
        firsts.push_back({sub, stageBetween(full, sub), 0});
        firsts.back().maxPosition = stageMaxPosition(firsts.back().cost, gpipeMicrobatches);
    }
    const int n = m_input.devices;
    for (int d = dFrom; d <= dTo; ++d) {
        const int perPipeline = n / d;
        const int microbatches = int((static_cast<long long>(m_input.microbatches) + d - 1) / d);
        for (const FirstStage &f : firsts) {
            const int a = f.cost.tensorParallel && m_t > 1 ? m_t : 1;
            if (perPipeline < a)
                continue;
            const int rest = perPipeline - a;
            const int sHi = std::min(f.maxPosition, m_sTop[std::size_t(f.sub)] + 1);
            const double allReduce = allReduceTime(d, f.cost.parameterBytes, m_input.bandwidth);
            for (int s = 1; s <= sHi && s - 1 <= rest; ++s) {
                const int j = m_t > 1 ? std::min(m_maxJ, (rest - (s - 1)) / (m_t - 1)) : 0;
                const double before = row(f.sub, s - 1)[j];
                if (before == kInf)
                    continue;
                const double load = std::max(before, f.cost.load(m_input.recomputation, s));
                const double time = load * (microbatches + s - 1) + allReduce;
                if (!best.dataParallel || time < best.time)
                    best = {time, d, f.sub, s, j, a};
            }
        }
    }
}

bool PlacementDp::reconstruct(const Choice &best, long long gpipeMicrobatches, WidthOptimum &out)
{
    out.found = true;
    out.timePerBatch = best.time;
    out.dataParallel = best.dataParallel;
    out.stages.clear();
    out.stages.push_back(planOf(m_lattice.fullId(), best.sub, best.firstDevices));
    int cur = best.sub, s = best.stages - 1, j = best.budgetJ;
    while (s > 0) {
        const double target = row(cur, s)[j];
        bool stepped = false;
        for (int sub : m_lattice.properSubsets(cur)) {
            if (m_sCap[std::size_t(sub)] < s - 1)
                continue;
            const StageCost &c = stageBetween(cur, sub);
            const bool tp = c.tensorParallel && m_t > 1;
            if (s > stageMaxPosition(c, gpipeMicrobatches) || (tp && j < 1))
                continue;
            const double value =
                std::max(row(sub, s - 1)[tp ? j - 1 : j], c.load(m_input.recomputation, s));
            if (value != target)
                continue;
            // properSubsets() is reused by the next call: copy what is needed first.
            out.stages.push_back(planOf(cur, sub, tp ? m_t : 1));
            cur = sub;
            --s;
            j -= tp ? 1 : 0;
            stepped = true;
            break;
        }
        if (!stepped)
            return false;
    }
    return cur == 0;
}

Status PlacementDp::solve(WidthOptimum &out, const ProgressSink &progress,
                          const CancelToken &cancel)
{
    out = WidthOptimum();
    m_table.assign(m_tableSize, kInf);
    const int dMax = std::min(m_input.devices, m_input.microbatches);
    Choice best;
    if (m_schedule == PipelineSchedule::OneFOneB) {
        if (!fillTable(0, progress, cancel))
            return Status::Cancelled;
        dataParallelRound(1, dMax, 0, best);
        if (best.dataParallel && !reconstruct(best, 0, out))
            return Status::Error;
    } else {
        // GPipe stashes ceil(n_mb / d) microbatches, so feasibility depends on d: one table per
        // distinct microbatch count, d ranges sharing it taken together; refilled only when the
        // count drops to a stage's capacity (a stage left out may now fit): 10^6 devices would
        // otherwise cost tens of thousands of identical tables.
        bool filled = false;
        for (int d = 1; d <= dMax;) {
            const long long m = (static_cast<long long>(m_input.microbatches) + d - 1) / d;
            const int dEnd =
                m == 1 ? dMax
                       : int(std::min<long long>(dMax, (m_input.microbatches - 1) / (m - 1)));
            if (!filled || m <= m_excludedCapacity) {
                if (!fillTable(m, progress, cancel))
                    return Status::Cancelled;
                filled = true;
            }
            const Choice before = best;
            dataParallelRound(d, dEnd, m, best);
            if (best.dataParallel != before.dataParallel || best.time != before.time) {
                if (!reconstruct(best, m, out))
                    return Status::Error;
            }
            d = dEnd + 1;
        }
    }
    out.stagePairs = m_pairs;
    return Status::Optimal;
}

} // namespace phaze
