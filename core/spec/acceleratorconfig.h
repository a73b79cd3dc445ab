#pragma once

// One accelerator design point (algorithms.md §2), SI units throughout.

#include <string>
#include <string_view>
#include <vector>

namespace phaze {

struct AcceleratorConfig {
    int numTc = 8;
    int tcWidth = 128;
    int tcDepth = 128;
    int numVc = 2;
    int vcWidth = 128;
    double glbBytes = 128.0 * 1024 * 1024;
    double hbmBytes = 32.0 * 1024 * 1024 * 1024;
    double hbmBandwidth = 1.2e12;                    // B/s
    double frequency = 1.05e9;                       // Hz
    double linkBandwidth = 4.0 * 1024 * 1024 * 1024; // B/s, chip-to-chip
    int bytesPerElement = 2;

    // Two FLOPs (multiply + add) per MAC per cycle over every tensor core.
    double peakFlops() const { return 2.0 * numTc * double(tcWidth) * tcDepth * frequency; }
    bool operator==(const AcceleratorConfig &) const = default;
};

struct AcceleratorPreset {
    std::string name;
    std::string description;
    AcceleratorConfig config;
    // The measured maximum achievable matmul FLOP/s over the datasheet peak (0: not measured;
    // the technology table's figure applies), docs/cost-model.md, "Execution effects".
    double matmulEfficiency = 0.0;
    // How the chip deals a GEMM's output to its tensor cores (TechnologyTable::tileCores): in
    // tiles of rows x cols, each to a group of `cores` tensor cores (0: the template's strips).
    struct Tiling {
        int cores = 0;
        int rows = 256;
        int cols = 128;
    } tile;
};

const std::vector<AcceleratorPreset> &acceleratorPresets();
const AcceleratorPreset *findAcceleratorPreset(std::string_view name); // nullptr if unknown

} // namespace phaze
