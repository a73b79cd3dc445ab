#include "core/io/projectfile.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/arch/archspace.h"
#include "core/io/documenttext.h"
#include "core/io/yamlreader.h"
#include "core/model/modelzoo.h"

namespace phaze {
namespace {

const ParameterSpec &spec(ParamGroup group, const char *key)
{
    const ParameterSpec *p = ParameterRegistry::instance().find(group, key);
    // Every key used below is declared in the registry; a test loads every key.
    return *p;
}

std::vector<std::string> keysOf(ParamGroup group)
{
    std::vector<std::string> out;
    for (const ParameterSpec *p : ParameterRegistry::instance().group(group))
        out.push_back(p->key);
    return out;
}

// Knob combinations placed per candidate and model (the default has 8).
constexpr std::size_t kMaxKnobCombinations = 65536;

std::string join(const std::string &path, const std::string &key)
{
    return path.empty() ? key : path + "." + key;
}

class ProjectParser
{
public:
    ProjectParser(YamlReader &reader, std::string baseDir)
        : m_r(reader), m_baseDir(std::move(baseDir))
    {
    }

    void parse(const YAML::Node &root, ProjectSpec &p)
    {
        if (!root.IsMap()) {
            m_r.error(root, "",
                      "a project file is a map with keys such as models, "
                      "architecture, training; found " +
                          describeNode(root));
            return;
        }
        m_r.checkKeys(root, "",
                      {"phaze_project", "name", "description", "models", "architecture",
                       "architecture_space", "technology", "training", "search"});
        if (auto n = root["phaze_project"]) {
            auto v = m_r.string(n, "phaze_project");
            if (v && *v != "1")
                m_r.error(n, "phaze_project",
                          "format version " + *v + " is not supported (this build reads 1)");
        }
        if (auto n = root["name"])
            p.name = m_r.string(n, "name").value_or("");
        if (auto n = root["description"])
            p.description = m_r.string(n, "description").value_or("");
        if (auto n = root["technology"])
            p.technology = m_r.string(n, "technology").value_or("default");
        if (auto n = root["models"])
            parseModels(n, p.models);
        else
            m_r.errorAt(1, 1, "models",
                        "a project needs at least one model (e.g. models: [gpt2-xl])");
        if (auto n = root["architecture"])
            p.architecture = parseArchitecture(n);
        if (auto n = root["architecture_space"])
            p.space = parseSpace(n);
        if (auto n = root["training"])
            parseTraining(n, p.training);
        if (auto n = root["search"])
            parseSearch(n, p.search);
        checkSizes(root, p);
    }

private:
    // What the lists multiply into: a search must not start on more candidates than it can hold
    // or more knob combinations per candidate than it can finish.
    void checkSizes(const YAML::Node &root, const ProjectSpec &p)
    {
        const TrainingSpec &t = p.training;
        if (p.space && root["architecture_space"]) {
            const ArchSpaceSpec &s = *p.space;
            const double candidates =
                double(s.numTc.expand().size()) * double(s.tcWidth.expand().size()) *
                double(s.tcDepth.expand().size()) * double(s.numVc.expand().size()) *
                double(std::max<std::size_t>(1, s.vcWidth.size())) *
                double(s.glbSize.expand().size()) * double(t.hbmSizes.size());
            if (candidates > double(kMaxArchSpacePoints))
                m_r.error(root["architecture_space"], "architecture_space",
                          "the space has " + std::to_string((long long)std::min(candidates, 9e18)) +
                              " combinations of its values and the HBM sizes, over the limit of " +
                              std::to_string(kMaxArchSpacePoints));
        }
        const double knobs = double(t.microbatchSizes.size()) * double(t.recomputation.size()) *
                             double(std::max<std::size_t>(1, t.tensorParallelWidths.size()));
        if (knobs > double(kMaxKnobCombinations))
            m_r.error(root["training"] ? root["training"] : root, "training",
                      std::to_string((long long)knobs) +
                          " combinations of microbatch sizes, recomputation and tensor-parallel "
                          "widths, over the limit of " +
                          std::to_string(kMaxKnobCombinations));
    }

