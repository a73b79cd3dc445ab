#include "core/arch/parameterregistry.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace phaze {
namespace {

constexpr double kKiB = 1024.0;
constexpr double kMiB = 1024.0 * kKiB;
constexpr double kGiB = 1024.0 * kMiB;
constexpr double kTiB = 1024.0 * kGiB;

ParameterSpec param(ParamGroup group, std::string key, ParamType type, Dimension dim, double min,
                    double def, double max, std::string description)
{
    ParameterSpec p;
    p.group = group;
    p.key = std::move(key);
    p.type = type;
    p.dimension = dim;
    p.min = min;
    p.defaultValue = def;
    p.max = max;
    p.description = std::move(description);
    p.defaultText =
        type == ParamType::Boolean ? (def != 0.0 ? "true" : "false") : formatQuantity(def, dim);
    return p;
}

ParameterSpec pow2(ParameterSpec p)
{
    p.powerOfTwo = true;
    return p;
}

ParameterSpec listOf(ParameterSpec p, std::string defaultText)
{
    p.list = true;
    p.defaultText = std::move(defaultText);
    return p;
}

ParameterSpec withDefaultText(ParameterSpec p, std::string defaultText)
{
    p.defaultText = std::move(defaultText);
    return p;
}

ParameterSpec choice(ParamGroup group, std::string key, std::vector<std::string> choices,
                     std::string description)
{
    ParameterSpec p;
    p.group = group;
    p.key = std::move(key);
    p.type = ParamType::Choice;
    p.choices = std::move(choices);
    p.defaultText = p.choices.front();
    p.description = std::move(description);
    p.max = double(p.choices.size() - 1);
    return p;
}

bool isPowerOfTwo(double v)
{
    if (v < 1.0 || v != std::floor(v))
        return false;
    int exp = 0;
    return std::frexp(v, &exp) == 0.5;
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
    case ParamGroup::Search:
        return "search";
    }
    return "architecture";
}

