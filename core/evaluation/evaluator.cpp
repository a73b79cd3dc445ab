#include "core/evaluation/evaluator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "core/model/operatordag.h"
#include "core/model/transformerbuilder.h"
#include "core/schedule/lowerbound.h"

namespace phaze {
namespace {

// Adds the wall time of its scope to a counter (nanoseconds; summed over threads).
class ScopeTimer
{
public:
    explicit ScopeTimer(std::atomic<long long> &sink)
        : m_sink(sink), m_start(std::chrono::steady_clock::now())
    {
    }
    ~ScopeTimer()
    {
        m_sink += std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now() - m_start)
                      .count();
    }

private:
    std::atomic<long long> &m_sink;
    std::chrono::steady_clock::time_point m_start;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

// Longest path through a layer DAG with per-layer weights (chains: the sum).
double longestPath(const ModelGraph &graph, const std::vector<double> &weight)
{
    const std::vector<int> order = graph.topologicalOrder();
    std::vector<double> finish(graph.layers.size(), 0.0);
    std::vector<std::vector<int>> preds(graph.layers.size());
    for (const LayerEdge &e : graph.edges)
        preds[std::size_t(e.target)].push_back(e.source);
    double longest = 0.0;
    for (int l : order) {
        double start = 0.0;
        for (int p : preds[std::size_t(l)])
            start = std::max(start, finish[std::size_t(p)]);
        finish[std::size_t(l)] = start + weight[std::size_t(l)];
        longest = std::max(longest, finish[std::size_t(l)]);
    }
    return longest;
}

std::vector<double> archKey(const AcceleratorConfig &c)
{
    return {double(c.numTc),          double(c.tcWidth), double(c.tcDepth),
            double(c.numVc),          double(c.vcWidth), c.glbBytes,
            c.hbmBandwidth,           c.frequency,       c.linkBandwidth,
            double(c.bytesPerElement)};
}

} // namespace

Evaluator::Evaluator(std::shared_ptr<const PreparedProject> project)
    : m_prepared(std::move(project)),
      m_costModel(CostModel::forProfile(m_prepared->spec.training.profile, m_prepared->technology)),
      m_scheduleCache(std::make_unique<ScheduleCache>())
{
    SchedulerOptions options;
    options.timeLimitSeconds = m_prepared->spec.search.ilpTimeLimit;
    options.mipGap = m_prepared->spec.search.mipGap;
    m_scheduler = std::make_unique<LayerScheduler>(m_costModel, m_scheduleCache.get(), options);
    if (m_prepared->spec.training.profile == ModelProfile::System)
        m_gemmFlopsPerSample = systemGemmFlops(m_prepared->spec);
}

// GEMM FLOPs of one sample's forward and backward pass, per model, counted once (one
// tensor-parallel slice of width 1, no recomputation): the work the system profile's bound
// divides by the chip's peak. 0 for a model the system profile cannot describe.
namespace {

double gemmFlops(const OperatorDag &dag)
{
    double sum = 0.0;
    for (const Operator &op : dag.ops)
        for (const PrimitiveOp &part : op.parts)
            if (isGemmKind(part.kind))
                sum += part.gemm.flops();
    return sum;
}

} // namespace

std::vector<double> Evaluator::systemGemmFlops(const ProjectSpec &project)
{
    std::vector<double> out(project.models.size(), 0.0);
    for (std::size_t i = 0; i < project.models.size(); ++i) {
        const Result<LayoutSearchProblem> p = layoutProblemOf(project, i, AcceleratorConfig{});
        if (!p.ok())
            continue; // not a transformer: no bound (evaluation says why)
        GraphBuildOptions options;
        options.microbatch = 1;
        options.tensorParallel = 1;
        options.fusion = false;
        options.sequence = p.value->sequence;
        // The GEMMs the chip runs: a fused causal attention computes half the scores.
        options.fusedAttention = p.value->recipe.attention == AttentionKernel::Fused;
        const Result<ModelGraph> graph = buildTransformer(p.value->model, options);
        if (!graph.ok())
            continue;
        for (const Layer &layer : graph.value->layers)
            out[i] += gemmFlops(layer.body->forward) + gemmFlops(backwardDag(layer.body->forward));
    }
    return out;
}

Result<std::vector<LayerScheduleEntry>> Evaluator::layerSchedules(const ModelGraph &graph,
                                                                  const AcceleratorConfig &config,
                                                                  const CancelToken &cancel) const
{
    const ScopeTimer timer(m_scheduleNanos);
    return m_scheduler->scheduleModel(graph, config, {}, cancel);
}

Evaluator::LayerTimes Evaluator::layerTimes(const ModelGraph &graph,
                                            const AcceleratorConfig &config,
                                            const CancelToken &cancel) const
{
    LayerTimes times;
    const std::size_t n = graph.layers.size();
    times.forward.assign(n, 0.0);
    times.backward.assign(n, 0.0);
    times.energy.assign(n, 0.0);
    std::map<const LayerBody *, LayerSchedule> byBody;
    const Result<std::vector<LayerScheduleEntry>> scheduled = layerSchedules(graph, config, cancel);
    for (const LayerScheduleEntry &entry : scheduled.value.value_or(std::vector<LayerScheduleEntry>{}))
        byBody.emplace(graph.layers[std::size_t(entry.layer)].body.get(), entry.schedule);
    for (std::size_t l = 0; l < n; ++l) {
        const auto found = byBody.find(graph.layers[l].body.get());
        if (found == byBody.end()) { // the scheduler stopped early (cancelled)
            times.status = cancel.isCancelled() ? Status::Cancelled : Status::Error;
            times.message = "layer " + graph.layers[l].name + ": not scheduled";
            return times;
        }
        const LayerSchedule &s = found->second;
        if (!s.forward.hasSchedule() || !s.backward.hasSchedule()) {
            times.status = cancel.isCancelled() ? Status::Cancelled : Status::Error;
            const auto &r = s.forward.hasSchedule() ? s.backward.result : s.forward.result;
            times.message = "layer " + graph.layers[l].name + ": " +
                            (r ? r->message : std::string("no schedule"));
            return times;
        }
        if (s.status() != Status::Optimal && times.status == Status::Optimal) {
            times.status = s.status(); // Feasible (the MIP gap) or TimeLimit
            times.message = "layer " + graph.layers[l].name +
                            (s.status() == Status::TimeLimit
                                 ? ": schedule not proven optimal within the ILP time limit"
                                 : ": schedule within the MIP gap, not proven optimal");
        }
        times.forward[l] = s.forward.latency();
        times.backward[l] = s.backward.latency();
        times.energy[l] = s.energy();
    }
    return times;
}

Evaluator::LayerTimes Evaluator::layerTimeBounds(const ModelGraph &graph,
                                                 const AcceleratorConfig &config) const
{
    LayerTimes times;
    std::map<const LayerBody *, std::pair<double, double>> byBody;
    for (const Layer &layer : graph.layers) {
        auto it = byBody.find(layer.body.get());
        if (it == byBody.end()) {
            const LayerCost cost = m_costModel.estimateLayer(*layer.body, config);
            const double f = LowerBound::of(LayerScheduler::problemOf(layer.body->forward,
                                                                      cost.forwardOps, config))
                                 .value;
            const double b =
                LowerBound::of(LayerScheduler::problemOf(cost.backward, cost.backwardOps, config))
                    .value;
            it = byBody.emplace(layer.body.get(), std::make_pair(f, b)).first;
        }
        times.forward.push_back(it->second.first);
        times.backward.push_back(it->second.second);
    }
    return times;
}

Result<Evaluator::PlacementProblem> Evaluator::placementProblem(const PreparedModel &model,
                                                                int microbatch,
                                                                const AcceleratorConfig &config,
                                                                const CancelToken &cancel) const
{
    using R = Result<PlacementProblem>;
    const TrainingSpec &t = project().training;
    PlacementProblem problem;
    Status scheduleStatus = Status::Optimal;
    std::string scheduleMessage;
    const std::vector<const ModelVariant *> variants = model.variantsOf(microbatch);
    if (variants.empty())
        return R::error(model.label + ": no graph was built for microbatch size " +
                        std::to_string(microbatch));
    // The placement DP chooses among the widths at once.
    for (const ModelVariant *v : variants) {
        const LayerTimes times = layerTimes(v->graph, config, cancel);
        if (times.status == Status::Error)
            return R::error(times.message);
        if (times.status == Status::Cancelled)
            return R::cancelled();
        if (times.status != Status::Optimal) { // Feasible or TimeLimit, the worse one kept
            if (scheduleStatus != Status::TimeLimit)
                scheduleStatus = times.status;
            scheduleMessage = times.message;
        }
        problem.input.graphs.push_back(
            placementGraphFromModel(v->graph, times.forward, times.backward));
        problem.energyByWidth[v->width] = times.energy;
        problem.efficiencyByWidth[v->width] =
            layerEfficiencies(v->graph, times.forward, times.backward, config.peakFlops());
    }
    PlacementInput &input = problem.input;
    input.devices = t.accelerators;
    input.memoryPerDevice = config.hbmBytes;
    input.bandwidth = config.linkBandwidth;
    input.microbatches = int((t.globalBatch + microbatch - 1) / microbatch);
    input.optimizer = t.optimizer;
    input.fixed = model.fixed;
    problem.options.schedule = t.pipelineSchedule;
    problem.options.maxDownsets = std::size_t(project().search.maxDownsets);
    if (scheduleStatus == Status::TimeLimit)
        return R::timeLimit(std::move(problem), 0.0, std::move(scheduleMessage));
    return scheduleStatus == Status::Optimal
               ? R::optimal(std::move(problem))
               : R::feasible(std::move(problem), 0.0, std::move(scheduleMessage));
}

ModelOutcome Evaluator::evaluateModel(const PreparedModel &model, const AcceleratorConfig &config,
                                      const CancelToken &cancel) const
{
    if (project().training.profile == ModelProfile::System)
        return systemOutcome(model, config, cancel);
    const TrainingSpec &t = project().training;
    ModelOutcome best;
    best.model = model.label;
    best.status = Status::Infeasible;
    std::vector<int> microbatches;
    for (const ModelVariant &v : model.variants)
        if (std::find(microbatches.begin(), microbatches.end(), v.microbatch) ==
            microbatches.end())
            microbatches.push_back(v.microbatch);
    std::sort(microbatches.begin(), microbatches.end());
    for (int b : microbatches) {
        Result<PlacementProblem> problem = placementProblem(model, b, config, cancel);
        if (!problem.hasValue()) {
            best.status = problem.status;
            best.message = problem.message;
            return best;
        }
        const Status scheduleStatus = problem.status;
        const std::string scheduleMessage = problem.message;
        PlacementInput &input = problem.value->input;
        for (bool recompute : t.recomputation) {
            input.recomputation = recompute;
            const Result<Placement> placed = [&] {
                const ScopeTimer timer(m_placementNanos);
                return place(input, problem.value->options, {}, cancel);
            }();
            if (!placed.hasValue()) {
                if (placed.status == Status::Cancelled || placed.status == Status::Error) {
                    best.status = placed.status;
                    best.message = placed.message;
                    return best;
                }
                if (best.status == Status::Infeasible)
                    best.message = placed.message;
                continue;
            }
            const Placement &p = *placed.value;
            const double throughput = double(t.globalBatch) / p.timePerBatch;
            if (best.status != Status::Infeasible && throughput <= best.throughput)
                continue;
            best.status = scheduleStatus;
            best.message = scheduleMessage;
            best.throughput = throughput;
            best.timePerBatch = p.timePerBatch;
            best.dataParallel = p.dataParallel;
            best.pipelineStages = int(p.stages.size());
            best.tensorParallel = p.tensorParallel;
            best.microbatch = b;
            best.recomputation = recompute;
            best.stages.clear();
            best.memoryPerDevice = 0.0;
            for (const PlacedStage &s : p.stages) {
                best.stages.push_back({s.layers, s.devices});
                best.memoryPerDevice = std::max(best.memoryPerDevice, s.memoryBytes);
            }
            best.fixedThroughput.reset();
            if (p.fixed && p.fixed->feasible)
                best.fixedThroughput = double(t.globalBatch) / p.fixed->timePerBatch;
            // Every layer slice runs once per microbatch on each of its t devices (a replayed
            // forward when recomputing is not counted: energy is reported, not optimised).
            double perMicrobatch = 0.0;
            for (double e : problem.value->energyByWidth[p.tensorParallel])
                perMicrobatch += e * p.tensorParallel;
            best.energyPerSample = perMicrobatch / double(b);
            best.layerEfficiency = problem.value->efficiencyByWidth[p.tensorParallel];
        }
    }
    return best;
}

Result<LayoutSearchResult> Evaluator::systemLayout(const PreparedModel &model,
                                                   const AcceleratorConfig &config,
                                                   const CancelToken &cancel) const
{
    const std::size_t index = std::size_t(&model - models().data());
    Result<LayoutSearchProblem> problem = layoutProblemOf(project(), index, config);
    if (!problem.ok())
        return Result<LayoutSearchResult>::error(problem.message);
    const ScopeTimer timer(m_placementNanos);
    return searchLayouts(*problem.value, m_costModel, {}, cancel);
}

Result<TrainingEstimate> Evaluator::systemSchedule(const PreparedModel &model,
                                                   const AcceleratorConfig &config,
                                                   const LayoutChoice &best) const
{
    const std::size_t index = std::size_t(&model - models().data());
    const Result<LayoutSearchProblem> problem = layoutProblemOf(project(), index, config);
    if (!problem.ok())
        return Result<TrainingEstimate>::error(problem.message);
    const LayoutSearchProblem &p = *problem.value;
    return estimateTrainingWithTimeline(
        TrainingProblem{p.model, p.sequence, p.chip, p.cluster, best.recipe, best.layout},
        m_costModel);
}

// The system profile (docs/system-model.md): the fastest Megatron-style layout that fits, every
// layout the strategy leaves open scored by the simulated schedule: the number `phaze
// evaluate` prints for this chip.
ModelOutcome Evaluator::systemOutcome(const PreparedModel &model, const AcceleratorConfig &config,
                                      const CancelToken &cancel) const
{
    ModelOutcome out;
    out.model = model.label;
    Result<LayoutSearchResult> found = systemLayout(model, config, cancel);
    out.status = found.status;
    out.message = found.message;
    if (!found.hasValue() || found.status == Status::Cancelled) {
        if (found.status == Status::Cancelled)
            out.status = Status::Cancelled;
        return out;
    }
    const LayoutChoice &best = found.value->best;
    const TrainingEstimate &e = best.estimate;
    out.throughput = double(project().training.globalBatch) / e.iterationTime;
    out.timePerBatch = e.iterationTime;
    out.dataParallel = best.layout.data;
    out.pipelineStages = best.layout.pipeline;
    out.tensorParallel = best.layout.tensor;
    out.microbatch = best.layout.microbatch;
    out.recomputation = best.recipe.recomputation != Recomputation::None;
    out.memoryPerDevice = e.memory.total();
    out.energyPerSample = e.energyPerSample;
    out.modelFlopsUtilisation = e.modelFlopsUtilisation;
    out.layerEfficiency = e.layerEfficiency;
    for (const StageEstimate &s : e.stages)
        out.stages.push_back({s.layers, best.layout.tensor});
    return out;
}

Evaluation Evaluator::evaluate(const Candidate &candidate, const CancelToken &cancel) const
{
    Evaluation e;
    e.candidate = candidate.index;
    e.config = candidate.config;
    e.areaMm2 = candidate.areaMm2;
    e.peakPowerW = candidate.peakPowerW;
    e.area = areaBreakdown(candidate.config, technology());
    e.power = peakPowerBreakdown(candidate.config, technology(), e.area.total());
    e.status = Status::Optimal;
    double throughput = 0.0, energy = 0.0;
    for (const PreparedModel &model : models()) {
        ModelOutcome outcome = evaluateModel(model, candidate.config, cancel);
        if (hasAnswer(outcome.status) && outcome.status != Status::Optimal &&
            e.status == Status::Optimal) {
            e.status = outcome.status; // Feasible or TimeLimit
            e.message = outcome.message;
        } else if (!hasAnswer(outcome.status)) {
            // PHAZE drops a configuration when any model cannot be placed on it.
            e.status = outcome.status;
            e.message = model.label + ": " + outcome.message;
        }
        throughput += outcome.throughput;
        energy += outcome.energyPerSample;
        e.models.push_back(std::move(outcome));
        if (!e.feasible())
            break;
    }
    if (e.feasible()) {
        e.throughput = throughput / double(models().size());
        e.energyPerSample = energy / double(models().size());
    } else {
        e.throughput = 0.0;
    }
    return e;
}

double Evaluator::upperBound(const Candidate &candidate) const
{
    // The system profile: the GEMMs of a batch take at least their FLOPs over the peak of all
    // devices (a tensor core never beats its peak: tensorcoremodel.cpp), whatever the layout,
    // so a model's throughput is at most devices x peak / GEMM FLOPs per sample
    // (docs/search.md). The candidate's is the mean over models.
    if (project().training.profile == ModelProfile::System) {
        double sum = 0.0;
        for (double flops : m_gemmFlopsPerSample) {
            if (flops <= 0.0)
                return std::numeric_limits<double>::infinity();
            sum += double(project().training.accelerators) * candidate.config.peakFlops() / flops;
        }
        return m_gemmFlopsPerSample.empty() ? std::numeric_limits<double>::infinity()
                                            : sum / double(m_gemmFlopsPerSample.size());
    }
    const std::vector<double> key = archKey(candidate.config);
    {
        std::lock_guard lock(m_boundMutex);
        if (auto it = m_bounds.find(key); it != m_bounds.end())
            return it->second;
    }
    const ScopeTimer timer(m_boundNanos);
    const TrainingSpec &t = project().training;
    double sum = 0.0;
    for (const PreparedModel &model : models()) {
        // For every data-parallel degree d: time per batch >= maxLoad x ceil(n_mb / d) +
        // 4 (d - 1) P_first / (W d). The S stages of a pipeline use S x a <= N / d devices (a:
        // devices of the narrowest stage) and S <= number of layers; their loads add up to at
        // least the longest path through the layer graph and each is at least its heaviest
        // layer, so maxLoad >= max(longest path / S_max, heaviest layer). The first stage holds
        // a source layer, so P_first >= the smallest source layer's parameters. Latencies are
        // per-layer lower bounds; memory limits only remove options.
        double best = 0.0;
        for (const ModelVariant &v : model.variants) {
            const LayerTimes bounds = layerTimeBounds(v.graph, candidate.config);
            const std::size_t n = v.graph.layers.size();
            std::vector<double> weight(n);
            std::vector<bool> isSource(n, true);
            for (const LayerEdge &e : v.graph.edges)
                isSource[std::size_t(e.target)] = false;
            double heaviest = 0.0, smallestSource = kInf;
            bool allTensorParallel = n > 0;
            for (std::size_t i = 0; i < n; ++i) {
                weight[i] = bounds.forward[i] + bounds.backward[i];
                heaviest = std::max(heaviest, weight[i]);
                if (isSource[i])
                    smallestSource =
                        std::min(smallestSource, double(v.graph.layers[i].body->parameterBytes));
                allTensorParallel = allTensorParallel && v.graph.layers[i].tensorParallel;
            }
            const double a = allTensorParallel ? double(v.width) : 1.0;
            const double path = longestPath(v.graph, weight);
            const long long microbatches = (t.globalBatch + v.microbatch - 1) / v.microbatch;
            const long long maxD = std::min<long long>(t.accelerators, microbatches);
            double time = kInf;
            for (long long d = 1; d <= maxD; ++d) {
                const double stages =
                    std::min(double(n), std::floor(double(t.accelerators) / (double(d) * a)));
                if (stages < 1.0)
                    break;
                const double load = std::max(path / stages, heaviest);
                const double allReduce = 4.0 * double(d - 1) * smallestSource /
                                         (candidate.config.linkBandwidth * double(d));
                time = std::min(time, load * double((microbatches + d - 1) / d) + allReduce);
            }
            best = std::max(best, time > 0.0 ? double(t.globalBatch) / time : kInf);
        }
        sum += best;
    }
    const double bound = sum / double(std::max<std::size_t>(1, models().size()));
    std::lock_guard lock(m_boundMutex);
    m_bounds.emplace(key, bound);
    return bound;
}

Evaluator::Profile Evaluator::profile() const
{
    Profile p;
    p.boundSeconds = double(m_boundNanos.load()) * 1e-9;
    p.scheduleSeconds = double(m_scheduleNanos.load()) * 1e-9;
    p.placementSeconds = double(m_placementNanos.load()) * 1e-9;
    const ScheduleCacheStats schedule = m_scheduleCache->stats();
    p.scheduleHits = schedule.hits;
    p.scheduleMisses = schedule.misses;
    const CostCacheStats cost = m_costModel.cacheStats();
    p.costHits = cost.hits;
    p.costMisses = cost.misses;
    return p;
}

double Evaluator::singleAcceleratorLatency(const AcceleratorConfig &config,
                                           const CancelToken &cancel) const
{
    if (models().empty() || models().front().variants.empty())
        return kInf;
    const ModelVariant &v = models().front().variants.front();
    const LayerTimes times = layerTimes(v.graph, config, cancel);
    if (times.status == Status::Error || times.status == Status::Cancelled)
        return kInf;
    double total = 0.0;
    for (std::size_t i = 0; i < times.forward.size(); ++i)
        total += times.forward[i] + times.backward[i];
    return total / double(v.microbatch);
}

double Evaluator::singleAcceleratorLatencyBound(const AcceleratorConfig &config) const
{
    if (models().empty() || models().front().variants.empty())
        return kInf;
    const ModelVariant &v = models().front().variants.front();
    const LayerTimes bounds = layerTimeBounds(v.graph, config);
    double total = 0.0;
    for (std::size_t i = 0; i < bounds.forward.size(); ++i)
        total += bounds.forward[i] + bounds.backward[i];
    return total / double(v.microbatch);
}

} // namespace phaze
