#include "core/cost/costmodel.h"

#include <algorithm>
#include <cmath>

#include "core/arch/configcheck.h"
#include "core/arch/onchipnetwork.h"
#include "core/cost/collectivemodel.h"
#include "core/cost/tensorcoremodel.h"
#include "core/cost/vectorcoremodel.h"

namespace phaze {
namespace {

bool onChipKind(OpKind kind)
{
    return isGemmKind(kind) || isVectorKind(kind);
}

// Combines the parts of an operator in one mode.
ModeCost combine(const Operator &op, const std::vector<PartCost> &parts, bool intra,
                 const AcceleratorConfig &config, const TechnologyTable &tech,
                 const ExecutionEffects &effects)
{
    double tc = 0.0, vc = 0.0, link = 0.0, compulsory = 0.0, reRead = 0.0, onChip = 0.0;
    double rows = 0.0, kept = 0.0, feeds = 0.0;
    int gemms = 0, computeParts = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const PrimitiveOp &part = op.parts[i];
        const PartCost &c = parts[i];
        const PartModeCost &m = intra ? c.intra : c.single;
        if (isGemmKind(part.kind)) {
            // The tiling model's cycles run at the rate the tensor cores sustain, not the peak.
            tc += m.computeTime / effects.matmulEfficiency;
            rows = std::max(rows, c.outputRows);
            ++gemms;
        } else if (isVectorKind(part.kind)) {
            vc += m.computeTime;
        }
        if (onChipKind(part.kind) && m.computeTime > 0.0) {
            feeds += c.glbFeedBytes;
            ++computeParts;
        }
        link += c.linkTime;
        compulsory += c.compulsoryBytes;
        reRead += m.reReadBytes;
        onChip += c.onChipEnergy;
        // A fused chain keeps the tensor between a part and an element-wise neighbour on chip:
        // neither the producer's write nor the consumer's read reaches HBM. Two GEMMs in a row
        // (a GEMM's data and weight gradients) share no such tensor.
        if (i > 0) {
            const PrimitiveOp &prev = op.parts[i - 1];
            if (onChipKind(prev.kind) && onChipKind(part.kind) &&
                (isVectorKind(prev.kind) || isVectorKind(part.kind)))
                kept += 2.0 * double(std::min(prev.outputBytes, part.inputBytes));
        }
    }
    kept = std::min(kept, compulsory);
    if (op.keepsIntermediates()) {
        // A FlashAttention-style kernel: its tiles live on chip, only its own inputs and
        // outputs cross HBM (docs/cost-model.md, "Fused attention").
        kept = compulsory - double(op.fusedHbmBytes);
        reRead = 0.0;
    }
    ModeCost out;
    // The VC epilogue runs behind the TC output row by row; the last row's epilogue is the tail.
    out.computeTime =
        (tc > 0.0 && vc > 0.0) ? std::max(tc, vc) + vc / std::max(1.0, rows) : tc + vc;
    out.hbmBytes = compulsory - kept + reRead;
    const double bandwidth = config.hbmBandwidth * effects.hbmEfficiency;
    const double memoryTime = bandwidth > 0 ? out.hbmBytes / bandwidth : 0.0;
    // Kernels, as the overhead below counts them: a fused chain is one, two GEMMs are two.
    const int kernels = op.keepsIntermediates() ? 1 : std::max(1, gemms);
    // Spread over the chip, each kernel waits for a barrier across the mesh, and the feeds
    // stream over the mesh's bisection alongside the compute (docs/cost-model.md, "Per-core
    // costs"). One core alone is fed by its own router and its own share of the GLB.
    double networkTime = 0.0;
    if (intra && effects.onChipNetwork && computeParts > 0) {
        const OnChipNetwork noc = onChipNetworkOf(config);
        out.computeTime += double(kernels) * noc.barrierCycles(tech) / config.frequency;
        networkTime = noc.transferTime(feeds);
    }
    out.latency = std::max({out.computeTime, memoryTime, link, networkTime});
    // An operator that does any work is one kernel (a fused chain shares it); two GEMMs never
    // share one, so a GEMM's backward (data and weight gradients) pays the overhead twice,
    // except in a kernel that keeps its intermediates on chip (fused attention: one kernel).
    if (out.latency > 0.0)
        out.latency += effects.operatorOverhead * kernels;
    out.energy = onChip + out.hbmBytes * (tech.hbmEnergyPerByte + tech.glbEnergyPerByte) +
                 kept * tech.glbEnergyPerByte;
    return out;
}

} // namespace

