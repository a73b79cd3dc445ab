#pragma once

// What the evaluation recipe scores and reports: a candidate (one architecture at one HBM size)
// and its evaluation, with the best training configuration found for each model. Shared by the
// evaluator, the search, the journal and the views.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/base/status.h"
#include "core/cost/layerefficiency.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

// One point of the search: an architecture (its hbmBytes set to one of the HBM sizes).
struct Candidate {
    std::size_t index = 0; // position in the deterministic candidate list
    AcceleratorConfig config;
    double areaMm2 = 0.0;
    double peakPowerW = 0.0; // power at peak, a TDP estimate (core/arch/powermodel.h), W
};

struct StageChoice {
    std::vector<int> layers; // layer ids (PHAZE numbering), in order
    int devices = 1;
};

// The best training configuration found for one model on one candidate.
struct ModelOutcome {
    std::string model;
    Status status = Status::Error;
    std::string message;       // why infeasible, or the solver's caveat
    double throughput = 0.0;   // samples/s
    double timePerBatch = 0.0; // s
    int dataParallel = 0;      // d
    int pipelineStages = 0;    // p
    int tensorParallel = 0;    // t
    int microbatch = 0;
    bool recomputation = false;
    std::vector<StageChoice> stages;
    double memoryPerDevice = 0.0;          // bytes, the most loaded stage
    std::optional<double> fixedThroughput; // Megatron-style baseline; empty when it does not fit
    double energyPerSample = 0.0;          // J; the system profile includes static power
    // Model FLOP/s per device over the chip's peak (system profile; 0 under PHAZE's).
    double modelFlopsUtilisation = 0.0;
    // Each distinct layer's efficiency at the chosen layout: under PHAZE's profile over its
    // exact schedule at the chosen tensor-parallel width, under the system profile over its
    // kernels one after another at the chosen tp, microbatch and sequence parallelism.
    std::vector<LayerEfficiency> layerEfficiency;
};

struct Evaluation {
    std::size_t candidate = 0;
    AcceleratorConfig config;
    double areaMm2 = 0.0;
    double peakPowerW = 0.0; // W, the candidate's
    // What the chip is made of, under the technology table that scored it: the terms of
    // areaMm2 and of peakPowerW (all zero in results written before they were carried).
    AreaBreakdown area;
    PowerBreakdown power;
    Status status = Status::Error; // Optimal/Feasible when every model has a placement
    std::string message;
    double throughput = 0.0;      // mean over models (PHAZE), samples/s
    double energyPerSample = 0.0; // mean over models, J
    std::vector<ModelOutcome> models;

    bool feasible() const { return hasAnswer(status); }
    bool carriesChipBreakdown() const { return area.total() > 0.0; }
};

} // namespace phaze
