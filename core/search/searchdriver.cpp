#include "core/search/searchdriver.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#include "core/search/pareto.h"

namespace phaze {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `work(i)` for i in [0, n) on up to `threads` threads; stops handing out work when
// cancelled. Results land in slots owned by index, so the order of completion does not matter.
template <typename Work>
void parallelFor(std::size_t n, int threads, const CancelToken &cancel,
                 const std::function<void()> &onExit, Work work)
{
    const std::size_t workers = std::min<std::size_t>(n, std::size_t(std::max(1, threads)));
    std::atomic<std::size_t> next{0};
    auto loop = [&] {
        for (std::size_t i = next++; i < n && !cancel.isCancelled(); i = next++)
            work(i);
        if (onExit)
            onExit();
    };
    if (workers <= 1) {
        loop();
        return;
    }
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w)
        pool.emplace_back(loop);
    for (std::thread &t : pool)
        t.join();
}

// Whether an evaluated point makes evaluating `c` pointless: it has at least c's best possible
// throughput at no more area and HBM, and c could not win a tie against it (see
// betterEvaluation). Pruned candidates therefore never change the best or the area/HBM fronts.
bool dominates(const Evaluation &e, const Candidate &c, double bound)
{
    if (!e.feasible() || e.throughput < bound || e.areaMm2 > c.areaMm2 ||
        e.config.hbmBytes > c.config.hbmBytes)
        return false;
    return e.throughput > bound || e.areaMm2 < c.areaMm2 || e.config.hbmBytes < c.config.hbmBytes ||
           e.candidate < c.index;
}

class Driver
{
public:
    Driver(const std::vector<Candidate> &candidates, const EvaluateFn &evaluate,
           const BoundFn &bound, const SearchOptions &options, ProgressSink progress,
           CancelToken cancel)
        : m_candidates(candidates), m_evaluate(evaluate), m_bound(bound), m_options(options),
          m_progress(std::move(progress)), m_cancel(std::move(cancel)), m_start(Clock::now())
    {
        for (const Evaluation &e : options.resumed)
            m_resumed.emplace(e.candidate, e);
        m_result.counts.total = candidates.size();
        m_result.exactFronts = options.exactFronts && options.strategy == SearchStrategy::Exact;
    }

    SearchResult run()
    {
        if (m_options.strategy == SearchStrategy::Phaze)
            runPhaze();
        else
            runExact();
        std::sort(
            m_result.evaluations.begin(), m_result.evaluations.end(),
            [](const Evaluation &a, const Evaluation &b) { return a.candidate < b.candidate; });
        m_result.elapsedSeconds = elapsed();
        finishResult(m_result);
        if (!m_recorded.ok()) {
            m_result.status = Status::Error;
            m_result.message = m_recorded.message;
            m_result.diagnostics = m_recorded.diagnostics;
        } else if (m_cancel.isCancelled()) {
            m_result.status = Status::Cancelled;
            m_result.message = "cancelled after " + std::to_string(m_result.counts.evaluated) +
                               " of " + std::to_string(m_result.counts.total) + " candidates";
        }
        return std::move(m_result);
    }

private:
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    bool stopped() const { return m_cancel.isCancelled() || !m_recorded.ok(); }

