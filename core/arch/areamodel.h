#pragma once

// Chip area of an accelerator configuration (algorithms.md §2): a sum over components, each
// a count times a per-unit area from the technology table. mm2 throughout. The system profile
// adds what every core carries (docs/cost-model.md, "Per-core costs").

#include <string>
#include <vector>

#include "core/arch/technology.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

struct AreaBreakdown {
    double tcMacs = 0.0;        // every processing element's MAC
    double tcRegisters = 0.0;   // PE registers (weights, inputs, partial sums)
    double tcScratchpads = 0.0; // per-TC SRAM scratchpads
    double vcLanes = 0.0;       // vector lanes
    double vcRegisters = 0.0;   // vector register files
    double glb = 0.0;           // global buffer SRAM
    double uncore = 0.0;        // fixed: HBM PHYs, links, control
    // Per core (system profile only; zero under PHAZE's): sequencer, DMA, instruction store,
    // and the core's router of the on-chip mesh.
    double coreControl = 0.0;
    double nocRouters = 0.0;

    // PHAZE's terms first, in its order: with the per-core terms zero the sum is PHAZE's.
    double total() const
    {
        return tcMacs + tcRegisters + tcScratchpads + vcLanes + vcRegisters + glb + uncore +
               coreControl + nocRouters;
    }
    // What every core pays besides its datapath (the per-core terms), mm2.
    double perCoreOverhead() const { return coreControl + nocRouters; }

    struct Item {
        const char *key;   // "tc_macs", ... (stable, used in JSON)
        const char *label; // "TC MACs", ...
        double mm2;
    };
    std::vector<Item> items() const;
    // The term an items() key names (nullptr for none): reading a breakdown back.
    double *term(const std::string &key);
};

AreaBreakdown areaBreakdown(const AcceleratorConfig &config, const TechnologyTable &tech);
double chipArea(const AcceleratorConfig &config, const TechnologyTable &tech);

} // namespace phaze
