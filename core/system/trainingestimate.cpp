#include "core/system/trainingestimate.h"

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/model/transformerbuilder.h"
#include "core/system/activationmemory.h"
#include "core/system/collectives.h"
#include "core/system/trainingschedule.h"

namespace phaze {
namespace {

// Seconds of one layer for one microbatch on one device, by cause.
struct LayerTimes {
    double forward = 0.0;  // compute
    double backward = 0.0; // compute
    double forwardComm = 0.0;  // collectives: tensor-parallel and expert all-to-alls
    double backwardComm = 0.0;
    double expertComm = 0.0;   // of those, the expert all-to-alls, forward and backward
    double contextComm = 0.0;  // of those, the exposed ring exchange of K and V (cp > 1)
    double attentionCore = 0.0; // forward compute of the attention core (selective replay)
    double replay = 0.0;        // per stage: what the backward pass recomputes, comm included
    double energy = 0.0;        // J of forward and backward compute (replay not counted)
};

// What a body's fused attention kernels add to the model FLOPs counted from the graph, so that
// they count as the materialised kernels do: the full s x s scores (every part's FLOPs are
// proportional to the keys per query), forward and generic backward, without the replay.
double fusedAttentionFlopsCorrection(const LayerBody &body, int fullSequence)
{
    double correction = 0.0;
    for (const Operator &op : body.forward.ops) {
        if (!op.keepsIntermediates())
            continue;
        const GemmShape &scores = op.parts.front().gemm;
        const double fullWidth = double(fullSequence) / double(scores.n); // s / keys per query
        Operator materialised = op;
        materialised.fusedHbmBytes = 0; // its generic backward: no replay
        correction += fullWidth * (op.flops() + backwardOperator(materialised).flops()) -
                      op.flops() - backwardOperator(op).flops();
    }
    return correction;
}

class Estimator
{
public:
    Estimator(const TrainingProblem &p, const CostModel &costs, bool keepEvents,
              double cutoff = std::numeric_limits<double>::infinity())
        : m_p(p), m_costs(costs), m_keepEvents(keepEvents), m_cutoff(cutoff)
    {
    }

    Result<TrainingEstimate> run();

private:
    std::string check() const;
    LayerTimes layerTimes(const LayerBody &body) const;
    double ringAttentionTime(double coreForward, double coreBackward, LayerTimes &times) const;
    double transferTime() const;
    bool pipelineCrossesNodes() const;

