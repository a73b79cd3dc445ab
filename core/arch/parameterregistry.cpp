#include "core/arch/parameterregistry.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <type_traits>

namespace phaze {
namespace {

constexpr double kKiB = 1024.0;
constexpr double kMiB = 1024.0 * kKiB;
constexpr double kGiB = 1024.0 * kMiB;
constexpr double kTiB = 1024.0 * kGiB;

// Bindings: a member pointer M of a spec struct becomes a pair of plain functions.
template <typename> struct MemberOf;
template <typename S, typename F> struct MemberOf<F S::*> {
    using Struct = S;
    using Field = F;
};

template <typename F> double toNumber(F value)
{
    if constexpr (std::is_enum_v<F>)
        return double(int(value));
    else
        return double(value);
}

template <typename F> F fromNumber(double value)
{
    if constexpr (std::is_enum_v<F>)
        return F(int(value));
    else if constexpr (std::is_same_v<F, bool>)
        return value != 0.0;
    else
        return F(value);
}

template <auto M> ParamBinding scalarField()
{
    using S = typename MemberOf<decltype(M)>::Struct;
    using F = typename MemberOf<decltype(M)>::Field;
    FieldBinding<S> b;
    b.get = [](const S &s) {
        ParamValue v;
        v.number = toNumber<F>(s.*M);
        return v;
    };
    b.set = [](S &s, const ParamValue &v) {
        s.*M = fromNumber<F>(v.number);
    };
    return b;
}

template <auto M> ParamBinding listField()
{
    using S = typename MemberOf<decltype(M)>::Struct;
    using E = typename MemberOf<decltype(M)>::Field::value_type;
    FieldBinding<S> b;
    b.get = [](const S &s) {
        ParamValue v;
        for (const E e : s.*M) // a copy: std::vector<bool> hands out proxies
            v.list.push_back(toNumber<E>(e));
        return v;
    };
    b.set = [](S &s, const ParamValue &v) {
        (s.*M).clear();
        for (double d : v.list)
            (s.*M).push_back(fromNumber<E>(d));
    };
    return b;
}

template <auto M> ParamBinding rangeField()
{
    using S = typename MemberOf<decltype(M)>::Struct;
    FieldBinding<S> b;
    b.get = [](const S &s) {
        ParamValue v;
        v.range = s.*M;
        return v;
    };
    b.set = [](S &s, const ParamValue &v) {
        s.*M = v.range;
    };
    return b;
}

// A field of one link tier of the cluster.
template <LinkTier ClusterSpec::*Tier, double LinkTier::*Field> ParamBinding tierField()
{
    FieldBinding<ClusterSpec> b;
    b.get = [](const ClusterSpec &c) {
        ParamValue v;
        v.number = (c.*Tier).*Field;
        return v;
    };
    b.set = [](ClusterSpec &c, const ParamValue &v) {
        (c.*Tier).*Field = v.number;
    };
    return b;
}

// area_budget: a preset's name (its area is the budget) or an area.
ParamBinding areaBudgetField()
{
    FieldBinding<ArchSpaceSpec> b;
    b.get = [](const ArchSpaceSpec &s) {
        ParamValue v;
        v.preset = s.areaBudgetPreset;
        v.number = s.areaBudget;
        return v;
    };
    b.set = [](ArchSpaceSpec &s, const ParamValue &v) {
        s.areaBudgetPreset = v.preset;
        s.areaBudget = v.preset.empty() ? v.number : 0.0;
    };
    return b;
}

ParameterSpec param(ParamGroup group, std::string key, ParamType type, Dimension dim, double min,
                    double max, std::string description, ParamBinding binding)
{
    ParameterSpec p;
    p.group = group;
    p.key = std::move(key);
    p.type = type;
    p.dimension = dim;
    p.min = min;
    p.max = max;
    p.description = std::move(description);
    p.binding = std::move(binding);
    return p;
}

ParameterSpec boolean(ParamGroup group, std::string key, std::string description,
                      ParamBinding binding)
{
    return param(group, std::move(key), ParamType::Boolean, Dimension::Count, 0, 1,
                 std::move(description), std::move(binding));
}

ParameterSpec choice(ParamGroup group, std::string key, std::vector<std::string> choices,
                     std::string description, ParamBinding binding)
{
    ParameterSpec p = param(group, std::move(key), ParamType::Choice, Dimension::Count, 0,
                            double(choices.size() - 1), std::move(description), std::move(binding));
    p.choices = std::move(choices);
    return p;
}

ParameterSpec pow2(ParameterSpec p)
{
    p.powerOfTwo = true;
    return p;
}

ParameterSpec listOf(ParameterSpec p)
{
    p.shape = ParamShape::List;
    p.list = true;
    return p;
}

ParameterSpec rangeOf(ParameterSpec p)
{
    p.shape = ParamShape::Range;
    p.list = true;
    return p;
}

// A parameter read by one model profile only (ParameterSpec::scope).
ParameterSpec onlyUnder(ProfileScope scope, ParameterSpec p)
{
    p.scope = scope;
    return p;
}

// A list that may be empty; `word` is how an empty one is written ("" writes []) and
// `meaning` what an empty default does, shown as the default in `phaze params` and the docs.
ParameterSpec mayBeEmpty(ParameterSpec p, std::string word, std::string meaning)
{
    p.emptyAllowed = true;
    p.emptyWord = std::move(word);
    p.defaultText = std::move(meaning);
    return p;
}

ParameterSpec orPreset(ParameterSpec p)
{
    p.presetName = true;
    return p;
}

bool isPowerOfTwo(double v)
{
    if (v < 1.0 || v != std::floor(v))
        return false;
    int exp = 0;
    return std::frexp(v, &exp) == 0.5;
}

// A binding's field in a default-constructed struct.
struct DefaultOf {
    ParamValue operator()(std::monostate) const { return {}; }
    template <typename S> ParamValue operator()(const FieldBinding<S> &b) const
    {
        return b.get(S{});
    }
};

// Table cells hold range texts such as "sgd | adam".
std::string markdownCell(const std::string &text)
{
    std::string out;
    for (char c : text)
        out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

} // namespace

std::string_view paramGroupName(ParamGroup group)
{
    switch (group) {
    case ParamGroup::Architecture:
        return "architecture";
    case ParamGroup::Space:
        return "architecture_space";
    case ParamGroup::Training:
        return "training";
    case ParamGroup::Cluster:
        return "cluster";
    case ParamGroup::Strategy:
        return "strategy";
    case ParamGroup::Search:
        return "search";
    }
    return "architecture";
}

std::optional<ParamGroup> paramGroupFromName(std::string_view name)
{
    for (ParamGroup g : kParamGroups)
        if (paramGroupName(g) == name)
            return g;
    return std::nullopt;
}

ParameterRegistry::ParameterRegistry()
{
    using G = ParamGroup;
    using T = ParamType;
    using D = Dimension;
    using AC = AcceleratorConfig;
    using AS = ArchSpaceSpec;
    using TS = TrainingSpec;
    using SS = SearchSpec;
    const G A = G::Architecture;
    m_parameters = {
        // Accelerator (algorithms.md §2). Defaults are AcceleratorConfig's: the TPUv4-class chip
        // of models.md.
        param(A, "num_tc", T::Integer, D::Count, 1, 4096,
              "Number of tensor cores (2-D systolic arrays)", scalarField<&AC::numTc>()),
        param(A, "tc_width", T::Integer, D::Count, 1, 4096,
              "Tensor-core array width (columns of processing elements)",
              scalarField<&AC::tcWidth>()),
        param(A, "tc_depth", T::Integer, D::Count, 1, 4096,
              "Tensor-core array depth (rows of processing elements)", scalarField<&AC::tcDepth>()),
        param(A, "num_vc", T::Integer, D::Count, 1, 4096, "Number of vector cores",
              scalarField<&AC::numVc>()),
        param(A, "vc_width", T::Integer, D::Count, 1, 65536,
              "Lanes per vector core (PHAZE ties it to the tensor-core width)",
              scalarField<&AC::vcWidth>()),
        param(A, "glb_size", T::Real, D::Bytes, 64 * kKiB, 64 * kGiB,
              "On-chip global buffer (SRAM) shared by all cores", scalarField<&AC::glbBytes>()),
        param(A, "hbm_size", T::Real, D::Bytes, 1 * kMiB, 64 * kTiB,
              "Off-chip HBM capacity per accelerator", scalarField<&AC::hbmBytes>()),
        param(A, "hbm_bandwidth", T::Real, D::Bandwidth, 1e6, 1e15,
              "Off-chip HBM bandwidth per accelerator", scalarField<&AC::hbmBandwidth>()),
        param(A, "frequency", T::Real, D::Frequency, 1e6, 1e11, "Core clock frequency",
              scalarField<&AC::frequency>()),
        param(A, "bytes_per_element", T::Integer, D::Count, 1, 8,
              "Bytes per tensor element (2 for bf16/fp16)", scalarField<&AC::bytesPerElement>()),

        // Architecture space (the PHAZE space by default).
        pow2(rangeOf(param(G::Space, "num_tc", T::Integer, D::Count, 1, 4096,
                           "Tensor-core counts to explore", rangeField<&AS::numTc>()))),
        pow2(rangeOf(param(G::Space, "tc_width", T::Integer, D::Count, 2, 256,
                           "Tensor-core widths to explore", rangeField<&AS::tcWidth>()))),
        pow2(rangeOf(param(G::Space, "tc_depth", T::Integer, D::Count, 2, 256,
                           "Tensor-core depths to explore", rangeField<&AS::tcDepth>()))),
        pow2(rangeOf(param(G::Space, "num_vc", T::Integer, D::Count, 1, 4096,
                           "Vector-core counts to explore", rangeField<&AS::numVc>()))),
        mayBeEmpty(listOf(param(G::Space, "vc_width", T::Integer, D::Count, 1, 65536,
                                "Vector-core lane counts to explore; empty ties the width to "
                                "tc_width",
                                listField<&AS::vcWidth>())),
                   "tied", "tied to tc_width"),
        pow2(rangeOf(param(G::Space, "glb_size", T::Real, D::Bytes, 64 * kKiB, 64 * kGiB,
                           "Global-buffer sizes to explore", rangeField<&AS::glbSize>()))),
        orPreset(param(G::Space, "area_budget", T::Real, D::Area, 1e-3, 1e6,
                       "Chip-area budget: an area, or the name of a preset whose area is the "
                       "budget (PHAZE: the TPUv4-class chip)",
                       areaBudgetField())),
        param(G::Space, "area_min_fraction", T::Real, D::Count, 0, 1,
              "Smallest area kept, as a fraction of the budget (PHAZE: 0.3; candidates with "
              "exactly one TC or one VC are exempt)",
              scalarField<&AS::areaMinFraction>()),
        param(G::Space, "power_budget", T::Real, D::Power, 0, 1e6,
              "Power budget at peak (the TDP estimate of docs/cost-model.md); 0: none",
              scalarField<&AS::powerBudget>()),

        // Training knobs (algorithms.md §4-5); lists are alternatives the search explores.
        param(G::Training, "accelerators", T::Integer, D::Count, 1, 1048576,
              "Number of accelerators N", scalarField<&TS::accelerators>()),
        param(G::Training, "global_batch", T::Integer, D::Count, 1, 1e9,
              "Samples per training iteration", scalarField<&TS::globalBatch>()),
        listOf(param(G::Training, "microbatch_sizes", T::Integer, D::Count, 1, 65536,
                     "Microbatch sizes to explore", listField<&TS::microbatchSizes>())),
        listOf(param(G::Training, "hbm_sizes", T::Real, D::Bytes, 1 * kMiB, 64 * kTiB,
                     "HBM capacities per accelerator to explore", listField<&TS::hbmSizes>())),
        // PHAZE's knobs: the system profile takes them from strategy: and cluster: instead.
        onlyUnder(ProfileScope::Phaze,
                  listOf(boolean(G::Training, "recomputation",
                                 "Activation recomputation settings to explore",
                                 listField<&TS::recomputation>()))),
        onlyUnder(ProfileScope::Phaze,
                  mayBeEmpty(listOf(param(G::Training, "tensor_parallel_widths", T::Integer,
                                          D::Count, 1, 4096,
                                          "Tensor-parallel widths t to explore; empty uses each "
                                          "model's own widths",
                                          listField<&TS::tensorParallelWidths>())),
                             "", "each model's widths")),
        choice(G::Training, "optimizer", {"sgd", "adam"},
               "Optimizer: Adam keeps optimizer state as large as the parameters",
               scalarField<&TS::optimizer>()),
        // The links between chips are the cluster's, not the chip's: a training setting in
        // project and architecture files alike (`training: {link_bandwidth: ...}`).
        onlyUnder(ProfileScope::Phaze,
                  param(G::Training, "link_bandwidth", T::Real, D::Bandwidth, 1e3, 1e15,
                        "Chip-to-chip link bandwidth, one speed for every transfer (PHAZE: "
                        "4 GiB/s)",
                        scalarField<&TS::linkBandwidth>())),
        choice(G::Training, "pipeline_schedule", {"1f1b", "gpipe"},
               "Pipeline schedule and memory model: 1F1B (PipeDream-Flush) or GPipe",
               scalarField<&TS::pipelineSchedule>()),

        // The system profile (docs/system-model.md): the recipe, the cluster, the strategy.
        choice(G::Training, "profile", {"phaze", "system"},
               "How numbers are computed: system (the default: the system model of a real "
               "cluster, with cluster:, strategy: and the recipe below) or phaze (PHAZE's "
               "formulas exactly, for reproducing PHAZE)",
               scalarField<&TS::profile>()),
        onlyUnder(ProfileScope::System,
                  choice(G::Training, "precision", {"bf16-mixed", "fp16-mixed", "fp32"},
                         "Number formats: 16-bit math with fp32 master weights, or fp32",
                         scalarField<&TS::precision>())),
        onlyUnder(ProfileScope::System,
                  choice(G::Training, "attention", {"materialized", "fused"},
                         "Attention kernels: materialized (the scores written to HBM and the "
                         "softmax kept, as Megatron-LM in 2021-22) or fused (FlashAttention: on "
                         "chip, recomputed backward, causal models the lower triangle only)",
                         scalarField<&TS::attention>())),
        onlyUnder(ProfileScope::System,
                  boolean(G::Training, "fp32_gradients",
                          "Accumulate and reduce gradients in fp32 (Megatron does so under bf16)",
                          scalarField<&TS::fp32Gradients>())),
        onlyUnder(ProfileScope::System,
                  param(G::Training, "expert_load_imbalance", T::Real, D::Count, 1, 1000,
                        "Mixture of experts: token copies the busiest device receives over the "
                        "mean (1: perfectly balanced routing)",
                        scalarField<&TS::expertLoadImbalance>())),
        onlyUnder(ProfileScope::System,
                  param(G::Training, "expert_capacity_factor", T::Real, D::Count, 0, 1000,
                        "Mixture of experts: copies beyond this many times the mean per expert "
                        "are dropped (0: dropless)",
                        scalarField<&TS::expertCapacityFactor>())),
        onlyUnder(ProfileScope::System,
                  boolean(G::Training, "overlap_gradient_reduction",
                          "Overlap each chunk's data-parallel gradient reduction with its last "
                          "backward pass",
                          scalarField<&TS::overlapGradientReduction>())),

        param(G::Cluster, "devices_per_node", T::Integer, D::Count, 1, 65536,
              "Devices per node, sharing the intra-node links",
              scalarField<&ClusterSpec::devicesPerNode>()),
        param(G::Cluster, "intra_node_bandwidth", T::Real, D::Bandwidth, 1e3, 1e15,
              "Intra-node bandwidth per device and direction (NVLink)",
              tierField<&ClusterSpec::intraNode, &LinkTier::bandwidth>()),
        param(G::Cluster, "intra_node_latency", T::Real, D::Time, 0, 1,
              "Intra-node latency per message hop",
              tierField<&ClusterSpec::intraNode, &LinkTier::latency>()),
        param(G::Cluster, "intra_node_efficiency", T::Real, D::Count, 1e-3, 1,
              "Fraction of the intra-node bandwidth large collectives achieve",
              tierField<&ClusterSpec::intraNode, &LinkTier::efficiency>()),
        param(G::Cluster, "inter_node_bandwidth", T::Real, D::Bandwidth, 1e3, 1e15,
              "Inter-node bandwidth per device and direction (InfiniBand)",
              tierField<&ClusterSpec::interNode, &LinkTier::bandwidth>()),
        param(G::Cluster, "inter_node_latency", T::Real, D::Time, 0, 1,
              "Inter-node latency per message hop",
              tierField<&ClusterSpec::interNode, &LinkTier::latency>()),
        param(G::Cluster, "inter_node_efficiency", T::Real, D::Count, 1e-3, 1,
              "Fraction of the inter-node bandwidth large collectives achieve",
              tierField<&ClusterSpec::interNode, &LinkTier::efficiency>()),

        mayBeEmpty(listOf(param(G::Strategy, "tp", T::Integer, D::Count, 1, 4096,
                                "Tensor-parallel widths (empty: searched)",
                                listField<&StrategySpec::tensor>())),
                   "searched", "searched"),
        mayBeEmpty(listOf(param(G::Strategy, "pp", T::Integer, D::Count, 1, 1 << 16,
                                "Pipeline depths (empty: searched)",
                                listField<&StrategySpec::pipeline>())),
                   "searched", "searched"),
        mayBeEmpty(listOf(param(G::Strategy, "dp", T::Integer, D::Count, 1, 1 << 20,
                                "Data-parallel widths (empty: the devices left by tp x pp)",
                                listField<&StrategySpec::data>())),
                   "rest", "the devices left by tp x pp"),
        mayBeEmpty(listOf(param(G::Strategy, "microbatch", T::Integer, D::Count, 1, 65536,
                                "Microbatch sizes (empty: training.microbatch_sizes)",
                                listField<&StrategySpec::microbatch>())),
                   "searched", "training.microbatch_sizes"),
        listOf(param(G::Strategy, "interleave", T::Integer, D::Count, 1, 1024,
                     "Model chunks per device v of the interleaved 1F1B schedule (1: plain 1F1B)",
                     listField<&StrategySpec::interleave>())),
        mayBeEmpty(listOf(choice(G::Strategy, "recomputation", {"none", "selective", "full"},
                                 "Activation recomputation (empty: none, selective and full)",
                                 listField<&StrategySpec::recomputation>())),
                   "searched", "none, selective and full"),
        mayBeEmpty(listOf(boolean(G::Strategy, "sequence_parallel",
                                  "Sequence parallelism (empty: off and on)",
                                  listField<&StrategySpec::sequenceParallel>())),
                   "searched", "off and on"),
        listOf(boolean(G::Strategy, "optimizer_sharding",
                       "Shard the optimizer state over the data-parallel group (ZeRO-1)",
                       listField<&StrategySpec::optimizerSharding>())),
        mayBeEmpty(listOf(param(G::Strategy, "ep", T::Integer, D::Count, 1, 1 << 16,
                                "Expert-parallel widths: the routed experts spread over ep of "
                                "the dp ranks (empty: searched; 1 for a dense model)",
                                listField<&StrategySpec::expert>())),
                   "searched", "the divisors of dp that divide the experts"),
        listOf(param(G::Strategy, "cp", T::Integer, D::Count, 1, 1 << 16,
                     "Context-parallel widths: each sequence split over cp devices, K and V "
                     "passed round a ring (needs fused attention; 1: none)",
                     listField<&StrategySpec::context>())),

        // Search settings.
        choice(G::Search, "strategy", {"exact", "phaze"},
               "exact: every candidate evaluated or proven unable to win; phaze: PHAZE's "
               "area-ordered search with its 5-bucket stop rule",
               scalarField<&SS::strategy>()),
        param(G::Search, "threads", T::Integer, D::Count, 0, 1024,
              "Worker threads (0: one per core)", scalarField<&SS::threads>()),
        param(G::Search, "ilp_time_limit", T::Real, D::Time, 1e-3, 86400,
              "Time limit per layer-schedule ILP solve", scalarField<&SS::ilpTimeLimit>()),
        param(G::Search, "mip_gap", T::Real, D::Count, 0, 1,
              "Relative MIP gap accepted by the layer scheduler (0: prove optimality)",
              scalarField<&SS::mipGap>()),
        param(G::Search, "max_downsets", T::Integer, D::Count, 1, 1e9,
              "Refuse layer graphs whose downset lattice is larger than this",
              scalarField<&SS::maxDownsets>()),
        boolean(G::Search, "fusion",
                "Fuse GEMMs with their element-wise epilogues and element-wise runs",
                scalarField<&SS::fusion>()),
    };
    // Defaults come from default-constructed spec structs, through the bindings.
    for (ParameterSpec &p : m_parameters) {
        const ParamValue v = std::visit(DefaultOf{}, p.binding);
        p.defaultValue = p.shape == ParamShape::Scalar ? v.number : 0.0;
        const bool emptyDefault = p.shape == ParamShape::List && v.list.empty();
        if (!(emptyDefault && !p.defaultText.empty()))
            p.defaultText = p.valueText(v);
    }
}

const ParameterRegistry &ParameterRegistry::instance()
{
    static const ParameterRegistry registry;
    return registry;
}

std::vector<const ParameterSpec *> ParameterRegistry::group(ParamGroup g) const
{
    std::vector<const ParameterSpec *> out;
    for (const ParameterSpec &p : m_parameters)
        if (p.group == g)
            out.push_back(&p);
    return out;
}

const ParameterSpec *ParameterRegistry::find(ParamGroup g, std::string_view key) const
{
    for (const ParameterSpec &p : m_parameters)
        if (p.group == g && p.key == key)
            return &p;
    return nullptr;
}

std::string ParameterRegistry::closestKey(ParamGroup g, std::string_view key) const
{
    std::string best;
    int bestDistance = 1 << 30;
    for (const ParameterSpec &p : m_parameters) {
        if (p.group != g)
            continue;
        const int d = editDistance(key, p.key);
        if (d < bestDistance) {
            bestDistance = d;
            best = p.key;
        }
    }
    // Only suggest plausible typos, not any key at all.
    return bestDistance <= std::max<int>(2, int(key.size()) / 3) ? best : std::string();
}

std::string ParameterSpec::checkValue(double value) const
{
    if (!std::isfinite(value))
        return "must be a finite number";
    if (type == ParamType::Integer && value != std::floor(value))
        return "must be a whole number";
    if (value < min)
        return "must be at least " + formatQuantity(min, dimension);
    if (value > max)
        return "must be at most " + formatQuantity(max, dimension);
    if (powerOfTwo && !isPowerOfTwo(value))
        return "must be a power of two";
    return {};
}

std::string ParameterSpec::unitText() const
{
    switch (dimension) {
    case Dimension::Bytes:
        return "size (B, KiB, MiB, GiB, GB, ...)";
    case Dimension::Bandwidth:
        return "bandwidth (B/s, GiB/s, GB/s, TB/s, ...)";
    case Dimension::Frequency:
        return "frequency (Hz, MHz, GHz)";
    case Dimension::Time:
        return "time (s, ms, us)";
    case Dimension::Area:
        return "area (mm2)";
    case Dimension::Power:
        return "power (W, kW)";
    default:
        return {};
    }
}

std::string ParameterSpec::rangeText() const
{
    if (type == ParamType::Choice) {
        std::string out;
        for (const std::string &c : choices)
            out += (out.empty() ? "" : " | ") + c;
        return out;
    }
    if (type == ParamType::Boolean)
        return "true | false";
    std::string out = formatQuantity(min, dimension) + " .. " + formatQuantity(max, dimension);
    if (powerOfTwo)
        out += ", power of two";
    return out;
}

std::string ParameterSpec::valueText(const ParamValue &value) const
{
    auto one = [this](double v) -> std::string {
        if (type == ParamType::Boolean)
            return v != 0.0 ? "true" : "false";
        if (type == ParamType::Choice) {
            const std::size_t index = v >= 0.0 ? std::size_t(v) : choices.size();
            return index < choices.size() ? choices[index] : shortestNumber(v);
        }
        return formatQuantity(v, dimension);
    };
    auto many = [&one](const std::vector<double> &values) {
        std::string out;
        for (double v : values)
            out += (out.empty() ? "" : ", ") + one(v);
        return "[" + out + "]";
    };
    switch (shape) {
    case ParamShape::Scalar:
        return presetName && !value.preset.empty() ? value.preset : one(value.number);
    case ParamShape::List:
        return value.list.empty() && !emptyWord.empty() ? emptyWord : many(value.list);
    case ParamShape::Range:
        return value.range.isRange
                   ? "{min: " + one(value.range.min) + ", max: " + one(value.range.max) + "}"
                   : many(value.range.values);
    }
    return {};
}

std::string ParameterRegistry::toText() const
{
    std::ostringstream out;
    for (ParamGroup g : kParamGroups) {
        out << paramGroupName(g) << ":\n";
        for (const ParameterSpec *p : group(g)) {
            out << "  " << p->key << (p->list ? " (list)" : "") << "\n"
                << "      " << p->description << "\n"
                << "      default " << p->defaultText << "; range " << p->rangeText() << "\n";
        }
    }
    return out.str();
}

std::string ParameterRegistry::toMarkdown() const
{
    std::ostringstream out;
    out << "# Project-file parameters\n\n"
        << "Generated by `phaze params --markdown` from the parameter registry "
           "(core/arch/parameterregistry.cpp); `test_registry` checks that this page is what it "
           "generates. Sizes, bandwidths, frequencies and times take units (`32 GiB`, "
           "`1.2 TB/s`, `940 MHz`, `3 ms`); a bare number is read in the base unit (B, B/s, Hz, "
           "s, mm2).\n\n"
        << "Each table is a section of a project file. A key marked (list) takes a list of "
           "alternatives for the search (one value is a list of one); the power-of-two lists of "
           "`architecture_space` may instead be a range, `{min: 2, max: 256}`, meaning every "
           "power of two in it. A default is what a project that leaves the key out gets.\n\n"
        << "An architecture file (`phaze arch FILE`, `phaze estimate --arch FILE`) has the same "
           "`architecture:` section as a project: a preset name, or a map of an optional "
           "`preset` and the keys of the `architecture` table. The chip-to-chip "
           "`link_bandwidth` is the cluster's, not the chip's: in both files it is written under "
           "`training:` (`training: {link_bandwidth: 8 GiB/s}`), and `architecture:` refuses it "
           "with that advice. In a project it is PHAZE's one link (`profile: phaze`); the system "
           "profile, the default, takes its links from `cluster:`.\n\n"
           "Some `training` keys are read by one model profile only (marked below): a project "
           "that gives a key its profile does not read is refused, naming what replaces it.\n";
    for (ParamGroup g : kParamGroups) {
        out << "\n## `" << paramGroupName(g) << "`\n\n"
            << "| key | default | range | description |\n|---|---|---|---|\n";
        for (const ParameterSpec *p : group(g))
            out << "| `" << p->key << "`" << (p->list ? " (list)" : "") << " | `"
                << markdownCell(p->defaultText) << "` | " << markdownCell(p->rangeText()) << " | "
                << markdownCell((p->scope == ProfileScope::Phaze    ? "PHAZE's profile only. "
                                 : p->scope == ProfileScope::System ? "System profile only. "
                                                                    : "") +
                                p->description)
                << " |\n";
    }
    return out.str();
}

int editDistance(std::string_view a, std::string_view b)
{
    std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (size_t j = 1; j <= b.size(); ++j) {
            const int subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace phaze
