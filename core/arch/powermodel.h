#pragma once

// A chip's power at peak, a TDP estimate (docs/cost-model.md, "Power"): static power in
// proportion to the area, plus the dynamic power of every unit busy every cycle at the
// technology's energies (every PE doing a MAC with its register traffic and its operand feeds,
// every vector lane an operation, HBM and the chip-to-chip links streaming at their datasheet
// bandwidth). W throughout. Under PHAZE's profile static power is zero (technologyForProfile).

#include <string>
#include <vector>

#include "core/arch/technology.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

struct PowerBreakdown {
    double staticPower = 0.0; // leakage and idle clocking: staticPowerPerMm2 x area
    double tensorCores = 0.0; // MACs, PE registers, operand feeds from scratchpad and GLB
    double vectorCores = 0.0; // lane operations and their scratchpad reads and writes
    double hbm = 0.0;         // HBM interface and the GLB pass, at the datasheet bandwidth
    double links = 0.0;       // chip-to-chip links at their bandwidth

    double total() const { return staticPower + tensorCores + vectorCores + hbm + links; }
    double dynamic() const { return tensorCores + vectorCores + hbm + links; }

    struct Item {
        const char *key;   // "static", ... (stable, used in JSON)
        const char *label; // "static (leakage)", ...
        double watts;
    };
    std::vector<Item> items() const;
    // The term an items() key names (nullptr for none): reading a breakdown back.
    double *term(const std::string &key);
};

// `areaMm2` is the chip's area under the same table (chipArea): static power follows from it.
PowerBreakdown peakPowerBreakdown(const AcceleratorConfig &config, const TechnologyTable &tech,
                                  double areaMm2);
PowerBreakdown peakPowerBreakdown(const AcceleratorConfig &config, const TechnologyTable &tech);
double peakPower(const AcceleratorConfig &config, const TechnologyTable &tech);
double peakPower(const AcceleratorConfig &config, const TechnologyTable &tech, double areaMm2);
// Static power of a chip of `areaMm2`, W.
double staticPower(double areaMm2, const TechnologyTable &tech);

} // namespace phaze