    void parseModels(const YAML::Node &node, std::vector<ModelRef> &models)
    {
        if (node.IsScalar()) {
            models.push_back(parseModel(node, "models"));
            return;
        }
        if (!node.IsSequence() || node.size() == 0) {
            m_r.error(node, "models", "expected a list of models, e.g. [gpt2-xl, bert-large]");
            return;
        }
        for (std::size_t i = 0; i < node.size(); ++i)
            models.push_back(parseModel(node[i], "models[" + std::to_string(i) + "]"));
    }

    ModelRef parseModel(const YAML::Node &node, const std::string &path)
    {
        ModelRef ref;
        if (node.IsScalar()) {
            ref.zoo = node.Scalar();
            checkZoo(node, path, ref.zoo);
            return ref;
        }
        if (!m_r.expectMap(node, path))
            return ref;
        m_r.checkKeys(node, path, {"zoo", "file", "seq"});
        if (auto n = node["zoo"]) {
            ref.zoo = m_r.string(n, join(path, "zoo")).value_or("");
            checkZoo(n, join(path, "zoo"), ref.zoo);
        }
        if (auto n = node["file"]) {
            ref.file = m_r.string(n, join(path, "file")).value_or("");
            const std::filesystem::path full = std::filesystem::path(m_baseDir) / ref.file;
            std::error_code ec; // without it, a name too long for the file system throws
            if (!ref.file.empty() && !std::filesystem::exists(full, ec))
                m_r.error(n, join(path, "file"), "no such file: " + full.string());
        }
        if (ref.zoo.empty() == ref.file.empty())
            m_r.error(node, path, "give exactly one of zoo: NAME or file: GRAPH.json");
        if (auto n = node["seq"]) {
            ParameterSpec seqSpec;
            seqSpec.type = ParamType::Integer;
            seqSpec.min = 1;
            seqSpec.max = kMaxSequenceLength;
            if (auto v = m_r.value(n, join(path, "seq"), seqSpec))
                ref.sequence = int(*v);
        }
        return ref;
    }

    void checkZoo(const YAML::Node &node, const std::string &path, const std::string &key)
    {
        if (findZooModel(key))
            return;
        std::string known, best;
        int bestDistance = 1 << 30;
        for (const TransformerSpec &m : modelZoo()) {
            known += (known.empty() ? "" : ", ") + m.key;
            const int d = editDistance(key, m.key);
            if (d < bestDistance) {
                bestDistance = d;
                best = m.key;
            }
        }
        std::string message = "unknown model \"" + key + "\"";
        if (bestDistance <= 3)
            message += " (did you mean \"" + best + "\"?)";
        m_r.error(node, path, message + "; built-in models: " + known);
    }

    std::optional<ArchitectureSpec> parseArchitecture(const YAML::Node &node)
    {
        const std::string path = "architecture";
        if (node.IsScalar()) { // "architecture: tpuv4"
            ArchitectureSpec a;
            a.preset = node.Scalar();
            if (const AcceleratorPreset *p = findAcceleratorPreset(a.preset))
                a.config = p->config;
            else
                m_r.error(node, path, "unknown preset \"" + a.preset + "\"" + presetList());
            return a;
        }
        if (!m_r.expectMap(node, path))
            return std::nullopt;
        std::vector<std::string> allowed = keysOf(ParamGroup::Architecture);
        allowed.push_back("preset");
        m_r.checkKeys(node, path, allowed);
        ArchitectureSpec a;
        a.preset.clear();
        if (auto n = node["preset"]) {
            a.preset = m_r.string(n, join(path, "preset")).value_or("");
            if (const AcceleratorPreset *p = findAcceleratorPreset(a.preset))
                a.config = p->config;
            else
                m_r.error(n, join(path, "preset"),
                          "unknown preset \"" + a.preset + "\"" + presetList());
        }
        AcceleratorConfig &c = a.config;
        readInt(node, path, ParamGroup::Architecture, "num_tc", c.numTc);
        readInt(node, path, ParamGroup::Architecture, "tc_width", c.tcWidth);
        readInt(node, path, ParamGroup::Architecture, "tc_depth", c.tcDepth);
        readInt(node, path, ParamGroup::Architecture, "num_vc", c.numVc);
        readInt(node, path, ParamGroup::Architecture, "vc_width", c.vcWidth);
        readReal(node, path, ParamGroup::Architecture, "glb_size", c.glbBytes);
        readReal(node, path, ParamGroup::Architecture, "hbm_size", c.hbmBytes);
        readReal(node, path, ParamGroup::Architecture, "hbm_bandwidth", c.hbmBandwidth);
        readReal(node, path, ParamGroup::Architecture, "frequency", c.frequency);
        readInt(node, path, ParamGroup::Architecture, "bytes_per_element", c.bytesPerElement);
        return a;
    }

