#include "core/io/technologyfile.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/io/documenttext.h"
#include "core/io/resourcepaths.h"
#include "core/io/yamlreader.h"

namespace phaze {
namespace {

ParameterSpec quantity(Dimension dimension, double min, double max)
{
    ParameterSpec p;
    p.type = ParamType::Real;
    p.dimension = dimension;
    p.min = min;
    p.max = max;
    return p;
}

struct Field {
    const char *key;
    double TechnologyTable::*member;
    ParameterSpec spec;
};

// The table's scalar fields, section by section. Areas and energies must be non-negative
// (zero switches a component off); cycle counts and fractions must be positive.
const std::vector<std::pair<std::string, std::vector<Field>>> &sections()
{
    using T = TechnologyTable;
    static const std::vector<std::pair<std::string, std::vector<Field>>> table = {
        {"area",
         {{"mac", &T::macArea, quantity(Dimension::Area, 0, 1)},
          {"register_per_byte", &T::registerAreaPerByte, quantity(Dimension::Area, 0, 1)},
          {"scratchpad_per_byte", &T::scratchpadAreaPerByte, quantity(Dimension::Area, 0, 1)},
          {"glb_per_byte", &T::glbAreaPerByte, quantity(Dimension::Area, 0, 1)},
          {"vc_lane", &T::vcLaneArea, quantity(Dimension::Area, 0, 10)},
          {"uncore", &T::uncoreArea, quantity(Dimension::Area, 0, 1e5)}}},
        {"capacity",
         {{"pe_register_bytes", &T::peRegisterBytes, quantity(Dimension::Bytes, 0, 1 << 20)},
          {"tc_scratchpad_bytes_per_pe", &T::tcScratchpadBytesPerPe,
           quantity(Dimension::Bytes, 0, 1 << 20)},
          {"vc_register_bytes_per_lane", &T::vcRegisterBytesPerLane,
           quantity(Dimension::Bytes, 0, 1 << 24)}}},
        {"energy",
         {{"mac", &T::macEnergy, quantity(Dimension::Energy, 0, 1e-6)},
          {"register_per_byte", &T::registerEnergyPerByte, quantity(Dimension::Energy, 0, 1e-6)},
          {"scratchpad_per_byte", &T::scratchpadEnergyPerByte,
           quantity(Dimension::Energy, 0, 1e-6)},
          {"glb_per_byte", &T::glbEnergyPerByte, quantity(Dimension::Energy, 0, 1e-6)},
          {"vc_lane_op", &T::vcLaneOpEnergy, quantity(Dimension::Energy, 0, 1e-6)},
          {"hbm_per_byte", &T::hbmEnergyPerByte, quantity(Dimension::Energy, 0, 1e-6)},
          {"link_per_byte", &T::linkEnergyPerByte, quantity(Dimension::Energy, 0, 1e-6)}}},
        {"timing",
         {{"intra_sync_cycles", &T::intraSyncCycles, quantity(Dimension::Count, 0, 1e9)},
          {"accumulator_bytes", &T::accumulatorBytes, quantity(Dimension::Count, 1, 16)},
          {"glb_usable_fraction", &T::glbUsableFraction, quantity(Dimension::Count, 0.01, 1)}}},
        {"execution",
         {{"operator_overhead", &T::operatorOverhead, quantity(Dimension::Time, 0, 1)},
          {"hbm_efficiency", &T::hbmEfficiency, quantity(Dimension::Count, 0.01, 1)},
          {"matmul_efficiency", &T::matmulEfficiency, quantity(Dimension::Count, 0.01, 1)},
          {"tile_cores", &T::tileCores, quantity(Dimension::Count, 0, 1 << 16)},
          {"tile_rows", &T::tileRows, quantity(Dimension::Count, 1, 1 << 16)},
          {"tile_cols", &T::tileCols, quantity(Dimension::Count, 1, 1 << 16)}}},
        {"per_core",
         {{"control_area", &T::coreControlArea, quantity(Dimension::Area, 0, 100)},
          {"dma_area", &T::coreDmaArea, quantity(Dimension::Area, 0, 100)},
          {"instruction_store_bytes", &T::instructionStoreBytes,
           quantity(Dimension::Bytes, 0, 1 << 30)},
          {"noc_router_per_link_byte", &T::nocRouterAreaPerLinkByte,
           quantity(Dimension::Area, 0, 1)},
          {"noc_hop_cycles", &T::nocHopCycles, quantity(Dimension::Count, 0, 1e6)}}},
        {"power",
         {{"static_per_mm2", &T::staticPowerPerMm2, quantity(Dimension::Power, 0, 100)}}},
    };
    return table;
}

std::vector<std::string> vectorKindNames()
{
    std::vector<std::string> names;
    for (int i = int(OpKind::Add); i <= int(OpKind::Permute); ++i)
        names.emplace_back(opKindName(OpKind(i)));
    return names;
}

void readCycles(YamlReader &r, const YAML::Node &node, const std::string &path,
                std::array<double, kVectorKindCount> &out)
{
    if (!r.expectMap(node, path))
        return;
    r.checkKeys(node, path, vectorKindNames());
    const ParameterSpec spec = quantity(Dimension::Count, 1e-3, 1e6);
    for (const std::string &name : vectorKindNames()) {
        if (const YAML::Node n = node[name]) {
            const int index = vectorKindIndex(*opKindFromName(name));
            if (auto v = r.value(n, path + "." + name, spec))
                out[std::size_t(index)] = *v;
        }
    }
}

} // namespace

Result<TechnologyTable> loadTechnologyText(const std::string &yamlText, const std::string &fileName)
{
    using R = Result<TechnologyTable>;
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
    TechnologyTable table = defaultTechnology();
    if (root.IsNull())
        return R::optimal(table); // an empty file overrides nothing
    if (!r.expectMap(root, ""))
        return R::error(std::move(errors));
    std::vector<std::string> allowed = {"phaze_technology", "name", "vector_cycles",
                                        "vector_cycles_backward"};
    for (const auto &section : sections())
        allowed.push_back(section.first);
    r.checkKeys(root, "", allowed);
    if (const YAML::Node n = root["phaze_technology"]) {
        const auto v = r.string(n, "phaze_technology");
        if (v && *v != "1")
            r.error(n, "phaze_technology", "format version " + *v + " is not supported (1)");
    }
    if (const YAML::Node n = root["name"])
        table.name = r.string(n, "name").value_or(table.name);
    for (const auto &[section, fields] : sections()) {
        const YAML::Node node = root[section];
        if (!node || !r.expectMap(node, section))
            continue;
        std::vector<std::string> keys;
        for (const Field &f : fields)
            keys.emplace_back(f.key);
        r.checkKeys(node, section, keys);
        for (const Field &f : fields)
            if (const YAML::Node n = node[f.key])
                if (auto v = r.value(n, section + "." + f.key, f.spec))
                    table.*f.member = *v;
    }
    if (const YAML::Node n = root["vector_cycles"])
        readCycles(r, n, "vector_cycles", table.vectorCycles);
    if (const YAML::Node n = root["vector_cycles_backward"])
        readCycles(r, n, "vector_cycles_backward", table.vectorCyclesBackward);
    return R::checked(std::move(table), std::move(errors));
}

Result<TechnologyTable> loadTechnologyFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Result<TechnologyTable>::error(
            Diagnostics{Diagnostic{path, 0, 0, "", "cannot open the technology file"}});
    std::ostringstream text;
    text << in.rdbuf();
    return loadTechnologyText(text.str(), path);
}

Result<TechnologyTable> resolveTechnology(const std::string &reference, const std::string &baseDir)
{
    if (reference.empty() || reference == "default")
        return Result<TechnologyTable>::optimal(defaultTechnology());
    std::filesystem::path path(reference);
    if (path.is_relative() && !baseDir.empty())
        path = std::filesystem::path(baseDir) / path;
    return loadTechnologyFile(path.string());
}

Result<TechnologyTable> resolveTechnology(const std::string &reference, const std::string &baseDir,
                                          ModelProfile profile)
{
    Result<TechnologyTable> table = resolveTechnology(reference, baseDir);
    if (table.value)
        table.value = technologyForProfile(std::move(*table.value), profile);
    return table;
}

Result<TechnologyTable> resolveProjectTechnology(const ProjectSpec &project,
                                                 const std::string &baseDir)
{
    Result<TechnologyTable> table =
        resolveTechnology(project.technology, baseDir, project.training.profile);
    if (table.value && project.architecture && !project.space)
        *table.value = technologyForChip(*table.value, project.architecture->preset);
    return table;
}

std::string defaultTechnologyPath()
{
    return (std::filesystem::path(resourceDir()) / "technology" / "default.yaml").string();
}

} // namespace phaze
