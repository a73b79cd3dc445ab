// Saving project files: lossless (every quantity printed with formatQuantity, which parses back
// to the same double) and atomic (temporary file + rename).

#include <cstdio>

#include <yaml-cpp/yaml.h>

#include "core/arch/parameterregistry.h"
#include "core/base/units.h"
#include "core/io/atomicfile.h"
#include "core/io/projectfile.h"

namespace phaze {
namespace {

std::string choiceText(ParamGroup g, const char *key, int index)
{
    return ParameterRegistry::instance().find(g, key)->choices.at(std::size_t(index));
}

template <typename T> void emitList(YAML::Emitter &out, const std::vector<T> &values, Dimension dim)
{
    out << YAML::Flow << YAML::BeginSeq;
    for (const T &v : values)
        out << formatQuantity(double(v), dim);
    out << YAML::EndSeq;
}

void emitRange(YAML::Emitter &out, const char *key, const ValueRange &r, Dimension dim)
{
    out << YAML::Key << key << YAML::Value;
    if (r.isRange) {
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "min" << YAML::Value
            << formatQuantity(r.min, dim) << YAML::Key << "max" << YAML::Value
            << formatQuantity(r.max, dim) << YAML::EndMap;
    } else {
        emitList(out, r.values, dim);
    }
}

void emitArchitecture(YAML::Emitter &out, const ArchitectureSpec &a)
{
    // Only the fields that differ from the preset are written, so the file says what changed.
    const AcceleratorPreset *preset = a.preset.empty() ? nullptr : findAcceleratorPreset(a.preset);
    const AcceleratorConfig base = preset ? preset->config : AcceleratorConfig{};
    const AcceleratorConfig &c = a.config;
    out << YAML::Key << "architecture" << YAML::Value << YAML::BeginMap;
    if (preset)
        out << YAML::Key << "preset" << YAML::Value << a.preset;
    auto field = [&](const char *key, double value, double baseValue, Dimension dim) {
        if (!preset || value != baseValue)
            out << YAML::Key << key << YAML::Value << formatQuantity(value, dim);
    };
    using D = Dimension;
    field("num_tc", c.numTc, base.numTc, D::Count);
    field("tc_width", c.tcWidth, base.tcWidth, D::Count);
    field("tc_depth", c.tcDepth, base.tcDepth, D::Count);
    field("num_vc", c.numVc, base.numVc, D::Count);
    field("vc_width", c.vcWidth, base.vcWidth, D::Count);
    field("glb_size", c.glbBytes, base.glbBytes, D::Bytes);
    field("hbm_size", c.hbmBytes, base.hbmBytes, D::Bytes);
    field("hbm_bandwidth", c.hbmBandwidth, base.hbmBandwidth, D::Bandwidth);
    field("frequency", c.frequency, base.frequency, D::Frequency);
    field("bytes_per_element", c.bytesPerElement, base.bytesPerElement, D::Count);
    out << YAML::EndMap;
}

void emitSpace(YAML::Emitter &out, const ArchSpaceSpec &s)
{
    using D = Dimension;
    out << YAML::Key << "architecture_space" << YAML::Value << YAML::BeginMap;
    emitRange(out, "num_tc", s.numTc, D::Count);
    emitRange(out, "tc_width", s.tcWidth, D::Count);
    emitRange(out, "tc_depth", s.tcDepth, D::Count);
    emitRange(out, "num_vc", s.numVc, D::Count);
    out << YAML::Key << "vc_width" << YAML::Value;
    if (s.vcWidth.empty())
        out << "tied";
    else
        emitList(out, s.vcWidth, D::Count);
    emitRange(out, "glb_size", s.glbSize, D::Bytes);
    out << YAML::Key << "area_budget" << YAML::Value
        << (s.areaBudgetPreset.empty() ? formatQuantity(s.areaBudget, D::Area)
                                       : s.areaBudgetPreset);
    out << YAML::Key << "area_min_fraction" << YAML::Value
        << formatQuantity(s.areaMinFraction, D::Count);
    out << YAML::EndMap;
}

void emitTraining(YAML::Emitter &out, const TrainingSpec &t)
{
    using D = Dimension;
    const ParamGroup g = ParamGroup::Training;
    out << YAML::Key << "training" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "accelerators" << YAML::Value << t.accelerators;
    out << YAML::Key << "global_batch" << YAML::Value << t.globalBatch;
    out << YAML::Key << "microbatch_sizes" << YAML::Value;
    emitList(out, t.microbatchSizes, D::Count);
    out << YAML::Key << "hbm_sizes" << YAML::Value;
    emitList(out, t.hbmSizes, D::Bytes);
    out << YAML::Key << "recomputation" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (bool r : t.recomputation)
        out << r;
    out << YAML::EndSeq;
    out << YAML::Key << "tensor_parallel_widths" << YAML::Value;
    emitList(out, t.tensorParallelWidths, D::Count);
    out << YAML::Key << "optimizer" << YAML::Value << choiceText(g, "optimizer", int(t.optimizer));
    out << YAML::Key << "link_bandwidth" << YAML::Value
        << formatQuantity(t.linkBandwidth, D::Bandwidth);
    out << YAML::Key << "pipeline_schedule" << YAML::Value
        << choiceText(g, "pipeline_schedule", int(t.pipelineSchedule));
    out << YAML::EndMap;
}

void emitSearch(YAML::Emitter &out, const SearchSpec &s)
{
    using D = Dimension;
    out << YAML::Key << "search" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "strategy" << YAML::Value
        << choiceText(ParamGroup::Search, "strategy", int(s.strategy));
    out << YAML::Key << "threads" << YAML::Value << s.threads;
    out << YAML::Key << "ilp_time_limit" << YAML::Value << formatQuantity(s.ilpTimeLimit, D::Time);
    out << YAML::Key << "mip_gap" << YAML::Value << formatQuantity(s.mipGap, D::Count);
    out << YAML::Key << "max_downsets" << YAML::Value << s.maxDownsets;
    out << YAML::Key << "fusion" << YAML::Value << s.fusion;
    out << YAML::EndMap;
}

} // namespace

std::string saveProjectText(const ProjectSpec &p)
{
    YAML::Emitter out;
    out.SetBoolFormat(YAML::TrueFalseBool);
    out << YAML::BeginMap;
    out << YAML::Key << "phaze_project" << YAML::Value << p.formatVersion;
    if (!p.name.empty())
        out << YAML::Key << "name" << YAML::Value << p.name;
    if (!p.description.empty())
        out << YAML::Key << "description" << YAML::Value << p.description;
    out << YAML::Key << "models" << YAML::Value << YAML::BeginSeq;
    for (const ModelRef &m : p.models) {
        if (m.file.empty() && m.sequence == 0) {
            out << m.zoo;
            continue;
        }
        out << YAML::Flow << YAML::BeginMap;
        if (!m.zoo.empty())
            out << YAML::Key << "zoo" << YAML::Value << m.zoo;
        if (!m.file.empty())
            out << YAML::Key << "file" << YAML::Value << m.file;
        if (m.sequence != 0)
            out << YAML::Key << "seq" << YAML::Value << m.sequence;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    if (p.architecture)
        emitArchitecture(out, *p.architecture);
    if (p.space)
        emitSpace(out, *p.space);
    out << YAML::Key << "technology" << YAML::Value << p.technology;
    emitTraining(out, p.training);
    emitSearch(out, p.search);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string saveProjectFile(const ProjectSpec &project, const std::string &path)
{
    return writeFileAtomically(path, saveProjectText(project));
}

} // namespace phaze
