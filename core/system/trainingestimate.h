#pragma once

// The time and memory of one training iteration of a transformer under a fixed parallel layout
// on a cluster (docs/system-model.md): per-operator costs from the cost model, the layer's
// operators run one after another across the whole chip, tensor-parallel collectives,
// pipeline transfers and the bubble of the pipeline schedule, data-parallel gradient reduction
// and the optimizer step. Pure and fast: no file access, no solver.

#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/cost/costmodel.h"
#include "core/cost/layerefficiency.h"
#include "core/placement/pipelinetimeline.h"
#include "core/spec/transformerspec.h"
#include "core/spec/acceleratorconfig.h"
#include "core/spec/clusterspec.h"
#include "core/spec/trainingrecipe.h"

namespace phaze {

struct TrainingProblem {
    TransformerSpec model;
    int sequence = 0; // 0: the model's own
    AcceleratorConfig chip;
    ClusterSpec cluster;
    TrainingRecipe recipe;
    ParallelLayout layout;
};

// Seconds per iteration on one device (the stage that ends last), by cause. They add up to the
// iteration time; the bubble is the time that stage waits for its neighbours.
struct TimeBreakdown {
    double forward = 0.0;           // compute of the forward passes
    double backward = 0.0;          // compute of the backward passes
    double recomputation = 0.0;     // forward work replayed in the backward pass (compute + comm)
    double tensorParallel = 0.0;    // tensor-parallel collectives of forward and backward
    double expertParallel = 0.0;    // expert dispatch and combine all-to-alls (forward, backward)
    double contextParallel = 0.0;   // the ring exchange of K and V the attention does not hide
    double pipelineTransfers = 0.0; // point-to-point activations and gradients between stages
    double bubble = 0.0;            // pipeline fill and drain, waits for other stages
    double dataParallel = 0.0;      // gradient reduction not hidden behind the backward pass
    double optimizerStep = 0.0;     // the optimizer's pass over its state
    double total() const
    {
        return forward + backward + recomputation + tensorParallel + expertParallel +
               contextParallel + pipelineTransfers + bubble + dataParallel + optimizerStep;
    }
};

// Bytes on one device.
struct DeviceMemory {
    double weights = 0.0;
    double gradients = 0.0;
    double optimizer = 0.0;   // master weights and moments (after sharding)
    double activations = 0.0; // one microbatch through every chunk of the device
    double inFlight = 0.0;    // the other microbatches whose activations are held
    double parametersAndOptimizer() const { return weights + gradients + optimizer; }
    double activationTotal() const { return activations + inFlight; }
    double total() const { return parametersAndOptimizer() + activationTotal(); }
};

struct StageEstimate {
    std::vector<int> layers;     // the layers it holds (PHAZE's numbering), in order
    double microbatchTime = 0.0; // s per microbatch, all its chunks: compute, collectives, sends
    double parameters = 0.0;     // parameters held by one device of the stage
    long long inFlight = 0;      // microbatch-chunks whose activations are held at the peak
    DeviceMemory memory;
};

struct TrainingEstimate {
    double iterationTime = 0.0; // s: the end of the simulated schedule (trainingschedule.h)
    TimeBreakdown time;         // of the critical stage
    int criticalStage = 0;      // the stage whose optimizer step ends last
    DeviceMemory memory; // of the device with the most memory
    int fullestStage = 0;
    bool fits = true; // the fullest device's memory fits in its HBM
    // False when estimateTrainingBelow skipped the schedule: iterationTime is then only a lower
    // bound (every stage's work plus its optimizer step) and the time breakdown is empty.
    bool simulated = true;
    long long microbatches = 0;
    double modelFlops = 0.0;           // per iteration, forward + backward, no recomputation
    double throughputPerDevice = 0.0;  // FLOP/s: modelFlops / (iteration time x devices)
    double energyPerSample = 0.0;      // J: dynamic + static
    double dynamicEnergyPerSample = 0.0; // J: the operators' forward and backward compute
    double staticEnergyPerSample = 0.0;  // J: every device's static power over the iteration
    double modelFlopsUtilisation = 0.0;  // throughputPerDevice over the chip's peak FLOP/s
    // Each distinct layer's FLOPs over its forward and backward compute over the chip's peak
    // (empty when not simulated).
    std::vector<LayerEfficiency> layerEfficiency;
    std::vector<StageEstimate> stages; // one per pipeline stage
    std::vector<TimelineEvent> timeline; // only from estimateTrainingWithTimeline
};

// Error (naming the field) when the layout does not fit the model or the cluster, or when the
// problem asks for something not modelled yet.
Result<TrainingEstimate> estimateTraining(const TrainingProblem &problem, const CostModel &costs);

// For a search: the same estimate, except that the schedule is not simulated when the fullest
// device does not fit (given a finite cutoff) or when a lower bound on the iteration time is at
// least `cutoff`; such an estimate says simulated = false.
Result<TrainingEstimate> estimateTrainingBelow(const TrainingProblem &problem,
                                               const CostModel &costs, double cutoff);

// The same estimate with every operation of the schedule (for the Pipeline tab and the trace).
Result<TrainingEstimate> estimateTrainingWithTimeline(const TrainingProblem &problem,
                                                      const CostModel &costs);

} // namespace phaze
