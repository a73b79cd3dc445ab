#include "core/io/systemevaluate.h"

#include <sstream>

#include "core/base/units.h"
#include "core/io/estimatereport.h"
#include "core/io/jsontext.h"
#include "core/io/pipelinetrace.h"
#include "core/io/technologyfile.h"

namespace phaze {
namespace {

std::string onOff(bool on)
{
    return on ? "on" : "off";
}

} // namespace

Result<SystemEvaluation> evaluateSystemProject(const ProjectSpec &project, const std::string &baseDir,
                                               ProgressSink progress, CancelToken cancel)
{
    using R = Result<SystemEvaluation>;
    if (project.training.profile != ModelProfile::System)
        return R::error("training.profile: the project uses PHAZE's profile, not the system's");
    if (!project.architecture)
        return R::error("architecture: the system profile evaluates a fixed chip; give "
                        "architecture: (for example a100-sxm4-80gb)");
    Result<TechnologyTable> tech =
        resolveProjectTechnology(project, baseDir);
    if (!tech.ok())
        return R::error(std::move(tech.diagnostics), tech.message);
    const CostModel costs = CostModel::realistic(*tech.value);
    SystemEvaluation out;
    out.project = project.name;
    out.area = areaBreakdown(project.architecture->config, *tech.value);
    out.power = peakPowerBreakdown(project.architecture->config, *tech.value, out.area.total());
    for (std::size_t i = 0; i < project.models.size(); ++i) {
        const ModelRef &ref = project.models[i];
        Result<LayoutSearchProblem> problem =
            layoutProblemOf(project, i, project.architecture->config);
        if (!problem.ok())
            return R::error(problem.message);
        const LayoutSearchProblem &p = *problem.value;
        Result<LayoutSearchResult> r = searchLayouts(p, costs, progress, cancel);
        if (r.status == Status::Error)
            return R::error(ref.label() + ": " + r.message);
        SystemModelOutcome o;
        o.model = ref.label();
        o.status = r.status;
        o.message = r.message;
        if (r.value) {
            o.result = std::move(*r.value);
            // The best layout once more, keeping every operation of its schedule: the same
            // estimate (one code path), for the Pipeline tab and the trace.
            TrainingProblem best{p.model, p.sequence, p.chip, p.cluster, o.result.best.recipe,
                                 o.result.best.layout};
            Result<TrainingEstimate> timed = estimateTrainingWithTimeline(best, costs);
            if (!timed.ok())
                return R::error(ref.label() + ": " + timed.message);
            o.result.best.estimate = std::move(*timed.value);
            o.samplesPerSecond = double(p.globalBatch) / o.result.best.estimate.iterationTime;
        }
        out.models.push_back(std::move(o));
        if (r.status == Status::Cancelled)
            return R::cancelled(std::move(out));
    }
    return R::optimal(std::move(out));
}

std::string systemEvaluationText(const SystemEvaluation &e)
{
    std::ostringstream out;
    const auto s = [](double v) { return formatHuman(v, Dimension::Time, 4); };
    out << "chip: " << formatHuman(e.area.total(), Dimension::Area, 4) << " ("
        << formatHuman(e.area.perCoreOverhead(), Dimension::Area, 3)
        << " per-core control and routers), " << formatHuman(e.power.total(), Dimension::Power, 4)
        << " at peak (" << formatHuman(e.power.staticPower, Dimension::Power, 3) << " static)\n";
    for (const SystemModelOutcome &m : e.models) {
        if (!hasAnswer(m.status)) {
            out << m.model << ": " << m.message << "\n";
            continue;
        }
        const LayoutChoice &c = m.result.best;
        const TrainingEstimate &t = c.estimate;
        out << m.model << ": " << s(t.iterationTime) << " per iteration, "
            << formatHuman(m.samplesPerSecond, Dimension::Count, 4) << " samples/s, "
            << formatHuman(t.throughputPerDevice, Dimension::FlopRate, 4)
            << " per device (model FLOPs)\n"
            << "  layout: tp " << c.layout.tensor << ", pp " << c.layout.pipeline << ", dp "
            << c.layout.data
            << (c.layout.expert > 1 ? ", ep " + std::to_string(c.layout.expert) : "")
            << (c.layout.context > 1 ? ", cp " + std::to_string(c.layout.context) : "")
            << ", microbatch " << c.layout.microbatch << ", interleave "
            << c.recipe.interleave << ", recomputation " << recomputationName(c.recipe.recomputation)
            << ", sequence parallel " << onOff(c.recipe.sequenceParallel)
            << ", optimizer sharding " << onOff(c.recipe.optimizerSharding) << " ("
            << m.result.evaluated << " layouts estimated, " << m.result.outOfMemory
            << " out of memory)\n";
        // Stages count from 1 in text, as the Pipeline tab does (from 0 in the JSON).
        out << "  model FLOPs utilisation " << formatHuman(100.0 * t.modelFlopsUtilisation,
                                                           Dimension::Count, 3)
            << "%, energy " << formatHuman(t.energyPerSample, Dimension::Energy, 4)
            << " per sample (" << formatHuman(t.staticEnergyPerSample, Dimension::Energy, 3)
            << " static)\n";
        out << "  layer efficiency (forward / backward compute, of the peak): "
            << layerEfficiencyText(t.layerEfficiency) << "\n";
        out << "  time (stage " << t.criticalStage + 1 << "): " << timeBreakdownText(t.time) << "\n"
            << "  memory (stage " << t.fullestStage + 1 << "): " << deviceMemoryText(t.memory)
            << "\n";
    }
    return out.str();
}

std::string systemEvaluationJson(const SystemEvaluation &e)
{
    nlohmann::json j;
    j["format"] = "phaze-system-evaluation/1";
    j["project"] = e.project;
    j["chip"] = chipBreakdownJson(e.area, e.power);
    nlohmann::json models = nlohmann::json::array();
    for (const SystemModelOutcome &m : e.models) {
        nlohmann::json o = {{"name", m.model}, {"status", std::string(statusName(m.status))}};
        if (!hasAnswer(m.status)) {
            o["message"] = m.message;
            models.push_back(o);
            continue;
        }
        const LayoutChoice &c = m.result.best;
        const TrainingEstimate &t = c.estimate;
        o["layout"] = {{"tp", c.layout.tensor},
                       {"pp", c.layout.pipeline},
                       {"dp", c.layout.data},
                       {"ep", c.layout.expert},
                       {"cp", c.layout.context},
                       {"microbatch", c.layout.microbatch},
                       {"interleave", c.recipe.interleave},
                       {"recomputation", recomputationName(c.recipe.recomputation)},
                       {"sequence_parallel", c.recipe.sequenceParallel},
                       {"optimizer_sharding", c.recipe.optimizerSharding}};
        o["iteration_time_s"] = t.iterationTime;
        o["samples_per_s"] = m.samplesPerSecond;
        o["throughput_per_device_flop_s"] = t.throughputPerDevice;
        o["model_flops_utilisation"] = t.modelFlopsUtilisation;
        o["energy_per_sample_j"] = t.energyPerSample;
        o["static_energy_per_sample_j"] = t.staticEnergyPerSample;
        o["microbatches"] = t.microbatches; // per pipeline and iteration
        o["critical_stage"] = t.criticalStage;
        o["layer_efficiency"] = layerEfficiencyJson(t.layerEfficiency);
        o["time_s"] = timeBreakdownJson(t.time);
        o["fullest_stage"] = t.fullestStage;
        o["memory_bytes"] = deviceMemoryJson(t.memory);
        o["layouts_estimated"] = m.result.evaluated;
        o["layouts_out_of_memory"] = m.result.outOfMemory;
        models.push_back(o);
    }
    j["models"] = models;
    return dumpJson(j, 2) + "\n";
}

std::string systemEvaluationTrace(const SystemEvaluation &e)
{
    ChromeTrace trace;
    int pid = 1;
    for (const SystemModelOutcome &m : e.models) {
        if (!hasAnswer(m.status))
            continue;
        const TrainingEstimate &t = m.result.best.estimate;
        appendPipelineTrace(trace, pid++, t.timeline, int(t.stages.size()),
                            m.model + ": one data-parallel replica, " +
                                formatHuman(t.iterationTime, Dimension::Time, 4) + " per iteration");
    }
    return trace.toJson();
}

} // namespace phaze
