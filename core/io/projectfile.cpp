#include "core/io/projectfile.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/arch/archspace.h"
#include "core/io/documenttext.h"
#include "core/io/parametersections.h"
#include "core/io/huggingfaceconfig.h"
#include "core/io/transformeryaml.h"
#include "core/io/yamlreader.h"
#include "core/model/modelzoo.h"

namespace phaze {
namespace {

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
        m_r.checkKeys(root, "", projectFileKeys());
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
            p.architecture = readArchitectureSection(m_r, n);
        if (auto n = root["architecture_space"])
            p.space = parseSpace(n);
        if (auto n = root["training"])
            parseSection(n, ParamGroup::Training, p.training);
        if (auto n = root["cluster"])
            if (std::optional<ClusterSpec> c = readClusterSection(m_r, n))
                p.cluster = *c;
        if (auto n = root["strategy"])
            parseSection(n, ParamGroup::Strategy, p.strategy);
        if (auto n = root["search"])
            parseSection(n, ParamGroup::Search, p.search);
        checkProfile(root, p);
        checkSizes(root, p);
    }

private:
    // cluster: and strategy: describe the system profile; PHAZE's profile would ignore them,
    // and a setting that is silently ignored is refused. So are the training keys of the other
    // profile (ParameterSpec::scope).
    void checkProfile(const YAML::Node &root, const ProjectSpec &p)
    {
        const bool system = p.training.profile == ModelProfile::System;
        if (const YAML::Node training = root["training"]; training && training.IsMap())
            for (const auto &entry : training) {
                const std::string key = entry.first.as<std::string>("");
                const ParameterSpec *spec =
                    ParameterRegistry::instance().find(ParamGroup::Training, key);
                if (!spec || spec->appliesTo(system))
                    continue;
                m_r.error(entry.first, "training." + key,
                          system ? "applies to PHAZE's profile; the system profile (the default) "
                                   "takes it from " +
                                       std::string(key == "link_bandwidth" ? "cluster:"
                                                   : key == "recomputation" ? "strategy.recomputation"
                                                                            : "strategy.tp") +
                                       ", or add profile: phaze"
                                 : "applies to the system profile; remove it or drop profile: phaze");
            }
        if (system)
            return;
        for (const char *section : {"cluster", "strategy"})
            if (const YAML::Node n = root[section])
                m_r.error(n, section,
                          std::string(section) +
                              ": applies to the system profile; add training: {profile: "
                              "system}, or remove it to keep PHAZE's model");
    }

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
        m_r.checkKeys(node, path, {"zoo", "file", "seq", "name", "transformer", "huggingface"});
        if (auto n = node["huggingface"])
            return parseHuggingFace(node, n, path);
        if (auto n = node["transformer"]) {
            const std::string name =
                node["name"] ? m_r.string(node["name"], join(path, "name")).value_or("") : "";
            if (name.empty())
                m_r.error(node, path, "a parametric transformer needs a name: (e.g. name: my-22b)");
            const std::string at = join(path, "transformer");
            if (m_r.expectMap(n, at)) {
                m_r.checkKeys(n, at, transformerKeys());
                ref.transformer = readTransformer(m_r, n, at, name);
            }
            if (node["zoo"] || node["file"])
                m_r.error(node, path, "give exactly one of zoo: NAME, file: GRAPH.json or "
                                      "transformer: {...}");
            if (auto s = node["seq"])
                m_r.error(s, join(path, "seq"), "a parametric transformer gives its sequence");
            return ref;
        }
        if (node["name"])
            m_r.error(node["name"], join(path, "name"), "name: belongs to a parametric "
                                                        "transformer (transformer: {...})");
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
        if (auto n = node["seq"])
            ref.sequence = readSequence(n, join(path, "seq"));
        return ref;
    }

    // A model's seq: (1 .. kMaxSequenceLength tokens); 0 when it is not one.
    int readSequence(const YAML::Node &node, const std::string &path)
    {
        ParameterSpec seqSpec;
        seqSpec.type = ParamType::Integer;
        seqSpec.min = 1;
        seqSpec.max = kMaxSequenceLength;
        return int(m_r.value(node, path, seqSpec).value_or(0));
    }

    // models: [{huggingface: DIR/config.json, seq: S, name: N}]: the config is read now, so
    // that the system profile sees a transformer; its own errors keep their file and line.
    ModelRef parseHuggingFace(const YAML::Node &node, const YAML::Node &value,
                              const std::string &path)
    {
        ModelRef ref;
        const std::string at = join(path, "huggingface");
        ref.huggingface = m_r.string(value, at).value_or("");
        if (node["zoo"] || node["file"] || node["transformer"])
            m_r.error(node, path, "give exactly one of zoo: NAME, file: GRAPH.json, "
                                  "transformer: {...} or huggingface: CONFIG.json");
        std::string name = huggingFaceModelName(ref.huggingface);
        if (auto n = node["name"])
            name = m_r.string(n, join(path, "name")).value_or(name);
        int sequence = 0;
        if (auto n = node["seq"]) {
            sequence = readSequence(n, join(path, "seq"));
        } else {
            m_r.error(node, path, "a Hugging Face model needs seq: (the training sequence "
                                  "length; max_position_embeddings is only the longest the "
                                  "model supports)");
        }
        if (ref.huggingface.empty())
            return ref;
        const std::filesystem::path full = std::filesystem::path(m_baseDir) / ref.huggingface;
        Result<TransformerSpec> spec = loadHuggingFaceConfig(full.string(), name);
        if (!spec.ok()) {
            for (const Diagnostic &d : spec.diagnostics)
                m_r.error(value, at, d.format());
            return ref;
        }
        spec.value->sequence = sequence;
        ref.transformer = std::move(*spec.value);
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

    std::optional<ArchSpaceSpec> parseSpace(const YAML::Node &node)
    {
        const std::string path(paramGroupName(ParamGroup::Space));
        ArchSpaceSpec s;
        if (node.IsScalar() && (node.Scalar() == "phaze" || node.Scalar() == "default"))
            return s;
        if (!m_r.expectMap(node, path))
            return std::nullopt;
        checkSectionKeys(m_r, node, path, ParamGroup::Space);
        readSection(m_r, node, path, ParamGroup::Space, s);
        return s;
    }

    template <typename S> void parseSection(const YAML::Node &node, ParamGroup group, S &out)
    {
        const std::string path(paramGroupName(group));
        if (!m_r.expectMap(node, path))
            return;
        checkSectionKeys(m_r, node, path, group);
        readSection(m_r, node, path, group, out);
    }

    YamlReader &m_r;
    std::string m_baseDir;
};

} // namespace

