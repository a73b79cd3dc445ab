#pragma once

// The per-operator cost model (algorithms.md §2): latency and energy of every operator of a
// layer on one accelerator configuration, single-core and intra-operator, forward and backward.
// Parts are costed by the tensor-core, vector-core and collective models and cached by content;
// an operator combines its parts (a fused GEMM + epilogue pipelines the VC behind the TC).
// One CostModel is meant to be shared by every thread of a search: all methods are const and
// thread-safe.

#include <memory>
#include <vector>

#include "core/arch/technology.h"
#include "core/cost/costcache.h"
#include "core/cost/costtypes.h"
#include "core/model/modelgraph.h"
#include "core/model/operatordag.h"
#include "core/spec/acceleratorconfig.h"
#include "core/spec/trainingrecipe.h"

namespace phaze {

// How far a real chip falls short of the ideal one of PHAZE's model (docs/cost-model.md,
// "Execution effects"). The system profile takes them from the technology table; PHAZE's
// profile uses none, so that its numbers stay the paper's.
struct ExecutionEffects {
    double operatorOverhead = 0.0; // s added to every kernel (a GEMM's backward is two kernels)
    double hbmEfficiency = 1.0;    // the fraction of the HBM bandwidth that operators achieve
    // An operator spread over the chip moves its GLB feeds over the on-chip mesh and waits for
    // a barrier across it (core/arch/onchipnetwork.h); PHAZE's chip has a free network.
    bool onChipNetwork = false;
    // The fraction of the tiling model's tensor-core rate that GEMMs sustain (the measured
    // maximum achievable matmul FLOP/s over the peak).
    double matmulEfficiency = 1.0;

    static ExecutionEffects of(const TechnologyTable &tech)
    {
        return {tech.operatorOverhead, tech.hbmEfficiency, true, tech.matmulEfficiency};
    }
    bool operator==(const ExecutionEffects &) const = default;
};

struct LayerCost {
    OperatorDag backward;                 // backwardDag(forward); index i matches forward op i
    std::vector<OperatorCost> forwardOps; // one per forward operator
    std::vector<OperatorCost> backwardOps;
};

class CostModel
{
public:
    explicit CostModel(TechnologyTable technology = defaultTechnology(), bool useCache = true,
                       ExecutionEffects effects = {});
    // The cost model of the system profile: the technology's execution effects applied.
    static CostModel realistic(TechnologyTable technology, bool useCache = true);
    // The cost model a profile uses: realistic for the system's, ideal for PHAZE's.
    static CostModel forProfile(ModelProfile profile, TechnologyTable technology,
                                bool useCache = true);

    const TechnologyTable &technology() const { return m_tech; }
    const ExecutionEffects &effects() const { return m_effects; }
    // The HBM bandwidth operators achieve on `config`, B/s.
    double achievedHbmBandwidth(const AcceleratorConfig &config) const
    {
        return config.hbmBandwidth * m_effects.hbmEfficiency;
    }

    // The cost of one primitive, from the cache when enabled.
    PartCost partCost(const PrimitiveOp &part, const AcceleratorConfig &config) const;
    // The same without any cache (the reference the cache must reproduce).
    static PartCost computePartCost(const PrimitiveOp &part, const AcceleratorConfig &config,
                                    const TechnologyTable &tech);

    OperatorCost estimate(const Operator &op, const AcceleratorConfig &config) const;
    OperatorCost estimate(const PrimitiveOp &part, const AcceleratorConfig &config) const;
    LayerCost estimateLayer(const LayerBody &body, const AcceleratorConfig &config) const;

    CostCacheStats cacheStats() const { return m_cache->stats(); }
    void clearCache() const { m_cache->clear(); }

private:
    TechnologyTable m_tech;
    ExecutionEffects m_effects;
    bool m_useCache = true;
    std::unique_ptr<CostCache> m_cache; // behind a pointer: the cache holds mutexes
};

// "" when the configuration can be costed, else why not (a zero core count, ...).
std::string validateConfig(const AcceleratorConfig &config);

} // namespace phaze