    static std::string presetList()
    {
        std::string out;
        for (const AcceleratorPreset &p : acceleratorPresets())
            out += (out.empty() ? "; presets: " : ", ") + p.name;
        return out;
    }

    std::optional<ArchSpaceSpec> parseSpace(const YAML::Node &node)
    {
        const std::string path = "architecture_space";
        ArchSpaceSpec s;
        if (node.IsScalar() && (node.Scalar() == "phaze" || node.Scalar() == "default"))
            return s;
        if (!m_r.expectMap(node, path))
            return std::nullopt;
        m_r.checkKeys(node, path, keysOf(ParamGroup::Space));
        readRange(node, path, "num_tc", s.numTc);
        readRange(node, path, "tc_width", s.tcWidth);
        readRange(node, path, "tc_depth", s.tcDepth);
        readRange(node, path, "num_vc", s.numVc);
        readRange(node, path, "glb_size", s.glbSize);
        if (auto n = node["vc_width"]) {
            const std::string p = join(path, "vc_width");
            if (!(n.IsScalar() && n.Scalar() == "tied"))
                s.vcWidth =
                    m_r.valueList(n, p, spec(ParamGroup::Space, "vc_width")).value_or(s.vcWidth);
            else
                s.vcWidth.clear();
        }
        if (auto n = node["area_budget"]) {
            const std::string p = join(path, "area_budget");
            if (n.IsScalar() && findAcceleratorPreset(n.Scalar())) {
                s.areaBudgetPreset = n.Scalar();
                s.areaBudget = 0.0;
            } else if (auto v = m_r.value(n, p, spec(ParamGroup::Space, "area_budget"))) {
                s.areaBudgetPreset.clear();
                s.areaBudget = *v;
            }
        }
        readReal(node, path, ParamGroup::Space, "area_min_fraction", s.areaMinFraction);
        return s;
    }

    void readRange(const YAML::Node &parent, const std::string &path, const char *key,
                   ValueRange &out)
    {
        const YAML::Node n = parent[key];
        if (!n)
            return;
        const std::string p = join(path, key);
        const ParameterSpec &ps = spec(ParamGroup::Space, key);
        if (n.IsMap()) {
            m_r.checkKeys(n, p, {"min", "max"});
            if (!n["min"] || !n["max"]) {
                m_r.error(n, p, "a range needs both min and max (powers of two in between)");
                return;
            }
            auto lo = m_r.value(n["min"], p + ".min", ps);
            auto hi = m_r.value(n["max"], p + ".max", ps);
            if (lo && hi && *lo > *hi)
                m_r.error(n, p, "min is larger than max");
            else if (lo && hi)
                out = ValueRange::powersOfTwo(*lo, *hi);
            return;
        }
        if (auto values = m_r.valueList(n, p, ps)) {
            if (values->empty())
                m_r.error(n, p, "the list is empty");
            else
                out = ValueRange::list(*values);
        }
    }

    void parseTraining(const YAML::Node &node, TrainingSpec &t)
    {
        const std::string path = "training";
        const ParamGroup g = ParamGroup::Training;
        if (!m_r.expectMap(node, path))
            return;
        m_r.checkKeys(node, path, keysOf(g));
        readInt(node, path, g, "accelerators", t.accelerators);
        readInt(node, path, g, "global_batch", t.globalBatch);
        readIntList(node, path, g, "microbatch_sizes", t.microbatchSizes, false);
        if (auto n = node["hbm_sizes"]) {
            auto v = m_r.valueList(n, join(path, "hbm_sizes"), spec(g, "hbm_sizes"));
            if (v && v->empty())
                m_r.error(n, join(path, "hbm_sizes"), "the list is empty");
            else if (v)
                t.hbmSizes = *v;
        }
        if (auto n = node["recomputation"]) {
            auto v = m_r.booleanList(n, join(path, "recomputation"));
            if (v && v->empty())
                m_r.error(n, join(path, "recomputation"), "the list is empty");
            else if (v)
                t.recomputation = *v;
        }
        readIntList(node, path, g, "tensor_parallel_widths", t.tensorParallelWidths, true);
        readChoice(node, path, g, "optimizer", t.optimizer);
        readReal(node, path, g, "link_bandwidth", t.linkBandwidth);
        readChoice(node, path, g, "pipeline_schedule", t.pipelineSchedule);
    }

