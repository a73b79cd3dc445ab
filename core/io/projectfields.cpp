#include "core/io/projectfields.h"

#include <yaml-cpp/yaml.h>

#include "core/io/projectfile.h"

namespace phaze {
namespace {

// The saved text is the single description of how each field reads, so the view is built
// from it rather than from a second formatter.
std::string inlineText(const YAML::Node &node)
{
    if (node.IsScalar())
        return node.Scalar();
    YAML::Emitter out;
    out << YAML::Flow << node;
    return out.c_str();
}

} // namespace

std::vector<ProjectField> projectFields(const ProjectSpec &project)
{
    std::vector<ProjectField> out;
    // A preset-based architecture or cluster is saved as its overrides only; a view wants every
    // field, so render a copy without the preset and name the preset separately.
    ProjectSpec expanded = project;
    std::string preset;
    if (expanded.architecture) {
        preset = expanded.architecture->preset;
        expanded.architecture->preset.clear();
    }
    // The same for a cluster named by its preset (written only under the system profile).
    const std::string clusterPreset = expanded.cluster.preset;
    expanded.cluster.preset.clear();
    const YAML::Node root = YAML::Load(saveProjectText(expanded));
    for (auto it = root.begin(); it != root.end(); ++it) {
        const std::string section = it->first.Scalar();
        // A copy: the iterator hands out a temporary pair, so a reference would dangle.
        const YAML::Node value = it->second;
        if (section == "phaze_project")
            continue;
        if (section == "architecture" && !preset.empty())
            out.push_back({section, "preset", preset, nullptr});
        if (section == "cluster" && !clusterPreset.empty())
            out.push_back({section, "preset", clusterPreset, nullptr});
        if (value.IsMap()) {
            const std::optional<ParamGroup> group = paramGroupFromName(section);
            for (auto f = value.begin(); f != value.end(); ++f) {
                const std::string key = f->first.Scalar();
                out.push_back({section, key, inlineText(f->second),
                               group ? ParameterRegistry::instance().find(*group, key) : nullptr});
            }
        } else if (value.IsSequence()) {
            for (std::size_t i = 0; i < value.size(); ++i)
                out.push_back({section, std::to_string(i), inlineText(value[i]), nullptr});
        } else {
            out.push_back({section, "", inlineText(value), nullptr});
        }
    }
    return out;
}

} // namespace phaze
