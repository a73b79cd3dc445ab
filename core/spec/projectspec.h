#pragma once

// Plain spec structs of a project file (architecture.md "Layers"). Only core/io reads
// and writes YAML; everything downstream sees these structs. The member defaults are the
// parameters' defaults: the parameter registry (core/arch/parameterregistry.h) binds each
// parameter to its member and reads its default from a default-constructed struct.

#include <optional>
#include <string>
#include <vector>

#include "core/spec/acceleratorconfig.h"
#include "core/spec/clusterspec.h"
#include "core/spec/searchdefaults.h"
#include "core/spec/transformerspec.h"
#include "core/spec/trainingrecipe.h"

namespace phaze {

// A model of the project: a zoo key, an operator-graph JSON file, or a parametric transformer.
struct ModelRef {
    std::string zoo;  // e.g. "gpt3-175b"
    std::string file; // path as written in the project (relative to the project file)
    int sequence = 0; // sequence length override; 0 keeps the model's own
    std::optional<TransformerSpec> transformer; // given in the project; its key is its name
    std::string huggingface; // config.json path as written; `transformer` holds what it says
    bool operator==(const ModelRef &) const = default;
    std::string label() const
    {
        return transformer ? transformer->key : zoo.empty() ? file : zoo;
    }
};

// Either an explicit list of values, or all powers of two in [min, max].
struct ValueRange {
    std::vector<double> values;
    bool isRange = false;
    double min = 0.0;
    double max = 0.0;

    static ValueRange powersOfTwo(double min, double max) { return {{}, true, min, max}; }
    static ValueRange list(std::vector<double> values) { return {std::move(values), false, 0, 0}; }
    std::vector<double> expand() const;
    bool operator==(const ValueRange &) const = default;
};

// The architecture space to search (algorithms.md §2). Parameters not listed here (HBM
// bandwidth, frequency, bytes per element) come from `base`.
struct ArchSpaceSpec {
    ValueRange numTc = ValueRange::powersOfTwo(1, 4096);
    ValueRange tcWidth = ValueRange::powersOfTwo(2, 256);
    ValueRange tcDepth = ValueRange::powersOfTwo(2, 256);
    ValueRange numVc = ValueRange::powersOfTwo(1, 4096);
    std::vector<double> vcWidth; // empty: tied to the TC width (PHAZE)
    ValueRange glbSize = ValueRange::powersOfTwo(2.0 * 1024 * 1024, 128.0 * 1024 * 1024);
    std::string areaBudgetPreset = "tpuv4"; // budget = this preset's area, unless empty
    double areaBudget = 0.0;                // mm2, used when areaBudgetPreset is empty
    double areaMinFraction = 0.3;
    double powerBudget = 0.0; // W at peak (a TDP estimate); 0: no power budget
    bool operator==(const ArchSpaceSpec &) const = default;
};

// A fixed architecture: a preset plus overrides, kept apart so that saving writes back the
// preset name and only the fields the user changed.
struct ArchitectureSpec {
    std::string preset = "tpuv4"; // empty: every field given explicitly
    AcceleratorConfig config;     // resolved (preset values with overrides applied)
    bool operator==(const ArchitectureSpec &) const = default;
};

enum class SearchStrategy { Exact, Phaze };

struct TrainingSpec {
    int accelerators = 1024;
    long long globalBatch = 4096;
    std::vector<int> microbatchSizes{1, 2, 4, 8};
    std::vector<double> hbmSizes{32.0 * (1ull << 30), 64.0 * (1ull << 30), 80.0 * (1ull << 30)};
    std::vector<bool> recomputation{false, true};
    std::vector<int> tensorParallelWidths; // empty: each model's own widths
    Optimizer optimizer = Optimizer::Sgd;
    double linkBandwidth = 4.0 * (1ull << 30);
    PipelineSchedule pipelineSchedule = PipelineSchedule::OneFOneB;
    // The model profile: the system model unless a project asks for PHAZE's formulas
    // (docs/system-model.md); PHAZE's profile ignores the recipe keys below.
    ModelProfile profile = ModelProfile::System;
    Precision precision = Precision::Bf16Mixed;
    AttentionKernel attention = AttentionKernel::Materialized;
    bool fp32Gradients = true;
    // Mixture of experts: the busiest device's routed tokens over the mean (1: balanced), and
    // the expert capacity in units of the mean (0: dropless, no cap).
    double expertLoadImbalance = 1.0;
    double expertCapacityFactor = 0.0;
    bool overlapGradientReduction = true;
    bool operator==(const TrainingSpec &) const = default;
};

struct SearchSpec {
    SearchStrategy strategy = SearchStrategy::Exact;
    int threads = 0;
    double ilpTimeLimit = kDefaultIlpTimeLimit; // s
    double mipGap = kDefaultMipGap;
    long long maxDownsets = kDefaultMaxDownsets;
    bool fusion = true;
    bool operator==(const SearchSpec &) const = default;
};

struct ProjectSpec {
    int formatVersion = 1;
    std::string name;
    std::string description;
    std::vector<ModelRef> models;
    std::optional<ArchitectureSpec> architecture; // a fixed design point to evaluate
    std::optional<ArchSpaceSpec> space;           // a space to search
    std::string technology = "default";           // "default" or a technology-table YAML path
    TrainingSpec training;
    ClusterSpec cluster = defaultCluster(); // the system profile's cluster
    StrategySpec strategy;                  // the system profile's fixed choices
    SearchSpec search;
    bool operator==(const ProjectSpec &) const = default;
};

} // namespace phaze
