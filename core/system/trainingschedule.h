#pragma once

// The schedule of one training iteration, operation by operation (docs/system-model.md,
// "Time"): every stage runs its forward and backward passes of every microbatch and model chunk
// in the order of its pipeline schedule (GPipe, 1F1B, or Megatron's interleaved 1F1B with v
// chunks per device), each as soon as its stage is free and its input from the neighbouring
// stage has arrived; then each stage reduces its gradients over the data-parallel group
// (overlapping its last backward pass when the recipe says so) and runs its optimizer step.
// The iteration ends when the last stage's optimizer step does: that end is the system profile's
// time per iteration, the one number that evaluate, the search, the Pipeline tab and the trace
// show.

#include <vector>

#include "core/base/status.h"
#include "core/placement/pipelinetimeline.h"
#include "core/spec/trainingrecipe.h"

namespace phaze {

// Seconds of one microbatch through one model chunk of one stage.
struct ChunkWork {
    double forward = 0.0;      // compute and tensor-parallel collectives
    double backward = 0.0;     // the same, replayed forward work included
    double forwardSend = 0.0;  // activation to the next chunk (0 for the model's last chunk)
    double backwardSend = 0.0; // gradient to the previous chunk (0 for the model's first chunk)
};

struct ScheduleProblem {
    int stages = 1;            // p
    int chunks = 1;            // v, model chunks per stage
    long long microbatches = 1; // m, per pipeline and iteration
    PipelineSchedule schedule = PipelineSchedule::OneFOneB;
    std::vector<ChunkWork> work;         // stage-major: work[stage * chunks + chunk]
    std::vector<double> reduction;       // like work: seconds to reduce each chunk's gradients
    std::vector<double> optimizerStep;   // per stage: seconds of its optimizer step
    // A chunk's reduction starts with its last backward pass (its buckets are reduced as their
    // gradients become final); otherwise every reduction waits for the stage's last backward.
    bool overlapReduction = true;
};

struct StageSchedule {
    double busy = 0.0;          // forward, backward and sends of every microbatch
    double lastBackwardEnd = 0.0;
    double reductionEnd = 0.0;  // when its gradients are reduced (>= lastBackwardEnd)
    double end = 0.0;           // when its optimizer step ends
};

struct ScheduleResult {
    double iterationTime = 0.0; // the latest stage end
    int criticalStage = 0;      // the stage that ends last (the first of equals)
    std::vector<StageSchedule> stages;
    std::vector<TimelineEvent> events; // only when asked for
};

// Microbatch-chunks whose activations a stage holds at its peak under the schedule's order.
long long peakInFlightChunks(PipelineSchedule schedule, int stage, int stages, int chunks,
                             long long microbatches);

// Error when the problem is inconsistent (sizes, an interleaved GPipe, a microbatch count the
// interleaved schedule cannot take).
Result<ScheduleResult> simulateTrainingSchedule(const ScheduleProblem &problem, bool keepEvents);

} // namespace phaze
