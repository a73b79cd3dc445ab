// `phaze estimate --model NAME --arch NAME|FILE`: the cost of every operator of every distinct
// layer, forward and backward, single-core and intra-operator.

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include "app/cli/chipoptions.h"
#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/arch/areamodel.h"
#include "core/base/units.h"
#include "core/cost/modelestimate.h"
#include "core/io/archfile.h"
#include "core/io/costjson.h"
#include "core/io/modelloader.h"
#include "core/io/projectfile.h"
#include "core/io/technologyfile.h"

namespace phaze::cli {
namespace {

std::string table(const std::vector<OperatorEstimate> &ops)
{
    std::ostringstream out;
    char line[320];
    std::string layer;
    double fwd = 0.0, bwd = 0.0;
    auto totals = [&] {
        if (layer.empty())
            return;
        std::snprintf(line, sizeof line, "  %-44s forward %s, backward %s (single-core sum)\n\n",
                      "", formatHuman(fwd, Dimension::Time).c_str(),
                      formatHuman(bwd, Dimension::Time).c_str());
        out << line;
    };
    for (const OperatorEstimate &e : ops) {
        if (e.layer != layer) {
            totals();
            layer = e.layer;
            fwd = bwd = 0.0;
            out << layer << "\n";
            std::snprintf(line, sizeof line, "  %-44s %-10s %10s %10s %10s %10s %10s\n", "operator",
                          "kind", "GFLOP", "HBM", "single", "intra", "energy");
            out << line;
        }
        (e.backward ? bwd : fwd) += e.cost.single.latency;
        std::string name = e.name;
        if (name.size() > 44)
            name = name.substr(0, 41) + "...";
        std::snprintf(line, sizeof line, "  %-44s %-10s %10.4g %10s %10s %10s %10s\n", name.c_str(),
                      std::string(coreClassName(e.cost.coreClass)).c_str(), e.cost.flops / 1e9,
                      formatHuman(e.cost.single.hbmBytes, Dimension::Bytes).c_str(),
                      formatHuman(e.cost.single.latency, Dimension::Time).c_str(),
                      formatHuman(e.cost.intra.latency, Dimension::Time).c_str(),
                      formatHuman(e.cost.single.energy, Dimension::Energy).c_str());
        out << line;
    }
    totals();
    return out.str();
}

} // namespace

int runEstimate(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--no-fusion"},
                   {"--model", "--arch", "--tp", "--mbs", "--seq", "--technology", "--profile"},
                   {"--json"});
    // The system profile (the default) charges a real chip's execution effects; PHAZE's costs
    // the ideal chip of the paper (docs/cost-model.md, "Execution effects").
    std::string profileError;
    const std::optional<ModelProfile> profile =
        profileOption(parsed, ModelProfile::System, profileError);
    GraphBuildOptions options;
    options.tensorParallel = parsed.intValue("--tp", 1, 4096).value_or(1);
    options.microbatch = parsed.intValue("--mbs", 1, 65536).value_or(1);
    options.sequence = parsed.intValue("--seq", 1, kMaxSequenceLength).value_or(0);
    options.fusion = !parsed.has("--no-fusion");
    const auto modelName = parsed.value("--model");
    const auto archName = parsed.value("--arch");
    if (!parsed.ok() || !modelName || !archName || !parsed.positional().empty() || !profile) {
        std::cerr << "usage: phaze estimate --model NAME|FILE.json --arch NAME|FILE [--tp T] "
                     "[--mbs B] [--seq S] [--no-fusion] [--technology FILE] "
                     "[--profile system|phaze] [--json OUT|-]"
                  << (!parsed.ok() ? "\nerror: " + parsed.error()
                      : profile    ? ""
                                   : "\nerror: " + profileError)
                  << "\n";
        return kExitBadInput;
    }
    const std::string profileName = *profile == ModelProfile::Phaze ? "phaze" : "system";
    const Result<ArchFile> arch = loadArchByName(*archName);
    if (!arch.value) {
        for (const Diagnostic &d : arch.diagnostics)
            std::cerr << d.format() << "\n";
        return kExitBadInput;
    }
    const AcceleratorConfig &config = arch.value->config;
    if (const std::string problem = validateConfig(config); !problem.empty()) {
        std::cerr << arch.value->name << ": " << problem << "\n";
        return kExitBadInput;
    }
    const std::optional<TechnologyTable> tech =
        commandTechnology(parsed, arch.value->technology, arch.value->baseDir, *profile);
    if (!tech)
        return kExitBadInput;
    options.bytesPerElement = config.bytesPerElement;
    Result<ModelGraph> model = loadModelByName(*modelName, options);
    if (!model.value) {
        for (const Diagnostic &d : model.diagnostics)
            std::cerr << (d.file.empty() ? *modelName + ": " + d.message : d.format()) << "\n";
        return kExitBadInput;
    }
    // A chip preset's own measurements (its matmul efficiency, its GEMM tiling) replace the
    // table's.
    const TechnologyTable chipTech = technologyForChip(*tech, arch.value->name);
    const CostModel costModel = CostModel::forProfile(*profile, chipTech);
    const std::vector<OperatorEstimate> ops = estimateModel(*model.value, config, costModel);
    const double area = chipArea(config, *tech);

    const auto jsonPath = parsed.value("--json");
    std::ostream &text = parsed.humanOutput();
    const GraphBuildOptions &o = model.value->options;
    text << model.value->name << " (microbatch " << o.microbatch << ", sequence " << o.sequence
         << ", tensor-parallel width " << o.tensorParallel << ") on " << arch.value->name << ": "
         << formatHuman(config.peakFlops(), Dimension::FlopRate) << ", HBM "
         << formatHuman(config.hbmBandwidth, Dimension::Bandwidth) << ", "
         << formatHuman(area, Dimension::Area) << "; " << profileName << " profile"
         << (*profile == ModelProfile::System
                 ? " (per-kernel overhead, achieved HBM bandwidth, per-core costs, GEMMs at " +
                       std::to_string(int(std::lround(100.0 * chipTech.matmulEfficiency))) +
                       "% of the tiling's rate" +
                       (chipTech.tileCores > 0 ? ", thread-block tiles in waves over the SMs)"
                                               : ")")
                 : std::string(" (ideal chip)"))
         << "\n\n"
         << table(ops);
    if (jsonPath) {
        const std::string json =
            estimateJson(model.value->name, arch.value->name, config, area, ops, profileName,
                         costModel.achievedHbmBandwidth(config));
        if (const Outcome written = writeOutput(*jsonPath, json + "\n"); !written.ok()) {
            std::cerr << written.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

} // namespace phaze::cli
