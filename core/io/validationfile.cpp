#include "core/io/validationfile.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/arch/parameterregistry.h"
#include "core/base/units.h"
#include "core/io/documenttext.h"
#include "core/io/huggingfaceconfig.h"
#include "core/io/transformeryaml.h"
#include "core/io/yamlreader.h"
#include "core/model/modelzoo.h"

namespace phaze {

std::string validationQuantityKey(ValidationQuantity q)
{
    switch (q) {
    case ValidationQuantity::IterationTime:
        return "iteration_time";
    case ValidationQuantity::ThroughputPerDevice:
        return "throughput_per_device";
    case ValidationQuantity::MemoryParamsAndOptimizer:
        return "memory_params_and_optimizer";
    case ValidationQuantity::MemoryActivations:
        return "memory_activations";
    }
    return "?";
}

Dimension validationQuantityDimension(ValidationQuantity q)
{
    switch (q) {
    case ValidationQuantity::IterationTime:
        return Dimension::Time;
    case ValidationQuantity::ThroughputPerDevice:
        return Dimension::FlopRate;
    default:
        return Dimension::Bytes;
    }
}

namespace {

ParameterSpec quantity(Dimension dimension, double min, double max, bool integer = false)
{
    ParameterSpec p;
    p.type = integer ? ParamType::Integer : ParamType::Real;
    p.dimension = dimension;
    p.min = min;
    p.max = max;
    return p;
}

struct System {
    std::string chipPreset;
    AcceleratorConfig chip;
    ClusterSpec cluster;
};

class ValidationReader
{
public:
    ValidationReader(const std::string &file, Diagnostics &diagnostics) : r(file, diagnostics) {}

    std::optional<ValidationSuite> read(const YAML::Node &root);

private:
    void readSystem(const std::string &name, const YAML::Node &node);
    void readTier(const YAML::Node &node, const std::string &path, LinkTier &tier);
    void checkDatasheet(const YAML::Node &node, const std::string &path,
                        const AcceleratorConfig &chip);
    void readModel(const std::string &name, const YAML::Node &node);
    void readHuggingFace(const std::string &name, const YAML::Node &node,
                         const YAML::Node &value, const std::string &path);
    void readRun(const YAML::Node &node, const std::string &path, ValidationSuite &suite);
    void readTraining(const YAML::Node &node, const std::string &path, ValidationRun &run);
    void notModelled(const YAML::Node &node, const std::string &path, const std::string &what)
    {
        r.error(node, path, what + " is not modelled yet");
    }

