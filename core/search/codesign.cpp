#include "core/search/codesign.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <thread>

#include "core/arch/archspace.h"
#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/base/units.h"
#include "core/evaluation/evaluator.h"

namespace phaze {
namespace {

int resolveThreads(int requested)
{
    if (requested > 0)
        return requested;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : int(hw);
}

Baseline tpuv4Baselines(const Evaluator &evaluator, const TechnologyTable &tech, Baseline &fixedOut,
                        const CancelToken &cancel)
{
    Baseline dp{"tpuv4 + DP", {}, {}, {}, {}};
    fixedOut = Baseline{"tpuv4 + fixed strategy", {}, {}, {}, {}};
    AcceleratorConfig chip = findAcceleratorPreset("tpuv4")->config;
    chip.linkBandwidth = evaluator.project().training.linkBandwidth;
    const double area = chipArea(chip, tech);
    const double power = peakPower(chip, tech, area);
    // The preset's HBM size is one of the knobs: take the best over the project's sizes.
    std::optional<Evaluation> best;
    for (double hbm : evaluator.project().training.hbmSizes) {
        Candidate c{0, chip, area, power};
        c.config.hbmBytes = hbm;
        Evaluation e = evaluator.evaluate(c, cancel);
        if (!best || (e.feasible() && (!best->feasible() || e.throughput > best->throughput))) {
            best = std::move(e);
            fixedOut.chip = c; // the same chip, placed by the zoo model's fixed layout
        }
    }
    dp.evaluation = best;
    if (best && best->feasible()) {
        dp.throughput = best->throughput;
        double fixedSum = 0.0;
        bool allFixed = true;
        for (const ModelOutcome &m : best->models) {
            if (!m.fixedThroughput) {
                allFixed = false;
                fixedOut.message = m.model + ": the fixed strategy does not fit or is not defined";
                break;
            }
            fixedSum += *m.fixedThroughput;
        }
        if (allFixed && !best->models.empty())
            fixedOut.throughput = fixedSum / double(best->models.size());
    } else {
        dp.message = best ? best->message : "not evaluated";
        fixedOut.message = dp.message;
    }
    return dp;
}

// Architecture first (minimum exact single-accelerator latency per sample, found with the
// per-layer lower bounds pruning the exact schedules), placement afterwards.
Baseline decoupledBaseline(const Evaluator &evaluator, const std::vector<Candidate> &candidates,
                           const CancelToken &cancel)
{
    Baseline out{"decoupled (architecture first)", {}, {}, {}, {}};
    std::vector<std::pair<double, std::size_t>> order;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i].config.hbmBytes == candidates.front().config.hbmBytes)
            order.emplace_back(evaluator.singleAcceleratorLatencyBound(candidates[i].config), i);
    std::sort(order.begin(), order.end());
    double bestLatency = INFINITY;
    std::optional<std::size_t> bestIndex;
    for (const auto &[bound, i] : order) {
        if (bound >= bestLatency || cancel.isCancelled())
            break;
        const double latency = evaluator.singleAcceleratorLatency(candidates[i].config, cancel);
        if (latency < bestLatency) {
            bestLatency = latency;
            bestIndex = i;
        }
    }
    if (!bestIndex) {
        out.message = "no architecture could be scheduled";
        return out;
    }
    std::optional<Evaluation> best;
    for (const Candidate &c : candidates) {
        const AcceleratorConfig &a = c.config, &b = candidates[*bestIndex].config;
        if (a.numTc != b.numTc || a.tcWidth != b.tcWidth || a.tcDepth != b.tcDepth ||
            a.numVc != b.numVc || a.vcWidth != b.vcWidth || a.glbBytes != b.glbBytes)
            continue;
        Evaluation e = evaluator.evaluate(c, cancel);
        if (!best || (e.feasible() && (!best->feasible() || e.throughput > best->throughput)))
            best = std::move(e);
    }
    out.evaluation = best;
    if (best && best->feasible())
        out.throughput = best->throughput;
    else
        out.message = best ? best->message : "not evaluated";
    return out;
}

} // namespace

