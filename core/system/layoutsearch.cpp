#include "core/system/layoutsearch.h"

#include <limits>
#include <string>

#include "core/base/units.h"
#include "core/model/modelzoo.h"

namespace phaze {
namespace {

std::vector<int> divisorsUpTo(int n, int limit)
{
    std::vector<int> out;
    for (int d = 1; d <= n && d <= limit; ++d)
        if (n % d == 0)
            out.push_back(d);
    return out;
}

template <typename T> std::vector<T> orDefault(const std::vector<T> &given, std::vector<T> all)
{
    return given.empty() ? all : given;
}

// Whether the strategy fixes one layout: then its errors are the user's, not skipped layouts.
bool fixesOneLayout(const StrategySpec &s)
{
    return s.tensor.size() == 1 && s.pipeline.size() == 1 && s.microbatch.size() == 1 &&
           s.interleave.size() == 1 && s.recomputation.size() == 1 &&
           s.sequenceParallel.size() == 1 && s.optimizerSharding.size() == 1 &&
           s.expert.size() <= 1 && s.context.size() == 1;
}

} // namespace

Result<LayoutSearchResult> searchLayouts(const LayoutSearchProblem &p, const CostModel &costs,
                                         ProgressSink progress, CancelToken cancel)
{
    using R = Result<LayoutSearchResult>;
    const StrategySpec &s = p.strategy;
    const TransformerSpec &m = p.model;
    if (p.devices < 1 || p.globalBatch < 1)
        return R::error("training: accelerators and global_batch must be at least 1");
    // Tensor-parallel widths: the divisors of the heads that divide hidden, ffn and the
    // key/value heads and fit in a node; pipeline depths: the divisors of the layer count.
    std::vector<int> widths;
    for (int t : divisorsUpTo(m.heads, p.cluster.devicesPerNode))
        if (m.hidden % t == 0 && m.ffn % t == 0 && m.keyValueHeads() % t == 0)
            widths.push_back(t);
    const std::vector<int> tps = orDefault(s.tensor, widths);
    const std::vector<int> pps = orDefault(s.pipeline, divisorsUpTo(m.layers, p.devices));
    const std::vector<int> mbs = orDefault(s.microbatch, p.microbatchSizes);
    const std::vector<int> vs = orDefault(s.interleave, {1});
    // Selective recomputation replays a materialised attention core; a fused kernel recomputes
    // its core in its own backward pass, so there is nothing selective to replay.
    const bool fused = p.recipe.attention == AttentionKernel::Fused;
    const std::vector<Recomputation> recs = orDefault(
        s.recomputation, fused ? std::vector<Recomputation>{Recomputation::None, Recomputation::Full}
                               : std::vector<Recomputation>{Recomputation::None,
                                                            Recomputation::Selective,
                                                            Recomputation::Full});
    const std::vector<bool> sps = orDefault(s.sequenceParallel, {false, true});
    const std::vector<bool> shards = orDefault(s.optimizerSharding, {false});
    const bool single = fixesOneLayout(s) && (s.expert.size() == 1 || !m.hasExperts());
    // Expert-parallel widths for dp ranks: the given ones, or every divisor of dp that also
    // divides the experts (1 for a dense model).
    auto expertWidths = [&](int d) {
        if (!s.expert.empty())
            return s.expert;
        if (!m.hasExperts())
            return std::vector<int>{1};
        std::vector<int> out;
        for (int ep : divisorsUpTo(d, d))
            if (m.moe.experts % ep == 0)
                out.push_back(ep);
        return out;
    };

    // The recipe choices, and the shapes (devices per replica, replicas, expert groups) that
    // fill the devices, in enumeration order: smaller tp first, then cp, pp, dp, ep, and the
    // recipe's microbatch, interleave, recomputation, sequence parallelism, sharding.
    struct Shape {
        int t = 1, cp = 1, pp = 1, d = 1, ep = 1;
    };
    struct Choice {
        int microbatch = 1, interleave = 1;
        Recomputation recomputation = Recomputation::None;
        bool sequenceParallel = false, optimizerSharding = false;
    };
    std::vector<Choice> choices;
    for (int b : mbs)
        for (int v : vs)
            for (Recomputation rec : recs)
                for (bool sp : sps)
                    for (bool shard : shards)
                        choices.push_back({b, v, rec, sp, shard});
    std::string lastRefusal;
    std::vector<Shape> shapes;
    for (int t : tps)
        for (int cp : orDefault(s.context, {1}))
            for (int pp : pps) {
                // The devices of one data-parallel replica: t x cp x p.
                const long long replica = static_cast<long long>(t) * cp * pp;
                const std::string name = cp > 1 ? "tp x cp x pp" : "tp x pp";
                if (s.data.empty() && p.devices % replica != 0) {
                    lastRefusal = "strategy: " + name + " = " + std::to_string(replica) +
                                  " does not divide the " + std::to_string(p.devices) +
                                  " accelerators";
                    continue;
                }
                for (int d : s.data.empty() ? std::vector<int>{int(p.devices / replica)} : s.data) {
                    if (replica * d != p.devices) {
                        lastRefusal = "strategy: " + name + " x dp = " +
                                      std::to_string(replica * d) + ", not the " +
                                      std::to_string(p.devices) + " accelerators";
                        continue;
                    }
                    for (int ep : expertWidths(d))
                        shapes.push_back({t, cp, pp, d, ep});
                }
            }

    LayoutSearchResult out;
    bool found = false;
    const long long total = static_cast<long long>(shapes.size() * choices.size());
    long long done = 0;
    for (const Shape &sh : shapes) {
        for (const Choice &c : choices) {
            if (cancel.isCancelled())
                return found ? R::cancelled(out) : R::cancelled();
            ++done;
            if (c.sequenceParallel && sh.t == 1 && s.sequenceParallel.empty())
                continue; // the same layout as without
            TrainingProblem tpb;
            tpb.model = m;
            tpb.sequence = p.sequence;
            tpb.chip = p.chip;
            tpb.cluster = p.cluster;
            tpb.recipe = p.recipe;
            tpb.recipe.interleave = c.interleave;
            tpb.recipe.recomputation = c.recomputation;
            tpb.recipe.sequenceParallel = c.sequenceParallel;
            tpb.recipe.optimizerSharding = c.optimizerSharding;
            tpb.layout = {sh.t, sh.pp, sh.d, c.microbatch, p.globalBatch, sh.ep, sh.cp};
            // A layout that cannot beat the best so far (a lower bound) or does not fit is not
            // simulated: the result is the same as scoring every layout in full.
            const double cutoff =
                found ? out.best.estimate.iterationTime : std::numeric_limits<double>::max();
            Result<TrainingEstimate> e = estimateTrainingBelow(tpb, costs, cutoff);
            if (!e.ok()) {
                lastRefusal = e.message;
                continue;
            }
            ++out.evaluated;
            if (!e.value->fits) {
                ++out.outOfMemory;
                continue;
            }
            if (e.value->simulated &&
                (!found || e.value->iterationTime < out.best.estimate.iterationTime)) {
                out.best = {tpb.layout, tpb.recipe, std::move(*e.value)};
                found = true;
            }
        }
        Progress pr;
        pr.phase = "layouts";
        pr.done = done;
        pr.total = total;
        if (found)
            pr.bestSoFar = out.best.estimate.iterationTime;
        progress.report(pr);
    }
    if (found)
        return R::optimal(std::move(out));
    if (single && out.evaluated == 0 && !lastRefusal.empty())
        return R::error(lastRefusal);
    if (out.evaluated > 0)
        return R::infeasible("none of the " + std::to_string(out.evaluated) +
                             " layouts fits in the device memory of " +
                             formatHuman(p.chip.hbmBytes, Dimension::Bytes, 3));
    return R::infeasible("no layout of the strategy can run this model on " +
                         std::to_string(p.devices) + " devices" +
                         (lastRefusal.empty() ? "" : " (" + lastRefusal + ")"));
}

Result<LayoutSearchProblem> layoutProblemOf(const ProjectSpec &project, std::size_t modelIndex,
                                            const AcceleratorConfig &chip)
{
    using R = Result<LayoutSearchProblem>;
    if (modelIndex >= project.models.size())
        return R::error("models[" + std::to_string(modelIndex) + "]: no such model");
    const ModelRef &ref = project.models[modelIndex];
    const TransformerSpec *spec = transformerOf(ref);
    if (!spec)
        return R::error("models[" + std::to_string(modelIndex) + "]: the system profile needs a "
                        "transformer (of the zoo or parametric); '" + ref.label() +
                        "' is an operator-graph file, not modelled under it yet");
    const TrainingSpec &t = project.training;
    LayoutSearchProblem p;
    p.model = *spec;
    p.sequence = ref.sequence;
    p.chip = chip;
    p.cluster = project.cluster;
    p.recipe.precision = t.precision;
    p.recipe.attention = t.attention;
    p.recipe.optimizer = t.optimizer;
    p.recipe.fp32Gradients = t.fp32Gradients;
    p.recipe.expertLoadImbalance = t.expertLoadImbalance;
    p.recipe.expertCapacityFactor = t.expertCapacityFactor;
    p.recipe.overlapGradientReduction = t.overlapGradientReduction;
    p.recipe.schedule = t.pipelineSchedule;
    p.strategy = project.strategy;
    p.devices = t.accelerators;
    p.globalBatch = t.globalBatch;
    p.microbatchSizes = t.microbatchSizes;
    return R::optimal(std::move(p));
}

} // namespace phaze
