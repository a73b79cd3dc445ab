// Saving project files: lossless (every quantity printed with formatQuantity, which parses back
// to the same double) and atomic (temporary file + rename). The sections of the parameter
// registry are written from it (core/io/parametersections.h), in its order.

#include <cstdio>

#include <yaml-cpp/yaml.h>

#include "core/arch/parameterregistry.h"
#include "core/io/atomicfile.h"
#include "core/io/parametersections.h"
#include "core/io/projectfile.h"
#include "core/io/transformeryaml.h"
#include "core/io/yamlcomments.h"

namespace phaze {
namespace {

void emitArchitecture(YAML::Emitter &out, const ArchitectureSpec &a)
{
    // Only the fields that differ from the preset are written, so the file says what changed.
    const AcceleratorPreset *preset = a.preset.empty() ? nullptr : findAcceleratorPreset(a.preset);
    const AcceleratorConfig base = preset ? preset->config : AcceleratorConfig{};
    out << YAML::Key << std::string(paramGroupName(ParamGroup::Architecture)) << YAML::Value
        << YAML::BeginMap;
    if (preset)
        out << YAML::Key << "preset" << YAML::Value << a.preset;
    emitSection(
        out, ParamGroup::Architecture, a.config,
        [&](const ParameterSpec &p, const ParamValue &v) { return !preset || v != p.get(base); });
    out << YAML::EndMap;
}

template <typename S> void emitGroup(YAML::Emitter &out, ParamGroup group, const S &s)
{
    out << YAML::Key << std::string(paramGroupName(group)) << YAML::Value << YAML::BeginMap;
    emitSection(out, group, s);
    out << YAML::EndMap;
}

void emitCluster(YAML::Emitter &out, const ClusterSpec &c)
{
    const ClusterPreset *preset = c.preset.empty() ? nullptr : findClusterPreset(c.preset);
    const ClusterSpec base = preset ? preset->cluster : defaultCluster();
    out << YAML::Key << std::string(paramGroupName(ParamGroup::Cluster)) << YAML::Value
        << YAML::BeginMap;
    if (preset)
        out << YAML::Key << "preset" << YAML::Value << c.preset;
    emitSection(out, ParamGroup::Cluster, c,
                [&](const ParameterSpec &p, const ParamValue &v) {
                    return !preset || v != p.get(base);
                });
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
        if (m.transformer && !m.huggingface.empty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value
                << m.transformer->key << YAML::Key << "huggingface" << YAML::Value
                << m.huggingface << YAML::Key << "seq" << YAML::Value << m.transformer->sequence
                << YAML::EndMap;
            continue;
        }
        if (m.transformer) {
            out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << m.transformer->key
                << YAML::Key << "transformer" << YAML::Value;
            emitTransformer(out, *m.transformer);
            out << YAML::EndMap;
            continue;
        }
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
        emitGroup(out, ParamGroup::Space, *p.space);
    out << YAML::Key << "technology" << YAML::Value << p.technology;
    // Only the keys the project's profile reads (the reader refuses the others), the profile
    // itself always, so that a project's text says what it uses and nothing it ignores.
    const bool system = p.training.profile == ModelProfile::System;
    out << YAML::Key << std::string(paramGroupName(ParamGroup::Training)) << YAML::Value
        << YAML::BeginMap;
    emitSection(out, ParamGroup::Training, p.training,
                [&](const ParameterSpec &spec, const ParamValue &) {
                    return spec.appliesTo(system);
                });
    out << YAML::EndMap;
    if (system) {
        emitCluster(out, p.cluster);
        emitGroup(out, ParamGroup::Strategy, p.strategy);
    }
    emitGroup(out, ParamGroup::Search, p.search);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

Outcome saveProjectFile(const ProjectSpec &project, const std::string &path,
                        const std::string &commentsFrom)
{
    return writeFileAtomically(path, carryYamlComments(commentsFrom, saveProjectText(project)));
}

} // namespace phaze