Result<std::vector<Candidate>> buildCandidates(const ProjectSpec &project,
                                               const TechnologyTable &technology,
                                               const std::optional<AcceleratorConfig> &only)
{
    AcceleratorConfig base = project.architecture ? project.architecture->config
                                                  : findAcceleratorPreset("tpuv4")->config;
    base.linkBandwidth = project.training.linkBandwidth;
    std::vector<AcceleratorConfig> archs;
    std::vector<double> areas;
    if (only || !project.space) {
        AcceleratorConfig a = only ? *only : base;
        a.linkBandwidth = project.training.linkBandwidth;
        archs.push_back(a);
        areas.push_back(chipArea(a, technology));
    } else {
        Result<ArchSpace> space = enumerateArchSpace(*project.space, base, technology);
        if (!space.hasValue())
            return Result<std::vector<Candidate>>::error(space.message);
        archs = std::move(space.value->candidates);
        areas = std::move(space.value->areas);
    }
    std::vector<double> powers; // HBM size does not change the power at peak
    powers.reserve(archs.size());
    for (std::size_t a = 0; a < archs.size(); ++a)
        powers.push_back(peakPower(archs[a], technology, areas[a]));
    // Each candidate is held in memory: the project reader refuses such spaces, and projects
    // built in code (the workbench, tests, fuzzers) get the same limit here.
    const std::size_t hbmSizes = project.training.hbmSizes.size();
    if (hbmSizes > 0 && archs.size() > kMaxArchSpacePoints / hbmSizes)
        return Result<std::vector<Candidate>>::error(
            std::to_string(archs.size()) + " architectures x " + std::to_string(hbmSizes) +
            " HBM sizes are more candidates than the limit of " +
            std::to_string(kMaxArchSpacePoints) + ": narrow the space or list fewer HBM sizes");
    std::vector<Candidate> out;
    out.reserve(archs.size() * hbmSizes);
    for (std::size_t a = 0; a < archs.size(); ++a)
        for (double hbm : project.training.hbmSizes) {
            Candidate c{out.size(), archs[a], areas[a], powers[a]};
            c.config.hbmBytes = hbm;
            out.push_back(c);
        }
    return Result<std::vector<Candidate>>::optimal(std::move(out));
}

Result<CodesignResult> codesign(std::shared_ptr<const PreparedProject> prepared,
                                const std::vector<Candidate> &all, const CodesignOptions &options,
                                ProgressSink progress, CancelToken cancel)
{
    using R = Result<CodesignResult>;
    if (options.shardCount < 1 || options.shardIndex < 0 ||
        options.shardIndex >= options.shardCount)
        return R::error("--shard I/N needs 1 <= I <= N");
    const ProjectSpec &project = prepared->spec;
    CodesignResult out;
    for (std::size_t i : shardIndices(all.size(), options.shardIndex, options.shardCount))
        out.candidates.push_back(all[i]);

    auto evaluator = std::make_shared<const Evaluator>(prepared);
    SearchOptions search;
    search.strategy = options.strategy.value_or(project.search.strategy);
    search.exactFronts = options.exactFronts;
    search.threads = resolveThreads(options.threads > 0 ? options.threads : project.search.threads);
    search.resumed = options.resumed;
    search.onEvaluation = [&options](const Evaluation &e) {
        Outcome recorded = options.record ? options.record(e) : done();
        if (recorded.ok() && options.onEvaluation)
            options.onEvaluation(e);
        return recorded;
    };
    out.search = runSearch(
        out.candidates,
        [&evaluator](const Candidate &c, const CancelToken &t) { return evaluator->evaluate(c, t); },
        [&evaluator](const Candidate &c) { return evaluator->upperBound(c); }, search, progress,
        cancel);

    if (options.baselines && !cancel.isCancelled() && out.search.status != Status::Error) {
        Baseline fixed;
        out.baselines.push_back(tpuv4Baselines(*evaluator, prepared->technology, fixed, cancel));
        out.baselines.push_back(fixed);
        if (!options.architecture && project.space)
            out.baselines.push_back(decoupledBaseline(*evaluator, out.candidates, cancel));
    }
    const Evaluator::Profile profile = evaluator->profile();
    out.boundSeconds = profile.boundSeconds;
    out.scheduleSeconds = profile.scheduleSeconds;
    out.placementSeconds = profile.placementSeconds;
    auto rate = [](std::uint64_t hits, std::uint64_t misses) {
        return hits + misses == 0 ? 0.0 : double(hits) / double(hits + misses);
    };
    out.scheduleCacheHitRate = rate(profile.scheduleHits, profile.scheduleMisses);
    out.costCacheHitRate = rate(profile.costHits, profile.costMisses);
    out.evaluator = std::move(evaluator);
    // The top-level status is the true one: the search's (Infeasible when no candidate can
    // train the models, Cancelled with the partial result, Error when a journal write failed),
    // and for a finished search the best answer's own (TimeLimit or Feasible when its schedules
    // were not proven optimal). The result is kept in every case: views show partial searches.
    Status truth = out.search.status;
    std::string why = out.search.message;
    if (truth == Status::Optimal && out.search.best) {
        const Evaluation &best = out.search.evaluations[*out.search.best];
        if (best.status != Status::Optimal) {
            truth = best.status;
            why = best.message;
        }
    }
    Diagnostics diagnostics = out.search.diagnostics;
    return R{truth, std::move(out), std::move(why), {}, std::move(diagnostics)};
}

