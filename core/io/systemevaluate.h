#pragma once

// `phaze evaluate` under the system profile (training.profile: system): each model of a project
// on its fixed architecture and cluster, the best layout the strategy allows
// (core/system/layoutsearch.h), with its time and memory breakdown, as text and JSON.

#include <string>
#include <vector>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/base/status.h"
#include "core/spec/projectspec.h"
#include "core/system/layoutsearch.h"

namespace phaze {

struct SystemModelOutcome {
    std::string model;
    Status status = Status::Error;
    std::string message; // why not, when there is no layout
    LayoutSearchResult result;
    double samplesPerSecond = 0.0;
};

struct SystemEvaluation {
    std::string project;
    AreaBreakdown area;   // the chip's, per-core costs included
    PowerBreakdown power; // at peak (a TDP estimate)
    std::vector<SystemModelOutcome> models;
};

// Error (with the field) when the project cannot be evaluated under the system profile: no
// fixed architecture, a model that is not a transformer of the zoo, a technology file that
// does not load. A model without a layout that fits is an outcome, not an error.
Result<SystemEvaluation> evaluateSystemProject(const ProjectSpec &project, const std::string &baseDir,
                                               ProgressSink progress = {}, CancelToken cancel = {});

std::string systemEvaluationText(const SystemEvaluation &evaluation);
// {"format": "phaze-system-evaluation/1", "models": [{name, status, layout: {tp, pp, dp,
// microbatch, interleave, recomputation, sequence_parallel, optimizer_sharding},
// iteration_time_s, samples_per_s, time_s: {...}, memory_bytes: {...}, ...}]}
std::string systemEvaluationJson(const SystemEvaluation &evaluation);
// Chrome trace (Perfetto) of each model's best layout: one process per model, one track per
// pipeline stage, every forward, backward, send, reduction and optimizer step of the simulated
// schedule; the last event ends at the iteration time evaluate prints.
std::string systemEvaluationTrace(const SystemEvaluation &evaluation);

} // namespace phaze