    // Evaluates a batch of candidate positions in parallel, then records the results in the
    // batch's order (deterministic journal and best).
    void evaluateBatch(const std::vector<std::size_t> &batch)
    {
        std::vector<std::optional<Evaluation>> slots(batch.size());
        parallelFor(batch.size(), m_options.threads, m_cancel, m_options.onWorkerExit,
                    [&](std::size_t i) {
                        const Candidate &c = m_candidates[batch[i]];
                        if (auto it = m_resumed.find(c.index); it != m_resumed.end()) {
                            slots[i] = it->second;
                            return;
                        }
                        Evaluation e = m_evaluate(c, m_cancel);
                        // A cancelled evaluation is not a result: it is redone on resume.
                        if (e.status != Status::Cancelled)
                            slots[i] = std::move(e);
                    });
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (!slots[i])
                continue;
            const bool resumed = m_resumed.count(slots[i]->candidate) > 0;
            if (!resumed && m_options.onEvaluation && m_recorded.ok())
                m_recorded = m_options.onEvaluation(*slots[i]);
            record(std::move(*slots[i]), resumed);
        }
        report();
    }

    void record(Evaluation e, bool resumed)
    {
        ++m_result.counts.evaluated;
        if (resumed)
            ++m_result.counts.resumed;
        if (!e.feasible())
            ++m_result.counts.infeasible;
        if (e.feasible() && (!m_best || betterEvaluation(e, *m_best)))
            m_best = e;
        if (e.feasible())
            m_feasible.push_back(e);
        m_result.evaluations.push_back(std::move(e));
    }

    void report()
    {
        Progress p;
        p.phase = m_options.strategy == SearchStrategy::Phaze ? "search (phaze)" : "search (exact)";
        p.total = (long long)m_result.counts.total;
        p.pruned =
            (long long)(m_result.counts.pruned + m_result.counts.skipped + certainlyPrunedAhead());
        p.done = (long long)m_result.counts.evaluated + p.pruned;
        p.elapsedSeconds = elapsed();
        if (m_best)
            p.bestSoFar = m_best->throughput;
        m_progress.report(p);
    }

    // Candidates not reached yet that the loop will prune whatever it finds before them: in
    // bound order, every one whose bound is below the best's throughput (the best only rises).
    // Counted in the progress as pruned, so that done and the ETA follow the work that is left
    // instead of counting them all at the very end. Without exact fronts only: with them a
    // candidate's fate depends on the whole feasible set, too costly to look ahead at.
    std::size_t certainlyPrunedAhead() const
    {
        if (m_options.strategy != SearchStrategy::Exact || m_options.exactFronts || !m_best ||
            m_next >= m_order.size())
            return 0;
        const double best = m_best->throughput;
        const auto firstBelow =
            std::partition_point(m_order.begin() + std::ptrdiff_t(m_next), m_order.end(),
                                 [&](std::size_t pos) { return m_bounds[pos] >= best; });
        return std::size_t(m_order.end() - firstBelow);
    }

    void runExact()
    {
        // Bounds are pure functions of the candidate: compute them in parallel.
        std::vector<double> &bounds = m_bounds;
        bounds.assign(m_candidates.size(), INFINITY);
        if (m_bound)
            parallelFor(m_candidates.size(), m_options.threads, m_cancel, m_options.onWorkerExit,
                        [&](std::size_t i) {
                            const double b = m_bound(m_candidates[i]);
                            bounds[i] = std::isnan(b) ? INFINITY : b;
                        });
        std::vector<std::size_t> &order = m_order;
        order.resize(m_candidates.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return bounds[a] > bounds[b]; });
        const std::size_t batchSize = std::size_t(std::max(1, m_options.batchSize));
        std::size_t &next = m_next;
        next = 0;
        while (next < order.size() && !stopped()) {
            std::vector<std::size_t> batch;
            while (next < order.size() && batch.size() < batchSize) {
                const std::size_t pos = order[next++];
                if (isDominated(m_candidates[pos], bounds[pos]))
                    ++m_result.counts.pruned;
                else
                    batch.push_back(pos);
            }
            evaluateBatch(batch);
        }
    }

    bool isDominated(const Candidate &c, double bound) const
    {
        if (!m_options.exactFronts) {
            // Cannot beat the best: not even a tie it could win (betterEvaluation).
            if (!m_best)
                return false;
            Evaluation optimistic;
            optimistic.candidate = c.index;
            optimistic.areaMm2 = c.areaMm2;
            optimistic.config = c.config;
            optimistic.throughput = bound;
            return !betterEvaluation(optimistic, *m_best);
        }
        for (const Evaluation &e : m_feasible)
            if (dominates(e, c, bound))
                return true;
        return false;
    }

    // PHAZE (Solver/solver.py): candidates grouped by floor(area / 10,000 um2), largest area
    // first; after each group, stop when the best throughputs of the last 5 groups never
    // increase from one group to the next.
    void runPhaze()
    {
        std::map<long long, std::vector<std::size_t>, std::greater<>> buckets;
        const double width = m_options.phazeBucketArea > 0 ? m_options.phazeBucketArea : 0.01;
        for (std::size_t i = 0; i < m_candidates.size(); ++i)
            buckets[(long long)std::floor(m_candidates[i].areaMm2 / width)].push_back(i);
        std::vector<double> bucketBest;
        std::size_t visited = 0;
        for (const auto &[key, members] : buckets) {
            if (stopped())
                break;
            const std::size_t before = m_result.evaluations.size();
            evaluateBatch(members);
            visited += members.size();
            double best = -1.0;
            for (std::size_t i = before; i < m_result.evaluations.size(); ++i)
                if (m_result.evaluations[i].feasible())
                    best = std::max(best, m_result.evaluations[i].throughput);
            bucketBest.push_back(best);
            const std::size_t h = std::size_t(std::max(1, m_options.phazeHysteresis));
            if (bucketBest.size() >= h) {
                bool converged = true;
                for (std::size_t i = bucketBest.size() - h + 1; i < bucketBest.size(); ++i)
                    converged = converged && bucketBest[i - 1] >= bucketBest[i];
                if (converged)
                    break;
            }
        }
        if (!stopped())
            m_result.counts.skipped = m_candidates.size() - visited;
    }

    const std::vector<Candidate> &m_candidates;
    const EvaluateFn &m_evaluate;
    const BoundFn &m_bound;
    const SearchOptions &m_options;
    ProgressSink m_progress;
    CancelToken m_cancel;
    Clock::time_point m_start;
    std::map<std::size_t, Evaluation> m_resumed;
    SearchResult m_result;
    std::optional<Evaluation> m_best;
    std::vector<Evaluation> m_feasible;
    // The exact strategy's bounds, its visiting order (bounds falling) and the next position.
    std::vector<double> m_bounds;
    std::vector<std::size_t> m_order;
    std::size_t m_next = 0;
    Outcome m_recorded = done(); // an Error stops the search (a journal write failed)
};

} // namespace

