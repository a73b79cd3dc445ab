#pragma once

// How a model is trained (docs/system-model.md): number formats and optimizer, what is kept for
// the backward pass, how the pipeline is scheduled, and the parallel layout. Plain structs.

#include <string>
#include <vector>

namespace phaze {

enum class Optimizer { Sgd, Adam };
enum class PipelineSchedule { OneFOneB, GPipe };

// Number formats of the weights the math uses and of the optimizer's copy.
enum class Precision {
    Bf16Mixed, // bf16 weights and activations, fp32 master weights (Megatron's --bf16)
    Fp16Mixed, // the same with fp16 (and a loss scale)
    Fp32,      // everything in fp32, no master copy
};

// What the backward pass recomputes (Korthikanti et al. 2022, with Megatron's meaning).
enum class Recomputation {
    None,      // every activation is kept
    Selective, // the attention core (QK^T, softmax, its dropout, attention over V) is replayed
    Full,      // only each layer's input is kept; the whole layer is replayed, on every stage
};

// How the attention core runs: Megatron-LM's 2021-22 kernels write the scores to HBM and keep
// the softmax output for the backward pass; FlashAttention-style kernels (Dao et al. 2022) keep
// them on chip and recompute them in the backward pass.
enum class AttentionKernel { Materialized, Fused };

struct TrainingRecipe {
    Precision precision = Precision::Bf16Mixed;
    AttentionKernel attention = AttentionKernel::Materialized;
    Optimizer optimizer = Optimizer::Adam;
    // Gradients accumulated and reduced in fp32 (Megatron does so whenever it trains in bf16).
    bool fp32Gradients = true;
    bool optimizerSharding = false; // ZeRO-1 / distributed optimizer over the data-parallel group
    Recomputation recomputation = Recomputation::None;
    bool sequenceParallel = false;
    PipelineSchedule schedule = PipelineSchedule::OneFOneB;
    int interleave = 1; // model chunks per device (v); > 1 only with 1F1B
    bool overlapGradientReduction = true; // data-parallel reduction overlaps the last backward
    // Megatron's scatter/gather of pipeline transfers over the tensor-parallel group.
    bool scatterGatherTransfers = true;
    // Mixture of experts (docs/system-model.md, "Experts"): routing is never perfectly even;
    // the device that receives the most token copies, `expertLoadImbalance` times the mean,
    // sets the pace of the experts and their all-to-alls. A capacity factor c > 0 drops the
    // copies beyond c times the mean (so the load is at most c); 0: dropless.
    double expertLoadImbalance = 1.0;
    double expertCapacityFactor = 0.0;
    // The factor by which the busiest device's expert work exceeds the mean.
    double expertLoad() const
    {
        return expertCapacityFactor > 0.0 && expertCapacityFactor < expertLoadImbalance
                   ? expertCapacityFactor
                   : expertLoadImbalance;
    }
    bool operator==(const TrainingRecipe &) const = default;
};

// A fixed parallel layout: t x cp x p x d devices, microbatch b, global batch B sequences; with
// experts, ep of the d data-parallel ranks share the routed experts (Megatron-Core's expert
// parallelism inside the data-parallel group).
struct ParallelLayout {
    int tensor = 1;   // t
    int pipeline = 1; // p
    int data = 1;     // d
    int microbatch = 1;
    long long globalBatch = 1;
    int expert = 1; // ep: the routed experts spread over ep of the d data-parallel ranks
    int context = 1; // cp: each sequence split over cp devices (ring attention)
    bool operator==(const ParallelLayout &) const = default;

    long long devices() const
    {
        return static_cast<long long>(tensor) * context * pipeline * data;
    }
    // Microbatches per pipeline per iteration: B / (b d).
    long long microbatches() const { return globalBatch / (static_cast<long long>(microbatch) * data); }
};

// What a project fixes of the layout and recipe (`strategy:`): one value fixes a choice, several
// are alternatives, an empty list is searched (docs/system-model.md, "Strategy").
struct StrategySpec {
    std::vector<int> tensor;     // tp
    std::vector<int> pipeline;   // pp
    std::vector<int> data;       // dp; empty ("rest"): the devices left by tp x pp
    std::vector<int> microbatch; // empty: training.microbatch_sizes
    std::vector<int> interleave{1}; // chunks per device; 1: no interleaving
    std::vector<Recomputation> recomputation; // empty: none, selective and full
    std::vector<bool> sequenceParallel;       // empty: off and on
    std::vector<bool> optimizerSharding{false};
    std::vector<int> expert; // ep; empty: the divisors of the experts that divide dp (1 if dense)
    std::vector<int> context{1}; // cp; 1: no context parallelism
    bool operator==(const StrategySpec &) const = default;
};

// How a project's numbers are computed.
enum class ModelProfile {
    Phaze,  // PHAZE's formulas exactly: closed form, first-stage all-reduce, one link
    System, // the system model of docs/system-model.md on the project's cluster
};

std::string precisionName(Precision p);
std::string recomputationName(Recomputation r);

// Bytes per parameter of each kind of state (docs/system-model.md, "Memory").
struct ParameterStateBytes {
    double weights = 0.0;   // the copy the math reads
    double gradients = 0.0; // accumulated over microbatches
    double optimizer = 0.0; // master weights and optimizer moments, before sharding
};
ParameterStateBytes parameterStateBytes(const TrainingRecipe &recipe);

} // namespace phaze