CostModel::CostModel(TechnologyTable technology, bool useCache, ExecutionEffects effects)
    : m_tech(std::move(technology)), m_effects(effects), m_useCache(useCache),
      m_cache(std::make_unique<CostCache>())
{
}

CostModel CostModel::realistic(TechnologyTable technology, bool useCache)
{
    const ExecutionEffects effects = ExecutionEffects::of(technology);
    return CostModel(std::move(technology), useCache, effects);
}

CostModel CostModel::forProfile(ModelProfile profile, TechnologyTable technology, bool useCache)
{
    if (profile == ModelProfile::System)
        return realistic(std::move(technology), useCache);
    return CostModel(std::move(technology), useCache);
}

PartCost CostModel::computePartCost(const PrimitiveOp &part, const AcceleratorConfig &config,
                                    const TechnologyTable &tech)
{
    if (isGemmKind(part.kind))
        return tensorCorePartCost(part, config, tech);
    if (isVectorKind(part.kind))
        return vectorCorePartCost(part, config, tech);
    if (isCollectiveKind(part.kind))
        return collectivePartCost(part, config, tech);
    return PartCost{}; // views, splits, lookups, Megatron's forward identity: free
}

PartCost CostModel::partCost(const PrimitiveOp &part, const AcceleratorConfig &config) const
{
    if (!m_useCache || !(onChipKind(part.kind) || isCollectiveKind(part.kind)))
        return computePartCost(part, config, m_tech);
    return m_cache->getOrCompute(CostKey::of(part, config),
                                 [&] { return computePartCost(part, config, m_tech); });
}

OperatorCost CostModel::estimate(const Operator &op, const AcceleratorConfig &config) const
{
    OperatorCost out;
    out.coreClass = op.coreClass();
    out.flops = op.flops();
    std::vector<PartCost> parts;
    parts.reserve(op.parts.size());
    for (const PrimitiveOp &part : op.parts)
        parts.push_back(partCost(part, config));
    out.single = combine(op, parts, false, config, m_tech, m_effects);
    out.intra = combine(op, parts, true, config, m_tech, m_effects);
    return out;
}

OperatorCost CostModel::estimate(const PrimitiveOp &part, const AcceleratorConfig &config) const
{
    Operator op;
    op.parts.push_back(part);
    return estimate(op, config);
}

LayerCost CostModel::estimateLayer(const LayerBody &body, const AcceleratorConfig &config) const
{
    LayerCost out;
    out.backward = backwardDag(body.forward);
    out.forwardOps.reserve(body.forward.ops.size());
    for (const Operator &op : body.forward.ops)
        out.forwardOps.push_back(estimate(op, config));
    out.backwardOps.reserve(out.backward.ops.size());
    for (const Operator &op : out.backward.ops)
        out.backwardOps.push_back(estimate(op, config));
    return out;
}

std::string validateConfig(const AcceleratorConfig &c)
{
    if (c.numTc < 1 || c.tcWidth < 1 || c.tcDepth < 1 || c.numVc < 1 || c.vcWidth < 1)
        return "core counts, array sizes and vector widths must be at least 1";
    if (c.bytesPerElement < 1)
        return "bytes per element must be at least 1";
    for (double v : {c.glbBytes, c.hbmBytes, c.hbmBandwidth, c.frequency, c.linkBandwidth})
        if (!(v > 0.0) || !std::isfinite(v))
            return "GLB and HBM sizes, bandwidths and the clock must be positive and finite";
    // Positive and finite is not enough: 1e308 Hz or a denormal bandwidth overflow the
    // model's products. Within the registry's ranges every result is finite.
    return checkAcceleratorConfig(c);
}

} // namespace phaze
