#include "core/io/projectedit.h"

#include <yaml-cpp/yaml.h>

#include "core/arch/parameterregistry.h"
#include "core/io/documenttext.h"

namespace phaze {

Result<ProjectSpec> editProjectField(const ProjectSpec &project, const std::string &section,
                                     const std::string &key, const std::string &valueText,
                                     const std::string &baseDir)
{
    using R = Result<ProjectSpec>;
    const std::string path = key.empty() ? section : section + "." + key;
    // Checked before the YAML emitter sees it: the emitter would replace bad sequences.
    if (std::optional<Diagnostic> bad = checkDocumentText(valueText, "edit"))
        return R::error(Diagnostics{
            Diagnostic{"edit", 0, 0, path, "the value " + bad->message.substr(sizeof "the file")}});
    YAML::Node value;
    try {
        value = YAML::Load(valueText);
    } catch (const YAML::Exception &e) {
        return R::error(Diagnostics{
            Diagnostic{"edit", 0, 0, path, "cannot read \"" + valueText + "\": " + e.msg}});
    }
    YAML::Node root = YAML::Load(saveProjectText(project));
    if (key == "preset" && (section == "architecture" || section == "cluster")) {
        // Choosing a preset starts the section from it (the fields shown then are the preset's,
        // and an edit of one becomes an override); choosing none keeps every value as it is now,
        // written out in full.
        const bool none = value.IsNull() || (value.IsScalar() && value.Scalar().empty());
        if (none) {
            ProjectSpec expanded = project;
            if (section == "architecture" && expanded.architecture)
                expanded.architecture->preset.clear();
            if (section == "cluster")
                expanded.cluster.preset.clear();
            root[section] = YAML::Load(saveProjectText(expanded))[section];
        } else {
            root[section] = YAML::Node(YAML::NodeType::Map);
            root[section]["preset"] = value;
        }
    } else if (key.empty()) {
        root[section] = value;
    } else {
        if (!root[section] || !root[section].IsMap())
            root[section] = YAML::Node(YAML::NodeType::Map);
        root[section][key] = value;
    }
    // A change of profile drops what the new profile does not read (the reader refuses it):
    // the other profile's training keys, and cluster: and strategy: for PHAZE's.
    if (section == "training" && key == "profile" && value.IsScalar()) {
        const bool system = value.as<std::string>() == "system";
        for (const ParameterSpec *spec : ParameterRegistry::instance().group(ParamGroup::Training))
            if (!spec->appliesTo(system))
                root[section].remove(spec->key);
        if (!system) {
            root.remove("cluster");
            root.remove("strategy");
        }
    }
    YAML::Emitter emitter;
    emitter << root;
    R out = loadProjectText(emitter.c_str(), "edit", baseDir);
    if (out.ok())
        return out;
    // Line numbers refer to the regenerated text, which the user never sees.
    for (Diagnostic &d : out.diagnostics) {
        d.line = 0;
        d.column = 0;
    }
    return R::error(std::move(out.diagnostics));
}

} // namespace phaze
