#pragma once

// The co-design search of a project, end to end: candidates (architecture space or a fixed
// architecture, times the HBM sizes), the exact or PHAZE strategy over them, and the baselines
// every report carries: the tpuv4 preset placed by the DP, the same chip with the model's fixed
// Megatron-style strategy, and a decoupled search (the architecture that minimises per-layer
// latency, placed afterwards).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/io/projectspec.h"
#include "core/search/searchdriver.h"
#include "core/search/searchtypes.h"

namespace phaze {

struct CodesignOptions {
    std::optional<SearchStrategy> strategy; // default: the project's
    int threads = 0;                        // 0: the project's setting (0 there: all cores)
    int shardIndex = 0;
    int shardCount = 1;
    std::string journalPath; // "" for none
    bool resume = false;
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
};

struct CodesignResult {
    SearchResult search;
    std::vector<Candidate> candidates;
    std::vector<Baseline> baselines;
    std::string fingerprint;
    // Where the time went: seconds summed over threads, and cache hit rates.
    double boundSeconds = 0.0, scheduleSeconds = 0.0, placementSeconds = 0.0;
    double scheduleCacheHitRate = 0.0, costCacheHitRate = 0.0;

    // The report's extra JSON (baselines and gains) for searchResultToJson.
    std::string extraJson() const;
    // A human summary (the CLI prints it).
    std::string summary() const;
};

// The deterministic candidate list of a project (or of one architecture).
Result<std::vector<Candidate>> buildCandidates(const ProjectSpec &project,
                                               const std::string &baseDir,
                                               const std::optional<AcceleratorConfig> &only = {});

// The fingerprint a search of the whole project (one shard) carries: it changes when the
// project or its candidate list does, so saved results and journals can be matched to it.
Result<std::string> searchFingerprint(const ProjectSpec &project, const std::string &baseDir);

Result<CodesignResult> runCodesign(const ProjectSpec &project, const std::string &baseDir,
                                   const CodesignOptions &options, ProgressSink progress = {},
                                   CancelToken cancel = {});

} // namespace phaze