    void parseSearch(const YAML::Node &node, SearchSpec &s)
    {
        const std::string path = "search";
        const ParamGroup g = ParamGroup::Search;
        if (!m_r.expectMap(node, path))
            return;
        m_r.checkKeys(node, path, keysOf(g));
        readChoice(node, path, g, "strategy", s.strategy);
        readInt(node, path, g, "threads", s.threads);
        readReal(node, path, g, "ilp_time_limit", s.ilpTimeLimit);
        readReal(node, path, g, "mip_gap", s.mipGap);
        readInt(node, path, g, "max_downsets", s.maxDownsets);
        if (auto n = node["fusion"])
            s.fusion = m_r.boolean(n, join(path, "fusion")).value_or(s.fusion);
    }

    template <typename Int>
    void readInt(const YAML::Node &parent, const std::string &path, ParamGroup g, const char *key,
                 Int &out)
    {
        if (auto n = parent[key])
            if (auto v = m_r.value(n, join(path, key), spec(g, key)))
                out = Int(*v);
    }

    void readReal(const YAML::Node &parent, const std::string &path, ParamGroup g, const char *key,
                  double &out)
    {
        if (auto n = parent[key])
            if (auto v = m_r.value(n, join(path, key), spec(g, key)))
                out = *v;
    }

    void readIntList(const YAML::Node &parent, const std::string &path, ParamGroup g,
                     const char *key, std::vector<int> &out, bool emptyAllowed)
    {
        const YAML::Node n = parent[key];
        if (!n)
            return;
        auto v = m_r.valueList(n, join(path, key), spec(g, key));
        if (!v)
            return;
        if (v->empty() && !emptyAllowed) {
            m_r.error(n, join(path, key), "the list is empty");
            return;
        }
        out.assign(v->begin(), v->end());
    }

    template <typename Enum>
    void readChoice(const YAML::Node &parent, const std::string &path, ParamGroup g,
                    const char *key, Enum &out)
    {
        if (auto n = parent[key])
            if (auto v = m_r.choice(n, join(path, key), spec(g, key)))
                out = Enum(*v);
    }

    YamlReader &m_r;
    std::string m_baseDir;
};

} // namespace

ProjectLoad loadProjectText(const std::string &yamlText, const std::string &fileName,
                            const std::string &baseDir)
{
    ProjectLoad out;
    if (std::optional<Diagnostic> bad = checkDocumentText(yamlText, fileName)) {
        out.errors.push_back(std::move(*bad));
        return out;
    }
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::Exception &e) {
        out.errors.push_back(Diagnostic{fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                                        e.mark.column >= 0 ? e.mark.column + 1 : 0, "",
                                        "malformed YAML: " + e.msg});
        return out;
    }
    YamlReader reader(fileName, out.errors);
    ProjectSpec project;
    try {
        ProjectParser(reader, baseDir).parse(root, project);
    } catch (const YAML::Exception &e) {
        // yaml-cpp throws on some malformed structures (e.g. aliases to nothing); never escape.
        out.errors.push_back(Diagnostic{fileName, e.mark.line + 1, e.mark.column + 1, "", e.msg});
    }
    if (out.errors.empty())
        out.project = std::move(project);
    return out;
}

ProjectLoad loadProjectFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ProjectLoad out;
        out.errors.push_back(Diagnostic{path, 0, 0, "", "cannot open the file for reading"});
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::filesystem::path p(path);
    return loadProjectText(text.str(), p.filename().string(), p.parent_path().string());
}

ProjectSpec defaultProject()
{
    ProjectSpec p;
    p.name = "GPT-2 XL on 1024 accelerators";
    p.description = "PHAZE defaults: 1024 accelerators, global batch 4096, SGD, 4 GiB/s links";
    p.models.push_back(ModelRef{"gpt2-xl", "", 0});
    p.architecture = ArchitectureSpec{};
    p.space = ArchSpaceSpec{};
    return p;
}

} // namespace phaze
