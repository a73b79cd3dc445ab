#include "core/search/codesign.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/arch/archspace.h"
#include "core/arch/areamodel.h"
#include "core/base/units.h"
#include "core/io/jsontext.h"
#include "core/io/projectfile.h"
#include "core/io/searchjson.h"
#include "core/io/technologyfile.h"
#include "core/search/evaluator.h"

namespace phaze {
namespace {

std::string fingerprintOf(const ProjectSpec &project, std::size_t candidates, int shard, int shards)
{
    const std::string text = saveProjectText(project) + "|" + std::to_string(candidates) + "|" +
                             std::to_string(shard) + "/" + std::to_string(shards);
    // FNV-1a: stable across runs and builds (std::hash is not guaranteed to be).
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
    return buf;
}

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
    Baseline dp{"tpuv4 + DP", {}, {}, {}};
    fixedOut = Baseline{"tpuv4 + fixed strategy", {}, {}, {}};
    AcceleratorConfig chip = findAcceleratorPreset("tpuv4")->config;
    chip.linkBandwidth = evaluator.project().training.linkBandwidth;
    const double area = chipArea(chip, tech);
    // The preset's HBM size is one of the knobs: take the best over the project's sizes.
    std::optional<Evaluation> best;
    for (double hbm : evaluator.project().training.hbmSizes) {
        Candidate c{0, chip, area};
        c.config.hbmBytes = hbm;
        Evaluation e = evaluator.evaluate(c, cancel);
        if (!best || (e.feasible() && (!best->feasible() || e.throughput > best->throughput)))
            best = std::move(e);
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
    Baseline out{"decoupled (architecture first)", {}, {}, {}};
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
                                               const std::string &baseDir,
                                               const std::optional<AcceleratorConfig> &only)
{
    const TechnologyLoad tech = resolveTechnology(project.technology, baseDir);
    if (!tech.table)
        return Result<std::vector<Candidate>>::error(formatAll(tech.errors));
    AcceleratorConfig base = project.architecture ? project.architecture->config
                                                  : findAcceleratorPreset("tpuv4")->config;
    base.linkBandwidth = project.training.linkBandwidth;
    std::vector<AcceleratorConfig> archs;
    std::vector<double> areas;
    if (only || !project.space) {
        AcceleratorConfig a = only ? *only : base;
        a.linkBandwidth = project.training.linkBandwidth;
        archs.push_back(a);
        areas.push_back(chipArea(a, *tech.table));
    } else {
        Result<ArchSpace> space = enumerateArchSpace(*project.space, base, *tech.table);
        if (!space.hasValue())
            return Result<std::vector<Candidate>>::error(space.message);
        archs = std::move(space.value->candidates);
        areas = std::move(space.value->areas);
    }
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
            Candidate c{out.size(), archs[a], areas[a]};
            c.config.hbmBytes = hbm;
            out.push_back(c);
        }
    return Result<std::vector<Candidate>>::optimal(std::move(out));
}

Result<std::string> searchFingerprint(const ProjectSpec &project, const std::string &baseDir)
{
    Result<std::vector<Candidate>> all = buildCandidates(project, baseDir);
    if (!all.hasValue())
        return Result<std::string>::error(all.message);
    return Result<std::string>::optimal(fingerprintOf(project, all.value->size(), 0, 1));
}

Result<CodesignResult> runCodesign(const ProjectSpec &project, const std::string &baseDir,
                                   const CodesignOptions &options, ProgressSink progress,
                                   CancelToken cancel)
{
    using R = Result<CodesignResult>;
    const TechnologyLoad tech = resolveTechnology(project.technology, baseDir);
    if (!tech.table)
        return R::error(formatAll(tech.errors));
    Result<std::vector<Candidate>> all = buildCandidates(project, baseDir, options.architecture);
    if (!all.hasValue())
        return R::error(all.message);
    if (options.shardCount < 1 || options.shardIndex < 0 ||
        options.shardIndex >= options.shardCount)
        return R::error("--shard I/N needs 1 <= I <= N");

    CodesignResult out;
    for (std::size_t i : shardIndices(all.value->size(), options.shardIndex, options.shardCount))
        out.candidates.push_back((*all.value)[i]);
    out.fingerprint =
        fingerprintOf(project, all.value->size(), options.shardIndex, options.shardCount);

    Evaluator evaluator(project, baseDir, *tech.table);
    if (const std::string error = evaluator.prepare(); !error.empty())
        return R::error(error);

    SearchOptions search;
    search.strategy = options.strategy.value_or(project.search.strategy);
    search.exactFronts = options.exactFronts;
    search.threads = resolveThreads(options.threads > 0 ? options.threads : project.search.threads);
    SearchJournal journal;
    if (!options.journalPath.empty()) {
        if (options.resume) {
            std::string error;
            auto resumed = SearchJournal::read(options.journalPath, out.fingerprint, error);
            if (!resumed)
                return R::error(error);
            search.resumed = std::move(*resumed);
        }
        if (const std::string error =
                journal.open(options.journalPath, out.fingerprint, options.resume);
            !error.empty())
            return R::error(error);
    }
    search.onEvaluation = [&journal, &options](const Evaluation &e) {
        const std::string error = journal.append(e);
        if (error.empty() && options.onEvaluation)
            options.onEvaluation(e);
        return error;
    };
    out.search = runSearch(
        out.candidates,
        [&evaluator](const Candidate &c, const CancelToken &t) { return evaluator.evaluate(c, t); },
        [&evaluator](const Candidate &c) { return evaluator.upperBound(c); }, search, progress,
        cancel);
    journal.close();

    if (options.baselines && !cancel.isCancelled() && out.search.status != Status::Error) {
        Baseline fixed;
        out.baselines.push_back(tpuv4Baselines(evaluator, *tech.table, fixed, cancel));
        out.baselines.push_back(fixed);
        if (!options.architecture && project.space)
            out.baselines.push_back(decoupledBaseline(evaluator, out.candidates, cancel));
    }
    const Evaluator::Profile profile = evaluator.profile();
    out.boundSeconds = profile.boundSeconds;
    out.scheduleSeconds = profile.scheduleSeconds;
    out.placementSeconds = profile.placementSeconds;
    auto rate = [](std::uint64_t hits, std::uint64_t misses) {
        return hits + misses == 0 ? 0.0 : double(hits) / double(hits + misses);
    };
    out.scheduleCacheHitRate = rate(profile.scheduleHits, profile.scheduleMisses);
    out.costCacheHitRate = rate(profile.costHits, profile.costMisses);
    return R::optimal(std::move(out));
}

std::string CodesignResult::extraJson() const
{
    using nlohmann::json;
    json baselinesJson = json::array();
    const double best = search.best ? search.evaluations[*search.best].throughput
                                    : std::numeric_limits<double>::quiet_NaN();
    for (const Baseline &b : baselines) {
        json entry = {{"name", b.name}, {"message", b.message}};
        entry["throughput"] = b.throughput ? json(*b.throughput) : json(nullptr);
        entry["gain"] = (b.throughput && *b.throughput > 0 && std::isfinite(best))
                            ? json(best / *b.throughput)
                            : json(nullptr);
        if (b.evaluation)
            entry["evaluation"] = json::parse(evaluationToJson(*b.evaluation));
        baselinesJson.push_back(entry);
    }
    const json profile = {{"bounds_s", boundSeconds},
                          {"schedules_s", scheduleSeconds},
                          {"placement_s", placementSeconds},
                          {"schedule_cache_hit_rate", scheduleCacheHitRate},
                          {"cost_cache_hit_rate", costCacheHitRate}};
    return dumpJson(
        json{{"fingerprint", fingerprint}, {"baselines", baselinesJson}, {"profile", profile}});
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
