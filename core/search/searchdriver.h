#pragma once

// The outer search driver (conventions.md rule 8): the candidate list enumerates, the strategy
// decides what to evaluate next, an evaluator scores one candidate, and the driver checks the
// cancellation token between evaluations. Results do not depend on the thread count: the exact
// strategy works in fixed-size batches in a fixed order and prunes only between batches.

#include <functional>
#include <vector>

#include "core/base/progress.h"
#include "core/search/searchtypes.h"
#include "core/spec/projectspec.h"

namespace phaze {

using EvaluateFn = std::function<Evaluation(const Candidate &, const CancelToken &)>;
// An upper bound on a candidate's throughput (mean over models); +infinity when unknown.
using BoundFn = std::function<double(const Candidate &)>;

struct SearchOptions {
    SearchStrategy strategy = SearchStrategy::Exact;
    int threads = 1;    // worker threads (>= 1)
    int batchSize = 16; // exact strategy: candidates evaluated between pruning decisions
    // Exact strategy: false prunes every candidate whose bound cannot beat the best found (the
    // best is exact; fronts cover the evaluated candidates); true prunes only candidates that an
    // evaluated one dominates in throughput, area and HBM, so the area and HBM Pareto fronts are
    // exact too (at the price of evaluating more).
    bool exactFronts = false;
    double phazeBucketArea = 0.01; // mm2; PHAZE groups by 10,000 um2 of area
    int phazeHysteresis = 5;       // PHAZE stops when the last 5 bucket maxima never increase
    // Evaluations recovered from a journal: used instead of evaluating their candidates again.
    std::vector<Evaluation> resumed;
    // Called on the driver's thread for every new evaluation, in a deterministic order (the
    // journal writer). Returning an Error aborts the search with that error (its message and
    // diagnostics become the result's).
    std::function<Outcome(const Evaluation &)> onEvaluation;
    // Called at the end of every worker thread (e.g. to free per-thread solver state).
    std::function<void()> onWorkerExit;
};

SearchResult runSearch(const std::vector<Candidate> &candidates, const EvaluateFn &evaluate,
                       const BoundFn &bound, const SearchOptions &options,
                       ProgressSink progress = {}, CancelToken cancel = {});

// Deterministic split of `count` candidates into `shards` parts (interleaved, so that every
// shard sees small and large areas): the indices shard `index` (0-based) owns.
std::vector<std::size_t> shardIndices(std::size_t count, int index, int shards);

// The lexicographic order that decides the best: higher throughput, then smaller area, then
// smaller HBM, then smaller candidate index. True when a is better than b.
bool betterEvaluation(const Evaluation &a, const Evaluation &b);

// Fills best, the Pareto fronts and the status/message of a result from its evaluations
// (shared by the driver and `phaze merge`).
void finishResult(SearchResult &result);

} // namespace phaze
