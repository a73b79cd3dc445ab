#pragma once

// Microbatch-by-microbatch simulation of a placement's pipeline (1F1B or GPipe) for one
// data-parallel replica: the start and end of every forward and backward of every microbatch on
// every stage, then each stage's data-parallel all-reduce. Its makespan is reported next to
// the DP's closed-form time per batch, which it checks (equal for uniform stage loads, a
// little lower when loads differ, since the closed form charges every slot the largest load).
//
// A stage's forward/backward durations are the stage's per-microbatch forward and backward
// parts of its load (transfers from other stages are already inside them, as in the DP), and
// an operation starts when its stage is free and its input from the neighbouring stage is done.

#include <vector>

#include "core/placement/placement.h"

namespace phaze {

// AllReduce is a stage's data-parallel gradient reduction; Transfer a send to the neighbouring
// stage and OptimizerStep the optimizer's pass (both only in the system profile's schedule).
enum class TimelineKind { Forward, Backward, AllReduce, Transfer, OptimizerStep };

struct TimelineEvent {
    int stage = 0;       // 0 = first stage
    int microbatch = -1; // -1 for the all-reduce and the optimizer step
    TimelineKind kind = TimelineKind::Forward;
    double start = 0.0;
    double end = 0.0;
    int chunk = 0; // the model chunk of an interleaved schedule
};

struct PipelineTimeline {
    std::vector<TimelineEvent> events; // in execution order per stage
    double pipelineMakespan = 0.0;     // end of the last backward
    double makespan = 0.0;             // including the all-reduces
    double closedForm = 0.0;           // the placement's time per batch
    // Idle share of stage time before the all-reduces (the system profile: the critical stage's
    // waits over the whole iteration).
    double bubbleFraction = 0.0;
};

PipelineTimeline simulatePipeline(const Placement &placement, PipelineSchedule schedule,
                                  double bandwidth);

} // namespace phaze
