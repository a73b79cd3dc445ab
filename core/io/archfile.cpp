#include "core/io/archfile.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/io/documenttext.h"
#include "core/io/parametersections.h"
#include "core/io/yamlreader.h"

namespace phaze {
namespace {

// `training.link_bandwidth`, where a project keeps it too: the links are the cluster's.
void readLinkBandwidth(YamlReader &r, const YAML::Node &training, AcceleratorConfig &config)
{
    if (!training.IsMap() || !training["link_bandwidth"])
        return;
    const ParameterSpec &spec =
        *ParameterRegistry::instance().find(ParamGroup::Training, "link_bandwidth");
    if (std::optional<ParamValue> v =
            readParamValue(r, training["link_bandwidth"], "training.link_bandwidth", spec)) {
        TrainingSpec t;
        spec.set(t, *v);
        config.linkBandwidth = t.linkBandwidth;
    }
}

} // namespace

Result<ArchFile> loadArchText(const std::string &yamlText, const std::string &fileName)
{
    using R = Result<ArchFile>;
    Diagnostics errors;
    YamlReader r(fileName, errors);
    if (std::optional<Diagnostic> bad = checkDocumentText(yamlText, fileName))
        return R::error(Diagnostics{std::move(*bad)});
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::ParserException &e) {
        r.errorAt(e.mark.line + 1, e.mark.column + 1, "", "YAML syntax error: " + e.msg);
        return R::error(std::move(errors));
    }
    if (!r.expectMap(root, ""))
        return R::error(std::move(errors));
    r.checkKeys(root, "", projectFileKeys());
    ArchFile arch;
    arch.name = std::filesystem::path(fileName).filename().string();
    arch.baseDir = std::filesystem::path(fileName).parent_path().string();
    if (const YAML::Node n = root["architecture"]) {
        if (std::optional<ArchitectureSpec> a = readArchitectureSection(r, n)) {
            arch.config = a->config;
            if (!a->preset.empty())
                arch.name = a->preset;
        }
    } else if (!root["models"]) {
        r.errorAt(1, 1, "architecture", "an architecture file needs an architecture: section");
    }
    // After the architecture: a preset brings its own link bandwidth, which this one overrides.
    if (const YAML::Node n = root["training"])
        readLinkBandwidth(r, n, arch.config);
    if (const YAML::Node n = root["technology"])
        arch.technology = r.string(n, "technology").value_or("default");
    return R::checked(std::move(arch), std::move(errors));
}

Result<ArchFile> loadArchFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Result<ArchFile>::error(
            Diagnostics{Diagnostic{path, 0, 0, "", "cannot open the architecture file"}});
    std::ostringstream text;
    text << in.rdbuf();
    return loadArchText(text.str(), path);
}

Result<ArchFile> loadArchByName(const std::string &nameOrFile)
{
    using R = Result<ArchFile>;
    if (const AcceleratorPreset *p = findAcceleratorPreset(nameOrFile))
        return R::optimal(ArchFile{p->name, p->config, "default", {}});
    std::error_code ec; // without it, a name too long for the file system throws
    if (std::filesystem::exists(nameOrFile, ec))
        return loadArchFile(nameOrFile);
    return R::error(Diagnostics{Diagnostic{
        {}, 0, 0, "", "\"" + nameOrFile + "\" is neither a preset nor a file" + presetList()}});
}

} // namespace phaze