Result<ProjectSpec> loadProjectText(const std::string &yamlText, const std::string &fileName,
                                    const std::string &baseDir)
{
    using R = Result<ProjectSpec>;
    if (std::optional<Diagnostic> bad = checkDocumentText(yamlText, fileName))
        return R::error(Diagnostics{std::move(*bad)});
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::Exception &e) {
        return R::error(Diagnostics{Diagnostic{fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                                               e.mark.column >= 0 ? e.mark.column + 1 : 0, "",
                                               "malformed YAML: " + e.msg}});
    }
    Diagnostics errors;
    YamlReader reader(fileName, errors);
    ProjectSpec project;
    try {
        ProjectParser(reader, baseDir).parse(root, project);
    } catch (const YAML::Exception &e) {
        // yaml-cpp throws on some malformed structures (e.g. aliases to nothing); never escape.
        errors.push_back(Diagnostic{fileName, e.mark.line + 1, e.mark.column + 1, "", e.msg});
    }
    return R::checked(std::move(project), std::move(errors));
}

Result<ProjectSpec> loadProjectFile(const std::string &path, std::string *fileText)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Result<ProjectSpec>::error(
            Diagnostics{Diagnostic{path, 0, 0, "", "cannot open the file for reading"}});
    std::ostringstream text;
    text << in.rdbuf();
    const std::filesystem::path p(path);
    if (fileText)
        *fileText = text.str();
    return loadProjectText(text.str(), p.filename().string(), p.parent_path().string());
}

ProjectSpec defaultProject()
{
    // resources/default-project.yaml, built in code (test_savedtext keeps the two equal).
    ProjectSpec p;
    p.name = "Llama 2 7B on 256 accelerators";
    p.description = "bf16-mixed Adam, 4M-token batches, DGX A100 links; layouts searched per chip";
    p.models.push_back(ModelRef{"llama2-7b", "", 0, {}, ""});
    p.architecture = ArchitectureSpec{};
    p.architecture->preset = "a100-sxm4-80gb";
    p.architecture->config = findAcceleratorPreset("a100-sxm4-80gb")->config;
    p.space = ArchSpaceSpec{};
    p.space->areaBudgetPreset = "a100-sxm4-80gb";
    p.training.profile = ModelProfile::System;
    p.training.accelerators = 256;
    p.training.globalBatch = 1024;
    p.training.microbatchSizes = {1, 2, 4};
    p.training.hbmSizes = {80.0 * (1ull << 30)};
    p.training.optimizer = Optimizer::Adam;
    p.cluster = findClusterPreset("dgx-a100")->cluster;
    p.cluster.preset = "dgx-a100";
    return p;
}

} // namespace phaze
