// `phaze schedule`: the exact per-layer operator schedule (algorithms.md §3), for an instance
// file or for every distinct layer of a model on an accelerator.

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/chipoptions.h"
#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/base/units.h"
#include "core/io/archfile.h"
#include "core/io/chrometrace.h"
#include "core/io/jsontext.h"
#include "core/io/modelloader.h"
#include "core/io/scheduleinstancejson.h"
#include "core/io/scheduletrace.h"
#include "core/io/technologyfile.h"
#include "core/schedule/layerscheduler.h"

namespace phaze::cli {
namespace {

using Json = nlohmann::json;

constexpr const char *kUsage =
    "usage: phaze schedule INSTANCE.json [--json OUT|-] [--time-limit SECONDS] [--trace OUT|-]\n"
    "       phaze schedule --model NAME|FILE.json --arch NAME|FILE [--tp T] [--mbs B] [--seq S]\n"
    "                      [--no-fusion] [--technology FILE] [--time-limit SECONDS]\n"
    "                      [--json OUT|-] [--trace OUT|-]";

int usage(const std::string &error)
{
    std::cerr << kUsage << (error.empty() ? "" : "\nerror: " + error) << "\n";
    return kExitBadInput;
}

// Writes and reports; returns false on failure.
bool write(const std::string &path, const std::string &text)
{
    if (const Outcome written = writeOutput(path, text + "\n"); !written.ok()) {
        std::cerr << written.message << "\n";
        return false;
    }
    return true;
}

int runInstance(const std::string &path, const SchedulerOptions &options, const CliArgs &parsed)
{
    const Result<ScheduleInstance> load = loadScheduleInstance(path);
    if (!load.value) {
        for (const Diagnostic &d : load.diagnostics)
            std::cerr << d.format() << "\n";
        return kExitBadInput;
    }
    const ScheduleInstance &instance = *load.value;
    const Result<ScheduleSolution> result = ExactScheduler(options).solve(instance.problem);
    const auto jsonPath = parsed.value("--json");
    std::ostream &text = parsed.humanOutput();
    if (!result.value) {
        std::cerr << path << ": " << statusName(result.status) << ": " << result.message << "\n";
        return result.status == Status::Infeasible ? kExitInfeasible : kExitBadInput;
    }
    const ScheduleSolution &s = *result.value;
    char line[256];
    std::snprintf(line, sizeof line,
                  "makespan %.10g  status %s  lower bound %.10g  (%d operators, %d ILP solve%s, "
                  "%.1f ms)\n",
                  s.schedule.makespan, std::string(statusName(result.status)).c_str(), s.lowerBound,
                  int(instance.problem.ops.size()), s.ilpSolves, s.ilpSolves == 1 ? "" : "s",
                  s.solveSeconds * 1e3);
    text << line;
    if (result.gap)
        text << "gap " << *result.gap * 100.0 << "% (" << result.message << ")\n";
    if (instance.expectedMakespan)
        text << "expected makespan " << *instance.expectedMakespan
             << (std::abs(*instance.expectedMakespan - s.schedule.makespan) <= 1e-6 ? " (matches)"
                                                                                    : " (differs)")
             << "\n";
    if (jsonPath && !write(*jsonPath, scheduleResultJson(instance, result)))
        return kExitIoError;
    if (const auto tracePath = parsed.value("--trace")) {
        ChromeTrace trace;
        addScheduleToTrace(trace, 1, path, instance.problem, s.schedule);
        if (!write(*tracePath, trace.toJson()))
            return kExitIoError;
    }
    return kExitOk;
}

// One pass of a layer: its schedule, its FLOPs and its operator efficiency (the FLOP/s it
// achieves over the makespan, over the chip's peak).
Json passJson(const PassSchedule &pass, double flops, double peakFlops)
{
    Json out;
    out["status"] = std::string(statusName(pass.status()));
    out["latency"] = pass.hasSchedule() ? Json(pass.latency()) : Json(nullptr);
    out["flops"] = flops;
    out["efficiency"] = pass.hasSchedule() && pass.latency() > 0.0 && peakFlops > 0.0
                            ? Json(flops / pass.latency() / peakFlops)
                            : Json(nullptr);
    if (!pass.hasSchedule()) {
        out["message"] = pass.result ? pass.result->message : std::string("not scheduled");
        return out;
    }
    const ScheduleSolution &s = *pass.result->value;
    out["lower_bound"] = s.lowerBound;
    if (pass.result->gap)
        out["gap"] = *pass.result->gap;
    out["solve_seconds"] = s.solveSeconds;
    out["energy"] = pass.energy;
    out["tc_utilisation"] = pass.tcUtilisation;
    out["vc_utilisation"] = pass.vcUtilisation;
    Json ops = Json::array();
    for (const ScheduledOp &op : s.schedule.ops) {
        const ScheduleOp &o = pass.problem.ops[std::size_t(op.op)];
        ops.push_back({{"name", o.name},
                       {"kind", std::string(scheduleOpKindName(o.kind))},
                       {"mode", std::string(opModeName(op.mode))},
                       {"start", op.start},
                       {"end", op.end},
                       {"tc_core", op.tcCore >= 0 ? Json(op.tcCore) : Json(nullptr)},
                       {"vc_core", op.vcCore >= 0 ? Json(op.vcCore) : Json(nullptr)}});
    }
    out["ops"] = std::move(ops);
    return out;
}

int runModelLayers(const std::string &modelName, const std::string &archName,
                   const SchedulerOptions &options, CliArgs &parsed)
{
    GraphBuildOptions build;
    build.tensorParallel = parsed.intValue("--tp", 1, 4096).value_or(1);
    build.microbatch = parsed.intValue("--mbs", 1, 65536).value_or(1);
    build.sequence = parsed.intValue("--seq", 1, 1 << 20).value_or(0);
    build.fusion = !parsed.has("--no-fusion");
    if (!parsed.ok())
        return usage(parsed.error());
    const Result<ArchFile> arch = loadArchByName(archName);
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
    // The exact schedule is PHAZE's, on the ideal chip of its cost model.
    const std::optional<TechnologyTable> tech =
        commandTechnology(parsed, arch.value->technology, arch.value->baseDir, ModelProfile::Phaze);
    if (!tech)
        return kExitBadInput;
    build.bytesPerElement = config.bytesPerElement;
    const Result<ModelGraph> model = loadModelByName(modelName, build);
    if (!model.value) {
        for (const Diagnostic &d : model.diagnostics)
            std::cerr << (d.file.empty() ? modelName + ": " + d.message : d.format()) << "\n";
        return kExitBadInput;
    }
    const CostModel costModel(*tech);
    ScheduleCache cache;
    const LayerScheduler scheduler(costModel, &cache, options);
    const Result<std::vector<LayerScheduleEntry>> scheduled =
        scheduler.scheduleModel(*model.value, config);
    if (!scheduled.hasValue()) {
        std::cerr << modelName << ": " << scheduled.message << "\n";
        return kExitInfeasible;
    }
    const std::vector<LayerScheduleEntry> &layers = *scheduled.value;

    const auto jsonPath = parsed.value("--json");
    std::ostream &text = parsed.humanOutput();
    const GraphBuildOptions &o = model.value->options;
    text << model.value->name << " (microbatch " << o.microbatch << ", sequence " << o.sequence
         << ", tensor-parallel width " << o.tensorParallel << ") on " << arch.value->name << " ("
         << config.numTc << " TC, " << config.numVc << " VC)\n\n";
    char line[320];
    std::snprintf(line, sizeof line, "%-16s %5s %11s %11s %-9s %-9s %11s %6s %6s %10s\n", "layer",
                  "count", "forward", "backward", "fwd", "bwd", "energy", "TC %", "VC %", "solve");
    text << line;
    bool anyError = false;
    for (const LayerScheduleEntry &e : layers) {
        const LayerSchedule &s = e.schedule;
        const double span = s.forward.latency() + s.backward.latency();
        const double tc = (s.forward.tcUtilisation * s.forward.latency() +
                           s.backward.tcUtilisation * s.backward.latency()) /
                          span;
        const double vc = (s.forward.vcUtilisation * s.forward.latency() +
                           s.backward.vcUtilisation * s.backward.latency()) /
                          span;
        anyError = anyError || s.status() == Status::Error;
        std::snprintf(line, sizeof line, "%-16s %5d %11s %11s %-9s %-9s %11s %6.1f %6.1f %8.2fms\n",
                      e.name.c_str(), e.occurrences,
                      formatHuman(s.forward.latency(), Dimension::Time, 4).c_str(),
                      formatHuman(s.backward.latency(), Dimension::Time, 4).c_str(),
                      std::string(statusName(s.forward.status())).c_str(),
                      std::string(statusName(s.backward.status())).c_str(),
                      formatHuman(s.energy(), Dimension::Energy).c_str(), 100.0 * tc, 100.0 * vc,
                      s.solveSeconds() * 1e3);
        text << line;
        for (const PassSchedule *p : {&s.forward, &s.backward})
            if (p->status() != Status::Optimal && p->result && !p->result->message.empty())
                text << "  " << e.name << ": " << p->result->message << "\n";
    }
    const ScheduleCacheStats stats = cache.stats();
    text << "\n" << stats.misses << " distinct passes solved, " << stats.hits << " cache hits\n";

    if (jsonPath) {
        Json root;
        root["model"] = model.value->name;
        root["arch"] = arch.value->name;
        root["num_tc"] = config.numTc;
        root["num_vc"] = config.numVc;
        Json list = Json::array();
        for (const LayerScheduleEntry &e : layers) {
            const LayerBody &body = *model.value->layers[std::size_t(e.layer)].body;
            list.push_back(
                {{"name", e.name},
                 {"occurrences", e.occurrences},
                 {"status", std::string(statusName(e.schedule.status()))},
                 {"energy", e.schedule.energy()},
                 {"forward", passJson(e.schedule.forward, body.flopsForward, config.peakFlops())},
                 {"backward",
                  passJson(e.schedule.backward, body.flopsBackward, config.peakFlops())}});
        }
        root["layers"] = std::move(list);
        if (!write(*jsonPath, dumpJson(root, 1)))
            return kExitIoError;
    }
    if (const auto tracePath = parsed.value("--trace")) {
        if (!write(*tracePath, layerSchedulesToTrace(layers).toJson()))
            return kExitIoError;
    }
    return anyError ? 1 : kExitOk;
}

} // namespace

int runSchedule(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--no-fusion"},
                   {"--model", "--arch", "--tp", "--mbs", "--seq", "--technology", "--time-limit"},
                   {"--json", "--trace"});
    if (!parsed.ok())
        return usage(parsed.error());
    SchedulerOptions options;
    if (const auto limit = parsed.value("--time-limit")) {
        char *end = nullptr;
        const double seconds = std::strtod(limit->c_str(), &end);
        if (limit->empty() || *end != '\0' || !std::isfinite(seconds) || seconds <= 0.0)
            return usage("--time-limit must be a positive number of seconds, not \"" + *limit +
                         "\"");
        options.timeLimitSeconds = seconds;
    }
    const auto modelName = parsed.value("--model");
    const auto archName = parsed.value("--arch");
    if (modelName || archName) {
        if (!modelName || !archName || !parsed.positional().empty())
            return usage("--model and --arch go together, without an instance file");
        return runModelLayers(*modelName, *archName, options, parsed);
    }
    if (parsed.positional().size() != 1)
        return usage("give one instance file, or --model and --arch");
    for (const char *option : {"--tp", "--mbs", "--seq", "--technology"})
        if (parsed.value(option))
            return usage(std::string(option) + " applies only with --model");
    return runInstance(parsed.positional().front(), options, parsed);
}

} // namespace phaze::cli
