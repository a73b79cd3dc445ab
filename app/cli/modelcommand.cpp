// `phaze model NAME|FILE.json`: build a model's layer graph and summarise it.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/base/units.h"
#include "core/io/modeljson.h"
#include "core/io/modelloader.h"
#include "core/io/projectfile.h"

namespace phaze::cli {
namespace {

std::string flopsText(double flops)
{
    char buf[32];
    if (flops >= 1e12)
        std::snprintf(buf, sizeof buf, "%.3g TFLOP", flops / 1e12);
    else if (flops >= 1e9)
        std::snprintf(buf, sizeof buf, "%.3g GFLOP", flops / 1e9);
    else
        std::snprintf(buf, sizeof buf, "%.3g MFLOP", flops / 1e6);
    return buf;
}

std::string groupedInteger(long long v)
{
    std::string digits = std::to_string(v < 0 ? -v : v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
}

// Consecutive layers that share a body are printed as one row ("block.0 .. block.95 x96").
std::string summaryTable(const ModelGraph &g)
{
    std::ostringstream out;
    const GraphBuildOptions &o = g.options;
    out << g.name << ": microbatch " << o.microbatch << ", sequence " << o.sequence
        << ", tensor-parallel width " << o.tensorParallel
        << (o.expertParallel > 1 ? ", expert-parallel width " + std::to_string(o.expertParallel)
                                 : "")
        << ", fusion "
        << (o.fusion ? "on" : "off") << "\n"
        << "parameters: " << groupedInteger(g.totalParameters()) << " (" << g.layers.size()
        << " layers, " << g.transformerBlocks << " transformer blocks, "
        << g.distinctLayers().size() << " distinct, " << (g.isChain() ? "chain" : "branching")
        << ")\n";
    if (g.inactiveParameters > 0)
        out << "active parameters per token: " << groupedInteger(g.activeParameters())
            << " (mixture of experts)\n";
    out << "\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-24s %5s  %-11s %13s %14s %12s %12s\n", "layers", "count",
                  "kind", "ops fused/all", "params/slice", "activations", "fwd FLOPs");
    out << line;
    for (std::size_t i = 0; i < g.layers.size();) {
        std::size_t j = i + 1;
        while (j < g.layers.size() && g.layers[j].body == g.layers[i].body)
            ++j;
        const Layer &l = g.layers[i];
        const LayerBody &b = *l.body;
        const std::string name = j - i == 1 ? l.name : l.name + " .. " + g.layers[j - 1].name;
        const std::string ops =
            std::to_string(b.forward.ops.size()) + "/" + std::to_string(b.unfusedOperatorCount);
        std::snprintf(line, sizeof line, "%-24s %5zu  %-11s %13s %14s %12s %12s\n", name.c_str(),
                      j - i, std::string(layerKindName(l.kind)).c_str(), ops.c_str(),
                      groupedInteger(b.sliceParameters() + b.tiedParameters).c_str(),
                      formatHuman(double(b.activationBytes), Dimension::Bytes).c_str(),
                      flopsText(b.flopsForward).c_str());
        out << line;
        i = j;
    }
    return out.str();
}

} // namespace

int runModel(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--no-fusion"}, {"--tp", "--ep", "--mbs", "--seq", "--project"}, {"--json"});
    GraphBuildOptions options;
    options.tensorParallel = parsed.intValue("--tp", 1, 4096).value_or(1);
    options.expertParallel = parsed.intValue("--ep", 1, 65536).value_or(1);
    options.microbatch = parsed.intValue("--mbs", 1, 65536).value_or(1);
    options.sequence = parsed.intValue("--seq", 1, kMaxSequenceLength).value_or(0);
    options.fusion = !parsed.has("--no-fusion");
    const auto project = parsed.value("--project");
    if (!parsed.ok() ||
        (project ? !parsed.positional().empty() : parsed.positional().size() != 1)) {
        std::cerr << "usage: phaze model NAME|FILE.json [--tp T] [--ep E] [--mbs B] [--seq S] "
                     "[--no-fusion] [--json OUT|-]\n       phaze model --project PROJECT.yaml"
                  << (parsed.ok() ? "" : "\nerror: " + parsed.error()) << "\n";
        return kExitBadInput;
    }

    std::vector<ModelRef> refs;
    std::string baseDir;
    if (project) {
        const Result<ProjectSpec> load = loadProjectFile(*project);
        if (!load.value) {
            for (const Diagnostic &d : load.diagnostics)
                std::cerr << d.format() << "\n";
            return kExitBadInput;
        }
        refs = load.value->models;
        baseDir = std::filesystem::path(*project).parent_path().string();
        options.fusion = options.fusion && load.value->search.fusion;
        if (!parsed.value("--mbs") && !load.value->training.microbatchSizes.empty())
            options.microbatch = load.value->training.microbatchSizes.front();
    }

    std::vector<ModelGraph> graphs;
    auto add = [&](Result<ModelGraph> load, const std::string &label) {
        for (const Diagnostic &d : load.diagnostics)
            std::cerr << (d.file.empty() ? label + ": " + d.message : d.format()) << "\n";
        if (load.value)
            graphs.push_back(std::move(*load.value));
        return load.value.has_value() || load.diagnostics.empty();
    };
    bool ok = true;
    if (project) {
        for (const ModelRef &ref : refs)
            ok = add(loadModel(ref, options, baseDir), ref.label()) && ok;
    } else {
        ok =
            add(loadModelByName(parsed.positional().front(), options), parsed.positional().front());
    }
    if (!ok)
        return kExitBadInput;

    const auto jsonPath = parsed.value("--json");
    for (const ModelGraph &g : graphs)
        parsed.humanOutput() << summaryTable(g) << "\n";
    if (jsonPath) {
        std::string json;
        if (graphs.size() == 1 && !project) {
            json = modelSummaryJson(graphs.front());
        } else {
            json = "[\n";
            for (std::size_t i = 0; i < graphs.size(); ++i)
                json += (i ? ",\n" : "") + modelSummaryJson(graphs[i]);
            json += "\n]";
        }
        if (const Outcome written = writeOutput(*jsonPath, json + "\n"); !written.ok()) {
            std::cerr << written.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

} // namespace phaze::cli
