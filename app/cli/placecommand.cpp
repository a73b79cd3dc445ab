// `phaze place --phaze-json IN.json`: PHAZE's device placement, in and out in PHAZE's format.

#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/io/chrometrace.h"
#include "core/io/phazejson.h"
#include "core/io/pipelinetrace.h"
#include "core/placement/pipelinetimeline.h"
#include "core/placement/placement.h"

namespace phaze::cli {
namespace {

constexpr const char *kUsage =
    "usage: phaze place --phaze-json IN.json [--out OUT.json|-] [--timeline OUT.trace.json|-]\n"
    "                   [--schedule 1f1b|gpipe] [--max-downsets N] [--fixed-layout phaze|ids]";

std::string summary(const Placement &p, const std::string &timelineText)
{
    std::ostringstream out;
    char line[256];
    std::snprintf(line, sizeof line,
                  "placement: tensor-parallel %d, data-parallel %d, %zu stages on %d devices per "
                  "replica\ntime per batch: %.10g (max stage load %.6g x (%d + %zu - 1) + "
                  "all-reduce %.6g)\n",
                  p.tensorParallel, p.dataParallel, p.stages.size(), p.devicesPerPipeline,
                  p.timePerBatch, p.maxLoad, p.microbatchesPerPipeline, p.stages.size(),
                  p.allReduceTime);
    out << line;
    for (std::size_t i = 0; i < p.stages.size(); ++i) {
        const PlacedStage &s = p.stages[i];
        std::snprintf(line, sizeof line,
                      "  stage %2zu: layers %d..%d (%zu), %d device(s), load %.6g\n", i + 1,
                      s.layers.front(), s.layers.back(), s.layers.size(), s.devices, s.load);
        out << line;
    }
    if (p.fixed) {
        if (p.fixed->feasible) {
            std::snprintf(line, sizeof line, "fixed baseline (p=%d, t=%d, d=%d): %.10g (%.3gx)\n",
                          p.fixed->pipelineStages, p.fixed->tensorParallel, p.fixed->dataParallel,
                          p.fixed->timePerBatch, p.fixed->timePerBatch / p.timePerBatch);
            out << line;
        } else {
            out << "fixed baseline: infeasible: " << p.fixed->message << "\n";
        }
    }
    out << timelineText;
    out << "(" << p.downsets << " downsets, " << p.stagePairs << " stages evaluated)\n";
    return out.str();
}

} // namespace

int runPlace(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {}, {"--phaze-json", "--schedule", "--max-downsets", "--fixed-layout"},
                   {"--out", "--timeline"});
    const auto input = parsed.value("--phaze-json");
    const auto maxDownsets = parsed.intValue("--max-downsets", 1, 1 << 30);
    const std::string schedule = parsed.value("--schedule").value_or("1f1b");
    const std::string layout = parsed.value("--fixed-layout").value_or("phaze");
    if (!parsed.ok() || !input || !parsed.positional().empty() ||
        (schedule != "1f1b" && schedule != "gpipe") || (layout != "phaze" && layout != "ids")) {
        std::cerr << kUsage << "\n--max-downsets defaults to PHAZE's limit, " << kPhazeMaxDownsets
                  << "\n";
        if (!parsed.ok())
            std::cerr << "error: " << parsed.error() << "\n";
        return kExitBadInput;
    }
    Diagnostics errors;
    const std::optional<PlacementInput> in = loadPhazeInput(*input, errors);
    if (!in) {
        for (const Diagnostic &d : errors)
            std::cerr << d.format() << "\n";
        return kExitBadInput;
    }
    PlacementOptions options;
    options.schedule = schedule == "gpipe" ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB;
    options.fixedLayout = layout == "ids" ? FixedLayout::LayerIds : FixedLayout::PhazePositions;
    // PHAZE's inputs get PHAZE's limit, not the project default (search.max_downsets).
    options.maxDownsets = maxDownsets ? std::size_t(*maxDownsets) : kPhazeMaxDownsets;
    const Result<Placement> result = place(*in, options);

    const auto outPath = parsed.value("--out");
    if (outPath) {
        if (const Outcome why = writeOutput(*outPath, writePhazeOutput(result)); !why.ok()) {
            std::cerr << "phaze place: " << why.message << "\n";
            return kExitIoError;
        }
    }
    std::ostream &text = parsed.humanOutput();
    if (result.status == Status::Error) {
        std::cerr << *input << ": " << result.message << "\n";
        return kExitBadInput;
    }
    if (!result.hasValue()) {
        text << "infeasible: " << result.message << "\n";
        return kExitInfeasible;
    }
    const Placement &p = *result.value;
    const PipelineTimeline timeline = simulatePipeline(p, options.schedule, in->bandwidth);
    char line[256];
    std::snprintf(
        line, sizeof line, "timeline (%s): makespan %.10g vs closed form %.10g, bubble %.1f%%\n",
        schedule.c_str(), timeline.makespan, timeline.closedForm, 100.0 * timeline.bubbleFraction);
    text << summary(p, line);
    if (const auto tracePath = parsed.value("--timeline")) {
        // PHAZE files give latencies in milliseconds; the trace format wants seconds.
        constexpr double kSecondsPerUnit = 1e-3;
        const ChromeTrace trace =
            pipelineToTrace(timeline, int(p.stages.size()),
                            "pipeline (one data-parallel replica), times from ms", kSecondsPerUnit);
        if (const Outcome why = writeOutput(*tracePath, trace.toJson()); !why.ok()) {
            std::cerr << "phaze place: " << why.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

} // namespace phaze::cli
