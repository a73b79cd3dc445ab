#pragma once

// The co-design search of a project, end to end: candidates (architecture space or a fixed
// architecture, times the HBM sizes), the exact or PHAZE strategy over them, and the baselines
// every report carries: the tpuv4 preset placed by the DP, the same chip with the model's fixed
// Megatron-style strategy, and a decoupled search (the architecture that minimises per-layer
// latency, placed afterwards). Works on a prepared project and reads no file: io's runCodesign
// (core/io/projectsearch.h) prepares the project, names the search and keeps its journal.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/arch/technology.h"
#include "core/base/progress.h"
#include "core/evaluation/evaluator.h"
#include "core/evaluation/preparedproject.h"
#include "core/search/searchdriver.h"
#include "core/search/searchtypes.h"
#include "core/spec/projectspec.h"

namespace phaze {

struct CodesignOptions {
    std::optional<SearchStrategy> strategy; // default: the project's
    int threads = 0;                        // 0: the project's setting (0 there: all cores)
    int shardIndex = 0;
    int shardCount = 1;
    // The journal, for io's runCodesign, which reads and writes it ("" for none); the engine
    // gets what it needs as `resumed` and `record`.
    std::string journalPath;
    bool resume = false;
    // Evaluations taken from a journal instead of being evaluated again.
    std::vector<Evaluation> resumed;
    // Called for every new evaluation before onEvaluation (the journal writer): an Error stops
    // the search.
    std::function<Outcome(const Evaluation &)> record;
    bool baselines = true;
    bool exactFronts = false; // see SearchOptions::exactFronts
    // Called on the search's driver thread for every new evaluation, in a deterministic order
    // (after the journal line is written), e.g. to stream results into a view.
    std::function<void(const Evaluation &)> onEvaluation;
    // Evaluate this architecture only (at every HBM size), instead of the project's space.
    std::optional<AcceleratorConfig> architecture;
};

struct Baseline {
    std::string name; // "tpuv4 + DP", "tpuv4 + fixed strategy", "decoupled"
    std::optional<Evaluation> evaluation;
    std::optional<double> throughput; // samples/s (mean over models)
    std::string message;              // why it has no throughput
    // The chip it runs on where there is no `evaluation` (the fixed strategy is known by its
    // time per batch alone): its architecture, area and power.
    std::optional<Candidate> chip;
};

struct CodesignResult {
    SearchResult search;
    std::vector<Candidate> candidates;
    std::vector<Baseline> baselines;
    std::string fingerprint; // set by io's runCodesign
    // What scored the candidates (prepared project, caches): views replay results with it.
    std::shared_ptr<const Evaluator> evaluator;
    // Where the time went: seconds summed over threads, and cache hit rates.
    double boundSeconds = 0.0, scheduleSeconds = 0.0, placementSeconds = 0.0;
    double scheduleCacheHitRate = 0.0, costCacheHitRate = 0.0;

    // A human summary (the CLI prints it).
    std::string summary() const;
};

// The deterministic candidate list of a project (or of one architecture), with areas from the
// technology table.
Result<std::vector<Candidate>> buildCandidates(const ProjectSpec &project,
                                               const TechnologyTable &technology,
                                               const std::optional<AcceleratorConfig> &only = {});

// Searches options' shard of `all` (buildCandidates of the prepared project) and adds the
// baselines. The journal fields of options are not used here (see CodesignOptions).
Result<CodesignResult> codesign(std::shared_ptr<const PreparedProject> prepared,
                                const std::vector<Candidate> &all, const CodesignOptions &options,
                                ProgressSink progress = {}, CancelToken cancel = {});

} // namespace phaze