    const TrainingProblem &m_p;
    const CostModel &m_costs;
    bool m_keepEvents = false;
    double m_cutoff; // skip the schedule when it cannot end before this (the search's best)
    ModelGraph m_graph;
    int m_sequence = 0;      // s: the whole sequence
    int m_localSequence = 0; // s / cp: the tokens of a sequence on one device
    int m_bytes = 2;
};

std::string Estimator::check() const
{
    const ParallelLayout &l = m_p.layout;
    const TrainingRecipe &r = m_p.recipe;
    if (l.tensor < 1 || l.pipeline < 1 || l.data < 1 || l.microbatch < 1 || l.expert < 1 ||
        l.context < 1)
        return "strategy: tp, pp, dp, cp, ep and microbatch must all be at least 1";
    if (l.context > 1 && r.attention != AttentionKernel::Fused)
        return "strategy.cp " + std::to_string(l.context) +
               ": context parallelism runs ring attention on fused kernels (training.attention: "
               "fused)";
    if (l.expert > 1 && !m_p.model.hasExperts())
        return "strategy.ep " + std::to_string(l.expert) +
               " needs a mixture-of-experts model; '" + m_p.model.key + "' is dense";
    if (l.data % l.expert != 0)
        return "strategy.ep " + std::to_string(l.expert) + " does not divide dp " +
               std::to_string(l.data) + ": expert-parallel groups are carved out of the "
               "data-parallel ranks";
    if (!(r.expertLoadImbalance >= 1.0) || !(r.expertCapacityFactor >= 0.0))
        return "training.expert_load_imbalance must be at least 1 and "
               "training.expert_capacity_factor at least 0";
    if (l.globalBatch < 1)
        return "training.global_batch must be at least 1";
    if (l.globalBatch % (static_cast<long long>(l.microbatch) * l.data) != 0)
        return "training.global_batch " + std::to_string(l.globalBatch) +
               " is not a multiple of microbatch x dp = " +
               std::to_string(static_cast<long long>(l.microbatch) * l.data);
    if (r.interleave < 1)
        return "strategy.interleave must be at least 1";
    if (r.attention == AttentionKernel::Fused && r.recomputation == Recomputation::Selective)
        return "strategy.recomputation: selective replays the materialised attention core; with "
               "training.attention: fused the kernel recomputes it itself (use none or full)";
    if (r.interleave > 1 && r.schedule != PipelineSchedule::OneFOneB)
        return "strategy.interleave > 1 needs the 1F1B pipeline schedule";
    if (r.interleave > 1 && l.pipeline == 1)
        return "strategy.interleave > 1 needs pp > 1";
    const long long chunks = static_cast<long long>(l.pipeline) * r.interleave;
    if (m_p.model.layers % chunks != 0)
        return "the model's " + std::to_string(m_p.model.layers) +
               " layers do not split evenly into pp x interleave = " + std::to_string(chunks) +
               " chunks";
    if (r.interleave > 1 && l.microbatches() % l.pipeline != 0)
        return "the interleaved schedule needs the microbatches per pipeline (" +
               std::to_string(l.microbatches()) + ") to be a multiple of pp";
    if (l.tensor > m_p.cluster.devicesPerNode)
        return "strategy.tp " + std::to_string(l.tensor) + " exceeds the " +
               std::to_string(m_p.cluster.devicesPerNode) +
               " devices of a node: tensor-parallel groups stay inside a node";
    if (std::string why = validateCluster(m_p.cluster); !why.empty())
        return why;
    if (std::string why = validateConfig(m_p.chip); !why.empty())
        return "chip: " + why;
    return {};
}

LayerTimes Estimator::layerTimes(const LayerBody &body) const
{
    const LayerCost cost = m_costs.estimateLayer(body, m_p.chip);
    const int t = m_p.layout.tensor;
    const double tokensHidden =
        double(m_p.layout.microbatch) * m_localSequence * m_p.model.hidden;
    const GroupShape group = GroupShape::strided(t, 1, m_p.cluster.devicesPerNode);
    // Expert-parallel ranks are the data-parallel ranks next to the tensor- and
    // context-parallel ones, t cp apart (Megatron-Core's order tp-cp-ep-dp-pp;
    // docs/system-model.md, "Experts"), so a group of t cp ep devices stays in a node if it can.
    const GroupShape experts = GroupShape::strided(
        m_p.layout.expert, static_cast<long long>(t) * m_p.layout.context,
        m_p.cluster.devicesPerNode);
    double fusedCoreForward = 0.0; // the fused attention kernels (ring attention overlaps them)
    double fusedCoreBackward = 0.0;
    bool attends = false; // the layer has an attention core (the embedding and head have none)
    const double load = m_p.recipe.expertLoad();
    LayerTimes out;
    for (std::size_t i = 0; i < body.forward.ops.size(); ++i) {
        const Operator &op = body.forward.ops[i];
        const OperatorCost &f = cost.forwardOps[i];
        const OperatorCost &b = cost.backwardOps[i];
        if (f.coreClass == CoreClass::Collective || b.coreClass == CoreClass::Collective) {
            // An all-reduce, or with sequence parallelism a reduce-scatter and an all-gather:
            // the same bytes on every link (docs/system-model.md, "Collectives").
            // An expert all-to-all (dispatch or combine, forward and backward alike) waits for
            // the busiest device's copies.
            const PrimitiveOp &part = op.parts.front();
            const double bytes = double(part.elements) * m_bytes;
            const double time = part.kind == OpKind::AllToAll
                                    ? allToAllTime(m_p.cluster, bytes * load, experts)
                                    : allReduceTime(m_p.cluster, bytes, group);
            if (f.coreClass == CoreClass::Collective)
                out.forwardComm += time;
            if (b.coreClass == CoreClass::Collective)
                out.backwardComm += time;
            if (part.kind == OpKind::AllToAll)
                out.expertComm += 2.0 * time;
            continue;
        }
        // Sequence parallelism splits the operators that tensor parallelism replicates: the
        // element-wise ones over the whole b x s x h activation (norms, dropouts, residuals).
        const PrimitiveOp &part = op.parts.front();
        // By kind as well as size: rotary embedding over Q and K can have b s h elements too
        // (t = 2 without grouped-query attention), and it is split by heads, not replicated.
        const bool replicatedKind = part.kind == OpKind::LayerNorm ||
                                    part.kind == OpKind::RMSNorm ||
                                    part.kind == OpKind::Dropout || part.kind == OpKind::Add;
        const bool replicated = replicatedKind && double(part.elements) == tokensHidden;
        const double share = (m_p.recipe.sequenceParallel && replicated) ? 1.0 / t : 1.0;
        // The experts of the busiest device run `load` times the mean tokens; the graph holds
        // the mean, so that its FLOPs stay the model's.
        const double pace = isRoutedExpertOperator(op.name) ? load : 1.0;
        out.forward += f.intra.latency * share * pace;
        out.backward += b.intra.latency * share * pace;
        out.energy += (f.intra.energy + b.intra.energy) * share;
        if (isAttentionCoreOperator(op.name))
            out.attentionCore += f.intra.latency;
        if (op.keepsIntermediates()) {
            attends = true;
            fusedCoreForward += f.intra.latency;
            fusedCoreBackward += b.intra.latency;
        }
    }
    if (attends)
        out.contextComm = ringAttentionTime(fusedCoreForward, fusedCoreBackward, out);
    return out;
}

// Context parallelism (ring attention; Liu et al. 2023, Megatron-Core's context parallelism):
// each device keeps the K and V of its s / cp tokens and passes them round the cp ranks in
// cp - 1 steps, each overlapped with the attention over the chunk in hand; backward the K and V
// go round again with their gradients (twice the bytes). Only the part of the ring the
// attention kernel cannot hide is charged: max(0, ring - core x (cp - 1) / cp), forward and
// backward, added to the layer's communication (returned: the exposed total).
double Estimator::ringAttentionTime(double coreForward, double coreBackward,
                                    LayerTimes &times) const
{
    const ParallelLayout &l = m_p.layout;
    const int cp = l.context;
    if (cp <= 1)
        return 0.0;
    const double kvWidth = double(m_p.model.keyValueHeads() / l.tensor) * m_p.model.headWidth();
    const double chunk = 2.0 * l.microbatch * m_localSequence * kvWidth * m_bytes; // K and V
    const GroupShape ring = GroupShape::strided(cp, l.tensor, m_p.cluster.devicesPerNode);
    const bool interNode = ring.perNode < ring.size;
    const double steps = cp - 1;
    const double forward = steps * pointToPointTime(m_p.cluster, chunk, interNode);
    const double backward = steps * pointToPointTime(m_p.cluster, 2.0 * chunk, interNode);
    const double hidden = steps / cp;
    const double exposedForward = std::max(0.0, forward - coreForward * hidden);
    const double exposedBackward = std::max(0.0, backward - coreBackward * hidden);
    times.forwardComm += exposedForward;
    times.backwardComm += exposedBackward;
    return exposedForward + exposedBackward;
}

bool Estimator::pipelineCrossesNodes() const
{
    const ParallelLayout &l = m_p.layout;
    return static_cast<long long>(l.tensor) * l.context * l.expert * l.pipeline >
           m_p.cluster.devicesPerNode;
}

// One exchange between neighbouring stages: the b x s x h activation (or its gradient). With
// the scatter/gather optimisation each tensor-parallel rank sends 1/t of it and the receiving
// group all-gathers it over the intra-node links; with sequence parallelism it is already split.
double Estimator::transferTime() const
{
    const ParallelLayout &l = m_p.layout;
    const double bytes = double(l.microbatch) * m_localSequence * m_p.model.hidden * m_bytes;
    const bool inter = pipelineCrossesNodes();
    const int t = l.tensor;
    if (t > 1 && m_p.recipe.sequenceParallel)
        return pointToPointTime(m_p.cluster, bytes / t, inter);
    if (t > 1 && m_p.recipe.scatterGatherTransfers)
        return pointToPointTime(m_p.cluster, bytes / t, inter) +
               allGatherTime(m_p.cluster, bytes, GroupShape::strided(t, 1,
                                                                     m_p.cluster.devicesPerNode));
    return pointToPointTime(m_p.cluster, bytes, inter);
}

Result<TrainingEstimate> Estimator::run()
{
    if (std::string why = check(); !why.empty())
        return Result<TrainingEstimate>::error(why);
    const ParallelLayout &l = m_p.layout;
    const TrainingRecipe &r = m_p.recipe;
    m_bytes = r.precision == Precision::Fp32 ? 4 : 2;
    GraphBuildOptions options;
    options.microbatch = l.microbatch;
    options.sequence = m_p.sequence;
    options.tensorParallel = l.tensor;
    options.fusion = false; // a GPU runs the framework's kernels: unfused, one after another
    options.bytesPerElement = m_bytes;
    options.fusedAttention = r.attention == AttentionKernel::Fused;
    options.expertParallel = l.expert;
    options.contextParallel = l.context;
    Result<ModelGraph> built = buildTransformer(m_p.model, options);
    if (!built.ok())
        return Result<TrainingEstimate>::error(built.message);
    m_graph = std::move(*built.value);
    m_sequence = m_graph.options.sequence;
    m_localSequence = m_sequence / l.context;

    const int p = l.pipeline;
    const int v = r.interleave;
    const int t = l.tensor;
    const long long m = l.microbatches();
    const int blocksPerChunk = m_p.model.layers / (p * v);

    // Per stage and model chunk (stage-major): the layer times of the layers it holds; per
    // stage: their parameters and the activations beyond the blocks.
    std::vector<LayerTimes> chunkTimes(std::size_t(p) * std::size_t(v));
    std::vector<double> stageParameters(std::size_t(p), 0.0);
    std::vector<double> chunkParameters(std::size_t(p) * std::size_t(v), 0.0);
    // Of those, the routed experts' (reduced and sharded over d / ep ranks, not d).
    std::vector<double> stageExpertParameters(std::size_t(p), 0.0);
    std::vector<double> chunkExpertParameters(std::size_t(p) * std::size_t(v), 0.0);
    // Activations of one microbatch through each chunk's blocks (dense and expert blocks
    // differ), and the largest working set a fully recomputed block replays.
    std::vector<double> chunkActivation(std::size_t(p) * std::size_t(v), 0.0);
    TrainingRecipe keepAll = r;
    keepAll.recomputation = Recomputation::None;
    double workingSet = 0.0;
    std::vector<std::vector<int>> stageLayers(static_cast<std::size_t>(p));
    std::vector<double> stageExtraActivation(std::size_t(p), 0.0);
    std::map<const LayerBody *, LayerTimes> cache;
    std::vector<double> layerForward, layerBackward; // per graph layer: its compute, s
    double sliceEnergy = 0.0; // J per microbatch on one tensor-parallel slice of every layer
    int blockIndex = 0;
    bool seenBlock = false;
    const bool dropout = m_p.model.norm != NormKind::RMSNorm;
    const double spShare = r.sequenceParallel ? double(t) : 1.0;
    const double tokensHidden = double(l.microbatch) * m_localSequence * m_p.model.hidden;
    for (const Layer &layer : m_graph.layers) {
        int stage = 0;
        int chunk = 0;
        if (layer.kind == LayerKind::TransformerBlock) {
            const int global = blockIndex / blocksPerChunk; // chunk g goes to stage g mod p
            stage = global % p;
            chunk = global / p;
            ++blockIndex;
            seenBlock = true;
        } else if (seenBlock) { // the head follows the last block, on the last chunk
            stage = p - 1;
            chunk = v - 1;
        }
        stageLayers[std::size_t(stage)].push_back(layer.externalId);
        auto it = cache.find(layer.body.get());
        if (it == cache.end())
            it = cache.emplace(layer.body.get(), layerTimes(*layer.body)).first;
        LayerTimes &s = chunkTimes[std::size_t(stage) * std::size_t(v) + std::size_t(chunk)];
        const LayerTimes &lt = it->second;
        sliceEnergy += lt.energy;
        layerForward.push_back(lt.forward);
        layerBackward.push_back(lt.backward);
        const bool block = layer.kind == LayerKind::TransformerBlock;
        s.forward += lt.forward;
        s.backward += lt.backward;
        s.forwardComm += lt.forwardComm;
        s.backwardComm += lt.backwardComm;
        s.expertComm += lt.expertComm;
        s.contextComm += lt.contextComm;
        // Replay: full recomputation replays a block's forward (its collectives included);
        // selective replays the attention core. Embedding and head are never replayed.
        if (block && r.recomputation == Recomputation::Full)
            s.replay += lt.forward + lt.forwardComm;
        else if (block && r.recomputation == Recomputation::Selective)
            s.replay += lt.attentionCore;
        // Parameters: a tied head holds the token table's copy only on another stage.
        double params = double(layer.body->sliceParameters());
        if (layer.kind == LayerKind::Head && p > 1)
            params += double(layer.body->tiedParameters);
        const std::size_t at = std::size_t(stage) * std::size_t(v) + std::size_t(chunk);
        stageParameters[std::size_t(stage)] += params;
        chunkParameters[at] += params;
        stageExpertParameters[std::size_t(stage)] += double(layer.body->expertParameters);
        chunkExpertParameters[at] += double(layer.body->expertParameters);
        if (block) {
            const bool experts = layer.body->expertParameters > 0;
            chunkActivation[at] += blockActivationBytes(m_p.model, l.microbatch, m_localSequence, t,
                                                        r, m_bytes, experts);
            workingSet = std::max(workingSet,
                                  blockActivationBytes(m_p.model, l.microbatch, m_localSequence, t,
                                                       keepAll, m_bytes, experts));
        }
        // Beyond the blocks: the embedding's output dropout mask; the head's norm and GEMM
        // inputs and its fp32 logits for the loss (Korthikanti et al. 2022, section 4.3; system-model.md "Activations").
        if (layer.kind == LayerKind::Embedding && dropout)
            stageExtraActivation[std::size_t(stage)] += tokensHidden / spShare;
        if (layer.kind == LayerKind::Head) {
            const double vocabSlice = std::ceil(double(m_p.model.vocab) / t);
            stageExtraActivation[std::size_t(stage)] +=
                tokensHidden * m_bytes / spShare + tokensHidden * m_bytes +
                double(l.microbatch) * m_localSequence * vocabSlice * 4.0;
        }
    }

    TrainingEstimate out;
    out.microbatches = m;
    const double transfer = p > 1 ? transferTime() : 0.0;
    const ParameterStateBytes state = parameterStateBytes(r);
    // The cp ranks of a sequence hold the same weights: gradients are reduced, and the
    // optimizer state sharded, over d x cp ranks (the experts' over d / ep x cp).
    const int cp = l.context;
    const int expertData = l.data / l.expert; // ranks holding the same experts
    const double dpShare = r.optimizerSharding ? double(l.data) * cp : 1.0;
    const double expertShare = r.optimizerSharding ? double(expertData) * cp : 1.0;

    // The schedule: every chunk's work per microbatch, every stage's gradient reduction over
    // the data-parallel group (fp32 when accumulated so) and optimizer step. The optimizer reads
    // the gradients, reads and writes its state, and writes the weights (reads them too without
    // a master copy): memory-bound on HBM.
    ScheduleProblem schedule;
    schedule.stages = p;
    schedule.chunks = v;
    schedule.microbatches = m;
    schedule.schedule = r.schedule;
    schedule.overlapReduction = r.overlapGradientReduction;
    // A reduction group is the cp ranks of a sequence times the data-parallel ranks.
    const int node = m_p.cluster.devicesPerNode;
    const GroupShape contextGroup = GroupShape::strided(cp, t, node);
    auto withContext = [&](GroupShape g) {
        return GroupShape{g.size * cp, g.perNode * contextGroup.perNode};
    };
    // Ranks are numbered t, cp, ep, p, then d / ep: the data-parallel group is the ep ranks
    // (t cp apart) times the d / ep replicas of the experts (t cp ep p apart).
    const GroupShape expertRanks =
        GroupShape::strided(l.expert, static_cast<long long>(t) * cp, node);
    const long long replicaStride = static_cast<long long>(t) * cp * l.expert * p;
    const GroupShape expertDpGroup =
        withContext(GroupShape::strided(expertData, replicaStride, node));
    const GroupShape dpGroup =
        GroupShape{expertDpGroup.size * l.expert, expertDpGroup.perNode * expertRanks.perNode};
    // One gradient reduction (and, sharded, the gather of the updated weights) over a group.
    auto reduction = [&](double params, int ranks, GroupShape group) {
        if (ranks <= 1 || params <= 0.0)
            return 0.0;
        if (r.optimizerSharding)
            return reduceScatterTime(m_p.cluster, params * state.gradients, group) +
                   allGatherTime(m_p.cluster, params * state.weights, group);
        return allReduceTime(m_p.cluster, params * state.gradients, group);
    };
    // The parameters whose optimizer state one device of stage s keeps: the dense ones' share
    // of d x cp ranks, the experts' of d / ep x cp (each all of it without sharding).
    auto optimizerParameters = [&](int s) {
        const double experts = stageExpertParameters[std::size_t(s)];
        return (stageParameters[std::size_t(s)] - experts) / dpShare + experts / expertShare;
    };
    const double optimizerBytesPerParameter =
        state.gradients + 2.0 * state.optimizer + state.weights +
        (r.precision == Precision::Fp32 ? state.weights : 0.0);
    for (int s = 0; s < p; ++s) {
        for (int c = 0; c < v; ++c) {
            const LayerTimes &lt = chunkTimes[std::size_t(s) * std::size_t(v) + std::size_t(c)];
            ChunkWork w;
            w.forward = lt.forward + lt.forwardComm;
            w.backward = lt.backward + lt.backwardComm + lt.replay;
            const bool modelsLast = s == p - 1 && c == v - 1;
            const bool modelsFirst = s == 0 && c == 0;
            w.forwardSend = modelsLast ? 0.0 : transfer;
            w.backwardSend = modelsFirst ? 0.0 : transfer;
            schedule.work.push_back(w);
            // Each chunk reduces its own gradients (Megatron keeps a gradient buffer per model
            // chunk), as soon as its last backward pass has begun when overlapped.
            const std::size_t at = std::size_t(s) * std::size_t(v) + std::size_t(c);
            const double expertParams = chunkExpertParameters[at];
            schedule.reduction.push_back(
                reduction(chunkParameters[at] - expertParams, l.data * cp, dpGroup) +
                reduction(expertParams, expertData * cp, expertDpGroup));
        }
        schedule.optimizerStep.push_back(optimizerParameters(s) * optimizerBytesPerParameter /
                                         m_costs.achievedHbmBandwidth(m_p.chip));
    }
    out.stages.resize(std::size_t(p));
    for (int s = 0; s < p; ++s) {
        StageEstimate &st = out.stages[std::size_t(s)];
        for (int c = 0; c < v; ++c) {
            const ChunkWork &w = schedule.work[std::size_t(s) * std::size_t(v) + std::size_t(c)];
            st.microbatchTime += w.forward + w.backward + w.forwardSend + w.backwardSend;
        }
        st.parameters = stageParameters[std::size_t(s)];
        st.layers = std::move(stageLayers[std::size_t(s)]);
        st.inFlight = peakInFlightChunks(r.schedule, s, p, v, m);
        DeviceMemory &mem = st.memory;
        mem.weights = st.parameters * state.weights;
        mem.gradients = st.parameters * state.gradients;
        mem.optimizer = optimizerParameters(s) * state.optimizer;
        // The mean chunk of the stage (its chunks hold equal block counts; they differ only
        // where dense leading blocks meet expert blocks).
        double stageActivation = 0.0;
        for (int c = 0; c < v; ++c)
            stageActivation += chunkActivation[std::size_t(s) * std::size_t(v) + std::size_t(c)];
        const double perChunk = stageActivation / double(v);
        const double extra = stageExtraActivation[std::size_t(s)];
        mem.activations = double(v) * perChunk + extra;
        mem.inFlight = double(st.inFlight - v) * perChunk + double(st.inFlight / v - 1) * extra;
        if (st.inFlight < v) { // fewer microbatch-chunks than chunks: a short batch
            mem.activations = double(st.inFlight) * perChunk + extra;
            mem.inFlight = 0.0;
        }
        if (r.recomputation == Recomputation::Full)
            mem.activations += workingSet; // the replayed block's activations, one at a time
        if (mem.total() > out.memory.total()) {
            out.memory = mem;
            out.fullestStage = s;
        }
    }

    out.fits = out.memory.total() <= m_p.chip.hbmBytes;
    // A search needs no schedule for a layout that does not fit, or that cannot beat the best
    // so far: every stage runs all its work and then its optimizer step, so that sum bounds the
    // iteration time from below.
    if (m_cutoff < std::numeric_limits<double>::infinity()) {
        double bound = 0.0;
        for (int s = 0; s < p; ++s)
            bound = std::max(bound, double(m) * out.stages[std::size_t(s)].microbatchTime +
                                        schedule.optimizerStep[std::size_t(s)]);
        // The bound and the simulation add the same terms in different orders: a relative
        // slack keeps rounding from skipping a layout that ties the best.
        if (!out.fits || bound * (1.0 - 1e-12) >= m_cutoff) {
            out.simulated = false;
            out.iterationTime = bound;
            return Result<TrainingEstimate>::optimal(std::move(out));
        }
    }
    Result<ScheduleResult> simulated = simulateTrainingSchedule(schedule, m_keepEvents);
    if (!simulated.ok())
        return Result<TrainingEstimate>::error(simulated.message);
    ScheduleResult &run = *simulated.value;

    // The breakdown of the stage that ends last: its own work, then what it waits for.
    out.criticalStage = run.criticalStage;
    const int crit = run.criticalStage;
    TimeBreakdown &tb = out.time;
    for (int c = 0; c < v; ++c) {
        const LayerTimes &lt = chunkTimes[std::size_t(crit) * std::size_t(v) + std::size_t(c)];
        const ChunkWork &w = schedule.work[std::size_t(crit) * std::size_t(v) + std::size_t(c)];
        tb.forward += double(m) * lt.forward;
        tb.backward += double(m) * lt.backward;
        tb.recomputation += double(m) * lt.replay;
        tb.tensorParallel +=
            double(m) * (lt.forwardComm + lt.backwardComm - lt.expertComm - lt.contextComm);
        tb.expertParallel += double(m) * lt.expertComm;
        tb.contextParallel += double(m) * lt.contextComm;
        tb.pipelineTransfers += double(m) * (w.forwardSend + w.backwardSend);
    }
    const StageSchedule &cs = run.stages[std::size_t(crit)];
    tb.dataParallel = cs.reductionEnd - cs.lastBackwardEnd;
    tb.optimizerStep = cs.end - cs.reductionEnd;
    // Fill, drain and waits for the neighbours: the rest of the iteration.
    tb.bubble = std::max(0.0, run.iterationTime - (tb.forward + tb.backward + tb.recomputation +
                                                   tb.tensorParallel + tb.expertParallel +
                                                   tb.contextParallel +
                                                   tb.pipelineTransfers +
                                                   tb.dataParallel + tb.optimizerStep));
    // Without a pipeline nothing waits: what is left is the rounding of the two sums.
    if (tb.bubble < 1e-12 * run.iterationTime)
        tb.bubble = 0.0;
    out.iterationTime = run.iterationTime;
    out.timeline = std::move(run.events);

    // Model FLOPs: every layer's forward and backward, once, for every sequence of the batch,
    // counted as the materialised attention does (Narayanan et al. 2021: the full s x s scores,
    // no recomputation), whichever kernel runs: a fused core counts its parts' forward and
    // backward at full width, not the half triangle it computes nor the scores it replays.
    std::map<const LayerBody *, double> fusedCorrection; // per distinct body: blocks share one
    double perMicrobatch = 0.0;
    for (const Layer &layer : m_graph.layers) {
        perMicrobatch += layer.body->flopsForward + layer.body->flopsBackward;
        const auto [at, isNew] = fusedCorrection.try_emplace(layer.body.get(), 0.0);
        if (isNew)
            at->second = fusedAttentionFlopsCorrection(*layer.body, m_sequence);
        perMicrobatch += at->second;
    }

    // The graph is one tensor-parallel slice: t slices make the layer.
    out.modelFlops = perMicrobatch * t * double(cp) * double(m) * l.data;
    out.throughputPerDevice = out.modelFlops / (out.iterationTime * double(l.devices()));
    // Energy of the operators' compute, as PHAZE reports it (no replay, no communication).
    out.dynamicEnergyPerSample = sliceEnergy * t / double(l.microbatch);
    // Every device leaks for the whole iteration, busy or waiting (docs/cost-model.md,
    // "Power"); zero under PHAZE's chip.
    const double samples = double(l.microbatch) * double(m) * double(l.data);
    out.staticEnergyPerSample = staticPower(chipArea(m_p.chip, m_costs.technology()),
                                            m_costs.technology()) *
                                double(l.devices()) * out.iterationTime / samples;
    out.energyPerSample = out.dynamicEnergyPerSample + out.staticEnergyPerSample;
    out.modelFlopsUtilisation =
        m_p.chip.peakFlops() > 0.0 ? out.throughputPerDevice / m_p.chip.peakFlops() : 0.0;
    // The FLOPs each distinct layer runs (a fused core's half triangle, as it runs) over its
    // kernels' compute time, communication left out: what the chip makes of its operators.
    out.layerEfficiency =
        layerEfficiencies(m_graph, layerForward, layerBackward, m_p.chip.peakFlops());
    return Result<TrainingEstimate>::optimal(std::move(out));
}

} // namespace

Result<TrainingEstimate> estimateTraining(const TrainingProblem &problem, const CostModel &costs)
{
    return Estimator(problem, costs, false).run();
}

Result<TrainingEstimate> estimateTrainingBelow(const TrainingProblem &problem,
                                               const CostModel &costs, double cutoff)
{
    return Estimator(problem, costs, false, cutoff).run();
}

Result<TrainingEstimate> estimateTrainingWithTimeline(const TrainingProblem &problem,
                                                      const CostModel &costs)
{
    return Estimator(problem, costs, true).run();
}

} // namespace phaze