std::string CodesignResult::summary() const
{
    std::ostringstream out;
    const SearchCounts &c = search.counts;
    out << "candidates: " << c.total << " (evaluated " << c.evaluated << ", pruned " << c.pruned
        << ", infeasible " << c.infeasible;
    if (c.resumed)
        out << ", from the journal " << c.resumed;
    if (c.skipped)
        out << ", not visited after PHAZE's stop rule " << c.skipped;
    out << ") in " << formatHuman(search.elapsedSeconds, Dimension::Time) << "\n";
    char profile[256];
    std::snprintf(profile, sizeof profile,
                  "time (all threads): bounds %.3g s, layer schedules %.3g s, placement %.3g s; "
                  "cache hits: schedules %.1f%%, operator costs %.1f%%\n",
                  boundSeconds, scheduleSeconds, placementSeconds, 100 * scheduleCacheHitRate,
                  100 * costCacheHitRate);
    out << profile;
    if (!search.best) {
        out << "no feasible configuration: " << search.message << "\n";
        return out.str();
    }
    const Evaluation &b = search.evaluations[*search.best];
    const AcceleratorConfig &a = b.config;
    out << "best: " << b.throughput << " samples/s on " << a.numTc << " TCs of " << a.tcWidth << "x"
        << a.tcDepth << ", " << a.numVc << " VCs of " << a.vcWidth << " lanes, GLB "
        << formatQuantity(a.glbBytes, Dimension::Bytes) << ", HBM "
        << formatQuantity(a.hbmBytes, Dimension::Bytes) << " ("
        << formatHuman(b.areaMm2, Dimension::Area) << ")\n";
    for (const ModelOutcome &m : b.models)
        out << "  " << m.model << ": " << m.throughput << " samples/s, d=" << m.dataParallel
            << " p=" << m.pipelineStages << " t=" << m.tensorParallel << ", microbatch "
            << m.microbatch << ", recomputation " << (m.recomputation ? "on" : "off")
            << ", memory per device " << formatHuman(m.memoryPerDevice, Dimension::Bytes)
            << (m.message.empty() ? "" : " (" + m.message + ")") << "\n";
    for (const Baseline &base : baselines) {
        out << "baseline " << base.name << ": ";
        if (base.throughput)
            out << *base.throughput << " samples/s, co-design gain x"
                << b.throughput / *base.throughput << "\n";
        else
            out << "none (" << base.message << ")\n";
    }
    return out.str();
}

} // namespace phaze