    YamlReader r;
    std::map<std::string, System> m_systems;
    std::map<std::string, TransformerSpec> m_models;
    bool m_ok = true;
};

void ValidationReader::readTier(const YAML::Node &node, const std::string &path, LinkTier &tier)
{
    if (!r.expectMap(node, path))
        return;
    r.checkKeys(node, path, {"bandwidth", "latency", "efficiency"});
    // Ranges and units are the project file's cluster keys (intra_node_bandwidth, ...).
    const std::string tierKey = path.substr(path.rfind('.') + 1); // intra_node, inter_node
    const ParameterRegistry &registry = ParameterRegistry::instance();
    const std::pair<const char *, double LinkTier::*> fields[] = {
        {"bandwidth", &LinkTier::bandwidth},
        {"latency", &LinkTier::latency},
        {"efficiency", &LinkTier::efficiency}};
    for (const auto &[key, member] : fields) {
        const YAML::Node n = node[key];
        if (!n) {
            if (std::string(key) == "bandwidth")
                r.error(node, path, "missing key 'bandwidth'");
            continue;
        }
        const ParameterSpec &spec = *registry.find(ParamGroup::Cluster, tierKey + "_" + key);
        if (auto v = r.value(n, path + "." + key, spec))
            tier.*member = *v;
    }
}

void ValidationReader::checkDatasheet(const YAML::Node &node, const std::string &path,
                                      const AcceleratorConfig &chip)
{
    if (!r.expectMap(node, path))
        return;
    struct Fact {
        const char *key;
        Dimension dimension;
        double modelled; // < 0: reference only
    };
    const Fact facts[] = {
        {"peak_dense_bf16", Dimension::FlopRate, chip.peakFlops()},
        {"peak_fp32_simt", Dimension::FlopRate, -1},
        {"hbm_size", Dimension::Bytes, chip.hbmBytes},
        {"hbm_bandwidth", Dimension::Bandwidth, chip.hbmBandwidth},
        {"clock", Dimension::Frequency, chip.frequency},
        {"streaming_multiprocessors", Dimension::Count, double(chip.numVc)},
        {"l2_cache", Dimension::Bytes, chip.glbBytes},
        {"shared_memory_per_sm", Dimension::Bytes, -1},
    };
    std::vector<std::string> keys;
    for (const Fact &f : facts)
        keys.emplace_back(f.key);
    r.checkKeys(node, path, keys);
    for (const Fact &f : facts) {
        const YAML::Node n = node[f.key];
        if (!n)
            continue;
        const std::string field = path + "." + f.key;
        auto v = r.value(n, field, quantity(f.dimension, 0, 1e30));
        if (v && f.modelled >= 0 && std::fabs(*v - f.modelled) > 0.01 * std::fabs(*v))
            r.error(n, field,
                    "the chip preset models " + formatHuman(f.modelled, f.dimension, 4) +
                        ", the datasheet says " + formatHuman(*v, f.dimension, 4));
    }
}

void ValidationReader::readSystem(const std::string &name, const YAML::Node &node)
{
    const std::string path = "systems." + name;
    if (!r.expectMap(node, path))
        return;
    r.checkKeys(node, path, {"chip", "datasheet", "devices_per_node", "intra_node", "inter_node"});
    System system;
    const YAML::Node chip = node["chip"];
    if (!chip) {
        r.error(node, path, "missing key 'chip' (a chip preset)");
        return;
    }
    const auto chipName = r.string(chip, path + ".chip");
    if (!chipName)
        return;
    const AcceleratorPreset *preset = findAcceleratorPreset(*chipName);
    if (!preset) {
        std::string known;
        for (const AcceleratorPreset &p : acceleratorPresets())
            known += (known.empty() ? "" : ", ") + p.name;
        r.error(chip, path + ".chip", "unknown chip preset '" + *chipName + "' (known: " + known + ")");
        return;
    }
    system.chipPreset = preset->name;
    system.chip = preset->config;
    // Latency and efficiency the file does not give come from the chip's reference system.
    system.cluster = findClusterPreset(referenceClusterOf(*chipName))->cluster;
    system.cluster.preset.clear();
    if (const YAML::Node n = node["datasheet"])
        checkDatasheet(n, path + ".datasheet", system.chip);
    if (const YAML::Node n = node["devices_per_node"]) {
        if (auto v = r.value(n, path + ".devices_per_node", quantity(Dimension::Count, 1, 65536, true)))
            system.cluster.devicesPerNode = int(*v);
    } else {
        r.error(node, path, "missing key 'devices_per_node'");
    }
    if (const YAML::Node n = node["intra_node"])
        readTier(n, path + ".intra_node", system.cluster.intraNode);
    else
        r.error(node, path, "missing key 'intra_node'");
    if (const YAML::Node n = node["inter_node"])
        readTier(n, path + ".inter_node", system.cluster.interNode);
    else
        r.error(node, path, "missing key 'inter_node'");
    m_systems[name] = system;
}

// `huggingface: FILE` (relative to the validation file) with the run's `sequence:`; the config's
// own errors keep their file and line.
void ValidationReader::readHuggingFace(const std::string &name, const YAML::Node &node,
                                       const YAML::Node &value, const std::string &path)
{
    for (const auto &entry : node) {
        const std::string key = entry.first.Scalar();
        if (key != "huggingface" && key != "sequence")
            r.error(entry.first, path + "." + key,
                    "a huggingface: model takes only sequence: beside it");
    }
    const std::optional<std::string> file = r.string(value, path + ".huggingface");
    std::optional<double> sequence;
    if (const YAML::Node s = node["sequence"])
        sequence = r.value(s, path + ".sequence", quantity(Dimension::Count, 1, 1 << 16, true));
    else
        r.error(node, path, "a huggingface: model needs sequence: (a config does not say the "
                            "training sequence length)");
    if (!file || !sequence)
        return;
    const std::filesystem::path full =
        std::filesystem::path(r.file()).parent_path() / std::filesystem::path(*file);
    Result<TransformerSpec> spec = loadHuggingFaceConfig(full.string(), name);
    if (!spec.ok()) {
        for (const Diagnostic &d : spec.diagnostics)
            r.error(value, path + ".huggingface", d.format());
        return;
    }
    spec.value->sequence = int(*sequence);
    m_models[name] = *spec.value;
}

void ValidationReader::readModel(const std::string &name, const YAML::Node &node)
{
    const std::string path = "models." + name;
    if (!r.expectMap(node, path))
        return;
    r.checkKeys(node, path,
                {"layers", "hidden", "heads", "ffn", "sequence", "vocabulary", "kv_heads",
                 "activation", "norm", "tied_embeddings", "experts", "experts_per_token",
                 "expert_ffn", "shared_expert_ffn", "dense_layers", "head_dim", "qk_norm", "zoo",
                 "huggingface"});
    if (const YAML::Node n = node["huggingface"]) {
        readHuggingFace(name, node, n, path);
        return;
    }
    if (const YAML::Node n = node["zoo"]) {
        const std::optional<std::string> key = r.string(n, path + ".zoo");
        if (const TransformerSpec *zoo = key ? findZooModel(*key) : nullptr)
            m_models[name] = *zoo;
        else if (key)
            r.error(n, path + ".zoo", "no zoo model '" + *key + "'");
        if (node.size() > 1)
            r.error(node, path, "a zoo: model takes no other keys");
        return;
    }
    std::optional<TransformerSpec> spec = readTransformer(r, node, path, name);
    if (spec)
        m_models[name] = *spec;
}

void ValidationReader::readTraining(const YAML::Node &node, const std::string &path,
                                    ValidationRun &run)
{
    if (!r.expectMap(node, path))
        return;
    r.checkKeys(node, path,
                {"devices", "tp", "pp", "dp", "cp", "ep", "global_batch", "microbatch",
                 "interleave", "recomputation", "sequence_parallel", "precision", "optimizer",
                 "optimizer_sharding", "attention", "expert_load_imbalance",
                 "expert_capacity_factor"});
    ParallelLayout &l = run.problem.layout;
    TrainingRecipe &rec = run.problem.recipe;
    const auto integer = [&](const char *key, double max, int fallback) -> long long {
        const YAML::Node n = node[key];
        if (!n)
            return fallback;
        auto v = r.value(n, path + "." + key, quantity(Dimension::Count, 1, max, true));
        return v ? static_cast<long long>(*v) : fallback;
    };
    const long long devices = integer("devices", 1 << 24, 0);
    l.tensor = int(integer("tp", 1 << 16, 1));
    l.pipeline = int(integer("pp", 1 << 16, 1));
    l.data = int(integer("dp", 1 << 24, 1));
    l.context = int(integer("cp", 1 << 16, 1));
    // Expert parallelism shares the data-parallel ranks: devices stay tp x cp x pp x dp.
    l.expert = int(integer("ep", 1 << 16, 1));
    l.globalBatch = integer("global_batch", 1e12, 0);
    l.microbatch = int(integer("microbatch", 1 << 20, 1));
    rec.interleave = int(integer("interleave", 1 << 10, 1));
    if (!node["global_batch"])
        r.error(node, path, "missing key 'global_batch'");
    if (!node["devices"])
        r.error(node, path, "missing key 'devices'");
    else if (devices != l.devices())
        r.error(node["devices"], path + ".devices",
                std::to_string(devices) + " devices, but tp x " +
                    (l.context > 1 ? "cp x " : "") + "pp x dp = " +
                    std::to_string(l.devices()));
    // The choices are the project file's (the parameter registry's), spelt the same way.
    const ParameterRegistry &registry = ParameterRegistry::instance();
    const auto choice = [&](const char *key, ParamGroup group) -> std::optional<int> {
        const YAML::Node n = node[key];
        return n ? r.choice(n, path + "." + key, *registry.find(group, key)) : std::nullopt;
    };
    if (const std::optional<int> v = choice("recomputation", ParamGroup::Strategy))
        rec.recomputation = Recomputation(*v);
    if (const YAML::Node n = node["sequence_parallel"])
        rec.sequenceParallel = r.boolean(n, path + ".sequence_parallel").value_or(false);
    if (const YAML::Node n = node["optimizer_sharding"])
        rec.optimizerSharding = r.boolean(n, path + ".optimizer_sharding").value_or(false);
    if (const YAML::Node n = node["precision"]; n && n.IsScalar() && n.Scalar() == "fp8-mixed")
        notModelled(n, path + ".precision", "fp8 mixed precision");
    else if (const std::optional<int> v = choice("precision", ParamGroup::Training))
        rec.precision = Precision(*v);
    if (const std::optional<int> v = choice("optimizer", ParamGroup::Training))
        rec.optimizer = Optimizer(*v);
    if (const std::optional<int> v = choice("attention", ParamGroup::Training))
        rec.attention = AttentionKernel(*v);
    const auto factor = [&](const char *key, double min, double fallback) {
        const YAML::Node n = node[key];
        if (!n)
            return fallback;
        return r.value(n, path + "." + key, quantity(Dimension::Count, min, 1000, false))
            .value_or(fallback);
    };
    rec.expertLoadImbalance = factor("expert_load_imbalance", 1, 1.0);
    rec.expertCapacityFactor = factor("expert_capacity_factor", 0, 0.0);
}

void ValidationReader::readRun(const YAML::Node &node, const std::string &path,
                               ValidationSuite &suite)
{
    if (!r.expectMap(node, path))
        return;
    r.checkKeys(node, path, {"name", "model", "system", "training", "measured"});
    ValidationRun run;
    for (const char *key : {"name", "model", "system", "training", "measured"})
        if (!node[key])
            r.error(node, path, std::string("missing key '") + key + "'");
    if (const YAML::Node n = node["name"])
        run.name = r.string(n, path + ".name").value_or("");
    if (const YAML::Node n = node["model"]) {
        run.modelName = r.string(n, path + ".model").value_or("");
        auto it = m_models.find(run.modelName);
        if (it == m_models.end())
            r.error(n, path + ".model", "no model '" + run.modelName + "' under models:");
        else
            run.problem.model = it->second;
    }
    if (const YAML::Node n = node["system"]) {
        run.systemName = r.string(n, path + ".system").value_or("");
        auto it = m_systems.find(run.systemName);
        if (it == m_systems.end()) {
            r.error(n, path + ".system", "no system '" + run.systemName + "' under systems:");
        } else {
            run.problem.chip = it->second.chip;
            run.chipPreset = it->second.chipPreset;
            run.problem.cluster = it->second.cluster;
        }
    }
    if (const YAML::Node n = node["training"])
        readTraining(n, path + ".training", run);
    if (const YAML::Node n = node["measured"]) {
        if (r.expectMap(n, path + ".measured")) {
            const ValidationQuantity all[] = {
                ValidationQuantity::IterationTime, ValidationQuantity::ThroughputPerDevice,
                ValidationQuantity::MemoryParamsAndOptimizer, ValidationQuantity::MemoryActivations};
            std::vector<std::string> keys;
            for (ValidationQuantity q : all)
                keys.push_back(validationQuantityKey(q));
            r.checkKeys(n, path + ".measured", keys);
            for (ValidationQuantity q : all) {
                const std::string key = validationQuantityKey(q);
                if (const YAML::Node m = n[key])
                    if (auto v = r.value(m, path + ".measured." + key,
                                         quantity(validationQuantityDimension(q), 1e-30, 1e30)))
                        run.measured.push_back({q, *v});
            }
            if (n.size() == 0)
                r.error(n, path + ".measured", "no measurement");
        }
    }
    suite.runs.push_back(std::move(run));
}

std::optional<ValidationSuite> ValidationReader::read(const YAML::Node &root)
{
    if (!r.expectMap(root, ""))
        return std::nullopt;
    r.checkKeys(root, "", {"format", "name", "systems", "models", "runs"});
    ValidationSuite suite;
    suite.file = r.file();
    if (const YAML::Node n = root["format"]) {
        const auto v = r.string(n, "format");
        if (v && *v != "phaze-validation/1")
            r.error(n, "format", "format '" + *v + "' is not supported (phaze-validation/1)");
    } else {
        r.error(root, "", "missing key 'format' (phaze-validation/1)");
    }
    if (const YAML::Node n = root["name"])
        suite.name = r.string(n, "name").value_or("");
    for (const char *section : {"systems", "models"}) {
        const YAML::Node node = root[section];
        if (!node) {
            r.error(root, "", std::string("missing key '") + section + "'");
            continue;
        }
        if (!r.expectMap(node, section))
            continue;
        for (const auto &entry : node) {
            const std::string name = entry.first.as<std::string>();
            if (std::string(section) == "systems")
                readSystem(name, entry.second);
            else
                readModel(name, entry.second);
        }
    }
    const YAML::Node runs = root["runs"];
    if (!runs || !runs.IsSequence() || runs.size() == 0) {
        r.error(runs ? runs : root, "runs", "expected a non-empty list of runs");
    } else {
        for (std::size_t i = 0; i < runs.size(); ++i)
            readRun(runs[i], "runs[" + std::to_string(i) + "]", suite);
    }
    return suite;
}

} // namespace

std::string validationQuantityUnit(ValidationQuantity q)
{
    return std::string(baseUnit(validationQuantityDimension(q)));
}

Result<ValidationSuite> loadValidationText(const std::string &yamlText, const std::string &fileName)
{
    Diagnostics diagnostics;
    if (std::optional<Diagnostic> bad = checkDocumentText(yamlText, fileName)) {
        diagnostics.push_back(std::move(*bad));
        return Result<ValidationSuite>::error(std::move(diagnostics));
    }
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::ParserException &e) {
        diagnostics.push_back(Diagnostic{fileName, e.mark.line + 1, e.mark.column + 1, "",
                                         "YAML syntax error: " + e.msg});
        return Result<ValidationSuite>::error(std::move(diagnostics));
    }
    std::optional<ValidationSuite> suite;
    try {
        ValidationReader reader(fileName, diagnostics);
        suite = reader.read(root);
    } catch (const YAML::Exception &e) {
        diagnostics.push_back(Diagnostic{fileName, e.mark.line + 1, e.mark.column + 1, "",
                                         std::string("cannot read: ") + e.what()});
    }
    if (!diagnostics.empty() || !suite)
        return Result<ValidationSuite>::error(std::move(diagnostics));
    return Result<ValidationSuite>::optimal(std::move(*suite));
}

Result<ValidationSuite> loadValidationFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Result<ValidationSuite>::error(
            Diagnostics{Diagnostic{path, 0, 0, "", "cannot open the validation file"}});
    std::ostringstream text;
    text << in.rdbuf();
    return loadValidationText(text.str(), path);
}

} // namespace phaze