bool betterEvaluation(const Evaluation &a, const Evaluation &b)
{
    if (a.throughput != b.throughput)
        return a.throughput > b.throughput;
    if (a.areaMm2 != b.areaMm2)
        return a.areaMm2 < b.areaMm2;
    if (a.config.hbmBytes != b.config.hbmBytes)
        return a.config.hbmBytes < b.config.hbmBytes;
    return a.candidate < b.candidate;
}

void finishResult(SearchResult &result)
{
    result.best.reset();
    for (std::size_t i = 0; i < result.evaluations.size(); ++i) {
        const Evaluation &e = result.evaluations[i];
        if (e.feasible() && (!result.best || betterEvaluation(e, result.evaluations[*result.best])))
            result.best = i;
    }
    result.frontArea = paretoFront(result.evaluations, ParetoAxis::Area);
    result.frontHbm = paretoFront(result.evaluations, ParetoAxis::HbmSize);
    result.frontEnergy = paretoFront(result.evaluations, ParetoAxis::EnergyPerSample);
    result.frontPower = paretoFront(result.evaluations, ParetoAxis::PeakPower);
    result.diagnostics.clear();
    if (result.best) {
        result.status = Status::Optimal;
        result.message.clear();
    } else {
        result.status = Status::Infeasible;
        std::string why;
        for (const Evaluation &e : result.evaluations)
            if (!e.message.empty()) {
                why = e.message;
                break;
            }
        result.message = result.evaluations.empty()
                             ? "no candidate was evaluated"
                             : "no evaluated candidate can train the model(s)" +
                                   (why.empty() ? std::string() : "; e.g. " + why);
    }
}

SearchResult runSearch(const std::vector<Candidate> &candidates, const EvaluateFn &evaluate,
                       const BoundFn &bound, const SearchOptions &options, ProgressSink progress,
                       CancelToken cancel)
{
    return Driver(candidates, evaluate, bound, options, std::move(progress), std::move(cancel))
        .run();
}

std::vector<std::size_t> shardIndices(std::size_t count, int index, int shards)
{
    std::vector<std::size_t> out;
    if (shards < 1 || index < 0 || index >= shards)
        return out;
    for (std::size_t i = std::size_t(index); i < count; i += std::size_t(shards))
        out.push_back(i);
    return out;
}

} // namespace phaze