ParameterRegistry::ParameterRegistry()
{
    using G = ParamGroup;
    using T = ParamType;
    using D = Dimension;
    const G A = G::Architecture;
    m_parameters = {
        // Accelerator (algorithms.md §2). Defaults are the TPUv4-class chip of models.md.
        param(A, "num_tc", T::Integer, D::Count, 1, 8, 4096,
              "Number of tensor cores (2-D systolic arrays)"),
        param(A, "tc_width", T::Integer, D::Count, 1, 128, 4096,
              "Tensor-core array width (columns of processing elements)"),
        param(A, "tc_depth", T::Integer, D::Count, 1, 128, 4096,
              "Tensor-core array depth (rows of processing elements)"),
        param(A, "num_vc", T::Integer, D::Count, 1, 2, 4096, "Number of vector cores"),
        param(A, "vc_width", T::Integer, D::Count, 1, 128, 65536,
              "Lanes per vector core (PHAZE ties it to the tensor-core width)"),
        param(A, "glb_size", T::Real, D::Bytes, 64 * kKiB, 128 * kMiB, 64 * kGiB,
              "On-chip global buffer (SRAM) shared by all cores"),
        param(A, "hbm_size", T::Real, D::Bytes, 1 * kMiB, 32 * kGiB, 64 * kTiB,
              "Off-chip HBM capacity per accelerator"),
        param(A, "hbm_bandwidth", T::Real, D::Bandwidth, 1e6, 1.2e12, 1e15,
              "Off-chip HBM bandwidth per accelerator"),
        param(A, "frequency", T::Real, D::Frequency, 1e6, 1.05e9, 1e11, "Core clock frequency"),
        param(A, "bytes_per_element", T::Integer, D::Count, 1, 2, 8,
              "Bytes per tensor element (2 for bf16/fp16)"),

        // Architecture space (the PHAZE space by default).
        pow2(listOf(param(G::Space, "num_tc", T::Integer, D::Count, 1, 1, 4096,
                          "Tensor-core counts to explore"),
                    "{min: 1, max: 4096}")),
        pow2(listOf(param(G::Space, "tc_width", T::Integer, D::Count, 2, 2, 256,
                          "Tensor-core widths to explore"),
                    "{min: 2, max: 256}")),
        pow2(listOf(param(G::Space, "tc_depth", T::Integer, D::Count, 2, 2, 256,
                          "Tensor-core depths to explore"),
                    "{min: 2, max: 256}")),
        pow2(listOf(param(G::Space, "num_vc", T::Integer, D::Count, 1, 1, 4096,
                          "Vector-core counts to explore"),
                    "{min: 1, max: 4096}")),
        listOf(param(G::Space, "vc_width", T::Integer, D::Count, 1, 128, 65536,
                     "Vector-core lane counts to explore; empty ties the width to tc_width"),
               "tied to tc_width"),
        pow2(listOf(param(G::Space, "glb_size", T::Real, D::Bytes, 64 * kKiB, 2 * kMiB, 64 * kGiB,
                          "Global-buffer sizes to explore"),
                    "{min: 2 MiB, max: 128 MiB}")),
        withDefaultText(param(G::Space, "area_budget", T::Real, D::Area, 1e-3, 0, 1e6,
                              "Chip-area budget: an area, or the name of a preset whose area "
                              "is the budget (PHAZE: the TPUv4-class chip)"),
                        "tpuv4"),
        param(G::Space, "area_min_fraction", T::Real, D::Count, 0, 0.3, 1,
              "Smallest area kept, as a fraction of the budget (PHAZE: 0.3; candidates with "
              "exactly one TC or one VC are exempt)"),

        // Training knobs (algorithms.md §4-5); lists are alternatives the search explores.
        param(G::Training, "accelerators", T::Integer, D::Count, 1, 1024, 1048576,
              "Number of accelerators N"),
        param(G::Training, "global_batch", T::Integer, D::Count, 1, 4096, 1e9,
              "Samples per training iteration"),
        listOf(param(G::Training, "microbatch_sizes", T::Integer, D::Count, 1, 1, 65536,
                     "Microbatch sizes to explore"),
               "[1, 2, 4, 8]"),
        listOf(param(G::Training, "hbm_sizes", T::Real, D::Bytes, 1 * kMiB, 32 * kGiB, 64 * kTiB,
                     "HBM capacities per accelerator to explore"),
               "[32 GiB, 64 GiB, 80 GiB]"),
        listOf(param(G::Training, "recomputation", T::Boolean, D::Count, 0, 0, 1,
                     "Activation recomputation settings to explore"),
               "[false, true]"),
        listOf(param(G::Training, "tensor_parallel_widths", T::Integer, D::Count, 1, 1, 4096,
                     "Tensor-parallel widths t to explore; empty uses each model's own widths"),
               "each model's widths"),
        choice(G::Training, "optimizer", {"sgd", "adam"},
               "Optimizer: Adam keeps optimizer state as large as the parameters"),
        param(G::Training, "link_bandwidth", T::Real, D::Bandwidth, 1e3, 4 * kGiB, 1e15,
              "Chip-to-chip link bandwidth, one speed for every transfer (PHAZE: 4 GiB/s)"),
        choice(G::Training, "pipeline_schedule", {"1f1b", "gpipe"},
               "Pipeline schedule and memory model: 1F1B (PipeDream-Flush) or GPipe"),

        // Search settings.
        choice(G::Search, "strategy", {"exact", "phaze"},
               "exact: every candidate evaluated or proven unable to win; phaze: PHAZE's "
               "area-ordered search with its 5-bucket stop rule"),
        param(G::Search, "threads", T::Integer, D::Count, 0, 0, 1024,
              "Worker threads (0: one per core)"),
        param(G::Search, "ilp_time_limit", T::Real, D::Time, 1e-3, 10, 86400,
              "Time limit per layer-schedule ILP solve"),
        param(G::Search, "mip_gap", T::Real, D::Count, 0, 0, 1,
              "Relative MIP gap accepted by the layer scheduler (0: prove optimality)"),
        param(G::Search, "max_downsets", T::Integer, D::Count, 1, 1e7, 1e9,
              "Refuse layer graphs whose downset lattice is larger than this"),
        param(G::Search, "fusion", T::Boolean, D::Count, 0, 1, 1,
              "Fuse GEMMs with their element-wise epilogues and element-wise runs"),
    };
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

std::string ParameterRegistry::toText() const
{
    std::ostringstream out;
    for (ParamGroup g :
         {ParamGroup::Architecture, ParamGroup::Space, ParamGroup::Training, ParamGroup::Search}) {
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
           "(core/arch/parameterregistry.cpp). Sizes, bandwidths, frequencies and times take "
           "units (`32 GiB`, `1.2 TB/s`, `940 MHz`, `3 ms`); a bare number is read in the base "
           "unit (B, B/s, Hz, s, mm2).\n";
    for (ParamGroup g :
         {ParamGroup::Architecture, ParamGroup::Space, ParamGroup::Training, ParamGroup::Search}) {
        out << "\n## `" << paramGroupName(g) << "`\n\n"
            << "| key | default | range | description |\n|---|---|---|---|\n";
        for (const ParameterSpec *p : group(g))
            out << "| `" << p->key << "`" << (p->list ? " (list)" : "") << " | `" << p->defaultText
                << "` | " << p->rangeText() << " | " << p->description << " |\n";
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
