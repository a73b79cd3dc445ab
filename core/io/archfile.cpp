#include "core/io/archfile.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/io/documenttext.h"
#include "core/io/yamlreader.h"

namespace phaze {
namespace {

std::string presetList()
{
    std::string out;
    for (const AcceleratorPreset &p : acceleratorPresets())
        out += (out.empty() ? "; presets: " : ", ") + p.name;
    return out;
}

const ParameterSpec &spec(ParamGroup group, const char *key)
{
    return *ParameterRegistry::instance().find(group, key); // every key below is registered
}

class ArchParser
{
public:
    explicit ArchParser(YamlReader &reader) : m_r(reader) {}

    void parseArchitecture(const YAML::Node &node, ArchFile &out)
    {
        const std::string path = "architecture";
        if (node.IsScalar()) {
            applyPreset(node, path, node.Scalar(), out);
            return;
        }
        if (!m_r.expectMap(node, path))
            return;
        std::vector<std::string> allowed = {"preset", "link_bandwidth"};
        for (const ParameterSpec *p : ParameterRegistry::instance().group(ParamGroup::Architecture))
            allowed.push_back(p->key);
        m_r.checkKeys(node, path, allowed);
        if (const YAML::Node n = node["preset"])
            if (auto name = m_r.string(n, path + ".preset"))
                applyPreset(n, path + ".preset", *name, out);
        AcceleratorConfig &c = out.config;
        readInt(node, "num_tc", c.numTc);
        readInt(node, "tc_width", c.tcWidth);
        readInt(node, "tc_depth", c.tcDepth);
        readInt(node, "num_vc", c.numVc);
        readInt(node, "vc_width", c.vcWidth);
        readInt(node, "bytes_per_element", c.bytesPerElement);
        readReal(node, ParamGroup::Architecture, "glb_size", c.glbBytes);
        readReal(node, ParamGroup::Architecture, "hbm_size", c.hbmBytes);
        readReal(node, ParamGroup::Architecture, "hbm_bandwidth", c.hbmBandwidth);
        readReal(node, ParamGroup::Architecture, "frequency", c.frequency);
        readReal(node, ParamGroup::Training, "link_bandwidth", c.linkBandwidth);
    }

    void readLinkBandwidth(const YAML::Node &training, AcceleratorConfig &c)
    {
        if (training.IsMap() && training["link_bandwidth"])
            if (auto v = m_r.value(training["link_bandwidth"], "training.link_bandwidth",
                                   spec(ParamGroup::Training, "link_bandwidth")))
                c.linkBandwidth = *v;
    }

private:
    void applyPreset(const YAML::Node &node, const std::string &path, const std::string &name,
                     ArchFile &out)
    {
        if (const AcceleratorPreset *p = findAcceleratorPreset(name)) {
            out.config = p->config;
            out.name = name;
        } else {
            m_r.error(node, path, "unknown preset \"" + name + "\"" + presetList());
        }
    }

    void readInt(const YAML::Node &node, const char *key, int &out)
    {
        if (const YAML::Node n = node[key])
            if (auto v = m_r.value(n, std::string("architecture.") + key,
                                   spec(ParamGroup::Architecture, key)))
                out = int(*v);
    }

    void readReal(const YAML::Node &node, ParamGroup group, const char *key, double &out)
    {
        if (const YAML::Node n = node[key])
            if (auto v = m_r.value(n, std::string("architecture.") + key, spec(group, key)))
                out = *v;
    }

    YamlReader &m_r;
};

} // namespace

ArchFileLoad loadArchText(const std::string &yamlText, const std::string &fileName)
{
    ArchFileLoad out;
    YamlReader r(fileName, out.errors);
    if (std::optional<Diagnostic> bad = checkDocumentText(yamlText, fileName)) {
        out.errors.push_back(std::move(*bad));
        return out;
    }
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::ParserException &e) {
        r.errorAt(e.mark.line + 1, e.mark.column + 1, "", "YAML syntax error: " + e.msg);
        return out;
    }
    if (!r.expectMap(root, ""))
        return out;
    r.checkKeys(root, "",
                {"phaze_project", "name", "description", "models", "architecture",
                 "architecture_space", "technology", "training", "search"});
    ArchFile arch;
    arch.name = std::filesystem::path(fileName).filename().string();
    arch.baseDir = std::filesystem::path(fileName).parent_path().string();
    ArchParser parser(r);
    if (const YAML::Node n = root["training"])
        parser.readLinkBandwidth(n, arch.config);
    if (const YAML::Node n = root["architecture"])
        parser.parseArchitecture(n, arch);
    else if (!root["models"])
        r.errorAt(1, 1, "architecture", "an architecture file needs an architecture: section");
    if (const YAML::Node n = root["technology"])
        arch.technology = r.string(n, "technology").value_or("default");
    if (out.errors.empty())
        out.arch = arch;
    return out;
}

ArchFileLoad loadArchFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ArchFileLoad out;
        out.errors.push_back(Diagnostic{path, 0, 0, "", "cannot open the architecture file"});
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return loadArchText(text.str(), path);
}

ArchFileLoad loadArchByName(const std::string &nameOrFile)
{
    if (const AcceleratorPreset *p = findAcceleratorPreset(nameOrFile)) {
        ArchFileLoad out;
        out.arch = ArchFile{p->name, p->config, "default", {}};
        return out;
    }
    std::error_code ec; // without it, a name too long for the file system throws
    if (std::filesystem::exists(nameOrFile, ec))
        return loadArchFile(nameOrFile);
    ArchFileLoad out;
    out.errors.push_back(Diagnostic{
        {}, 0, 0, "", "\"" + nameOrFile + "\" is neither a preset nor a file" + presetList()});
    return out;
}

} // namespace phaze
