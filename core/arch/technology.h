#pragma once

// The technology table: per-component area and energy, plus the few micro-architectural
// constants the cost model needs (vector cycles per element, intra-operator sync, accumulator
// width). SI inside: mm2 for area, joules for energy, bytes, cycles. The defaults describe a
// 7 nm-class chip and are documented with their sources in resources/technology/default.yaml
// and docs/cost-model.md; a project may override any subset of them with its own YAML file.

#include <array>
#include <string>
#include <string_view>

#include "core/model/operator.h"
#include "core/spec/trainingrecipe.h"

namespace phaze {

// Vector-core kinds are the contiguous OpKind range Add .. Permute.
constexpr int kVectorKindCount = int(OpKind::Permute) - int(OpKind::Add) + 1;

struct TechnologyTable {
    std::string name = "7nm-class defaults (TPUv4-like)";

    // Area, mm2.
    double macArea = 600e-6;             // one bf16 x bf16 -> fp32 MAC processing element
    double registerAreaPerByte = 3e-6;   // flip-flop storage (PE and vector registers)
    double scratchpadAreaPerByte = 1e-6; // per-core SRAM scratchpad (small macros)
    double glbAreaPerByte = 0.8e-6;      // global-buffer SRAM (large macros, banked, ECC)
    double vcLaneArea = 6000e-6;         // one fp32 vector lane (ALU, special functions)
    double uncoreArea = 150.0;           // HBM PHYs, chip-to-chip links, PCIe, control, DMA

    // Storage sizes that scale with the cores, bytes.
    double peRegisterBytes = 10;         // weight (double-buffered), input, partial sum
    double tcScratchpadBytesPerPe = 256; // per-TC scratchpad (TPUv4: 4 MiB per 128x128 MXU)
    double vcRegisterBytesPerLane = 512; // vector register file per lane

    // Energy, J.
    double macEnergy = 0.25e-12;             // per MAC
    double registerEnergyPerByte = 0.02e-12; // per byte read or written in PE registers
    double scratchpadEnergyPerByte = 0.25e-12;
    double glbEnergyPerByte = 0.8e-12;
    double vcLaneOpEnergy = 0.5e-12; // per lane-cycle of vector work
    double hbmEnergyPerByte = 31e-12;
    double linkEnergyPerByte = 40e-12;

    // Timing and micro-architecture.
    double intraSyncCycles = 200;    // barrier + tile hand-out when an operator uses all cores
    double accumulatorBytes = 4;     // fp32 partial sums
    double glbUsableFraction = 0.75; // GLB share for output blocks; the rest stages operands

    // Execution on a real chip, applied by the system profile only (PHAZE's profile models an
    // ideal chip: docs/cost-model.md, "Execution effects").
    double operatorOverhead = 1e-6; // s per kernel: launch and the gap to the previous one
    double hbmEfficiency = 0.87;    // fraction of the datasheet HBM bandwidth streams achieve
    // Fraction of the datasheet tensor peak the best-shaped GEMM sustains (the measured
    // maximum achievable matmul FLOP/s: power-limited clock and issue, not shape). A chip
    // preset with its own measurement replaces it (technologyForChip).
    double matmulEfficiency = 0.869;
    // GEMMs dealt as output tiles of tileRows x tileCols (or transposed) to groups of
    // tileCores tensor cores, in waves: a GPU's thread blocks over its SMs. 0 cores: the
    // template's own dealing of output strips to single cores. Set by technologyForChip for
    // the GPU presets; PHAZE's profile never tiles.
    double tileCores = 0;
    double tileRows = 256;
    double tileCols = 128;

    // What every core carries besides its datapath, and the chip's static power. Charged by the
    // system profile only (docs/cost-model.md, "Per-core costs"): technologyForProfile zeroes
    // them for PHAZE's profile, whose chip has none.
    double coreControlArea = 0.02;            // mm2: sequencer, scalar unit, address generators
    double coreDmaArea = 0.01;                // mm2: one DMA engine per core
    double instructionStoreBytes = 16384;     // bytes of instruction SRAM per core
    double nocRouterAreaPerLinkByte = 250e-6; // mm2 per byte of link width, 5-port mesh router
    double nocHopCycles = 2;                  // cycles per router hop (router pipeline + link)
    double staticPowerPerMm2 = 0.1;           // W per mm2: leakage and idle clocking

    // Cycles per element per lane, indexed by vectorKindIndex(kind).
    std::array<double, kVectorKindCount> vectorCycles = defaultVectorCycles(false);
    std::array<double, kVectorKindCount> vectorCyclesBackward = defaultVectorCycles(true);

    double vectorCyclesFor(OpKind kind, bool backward) const;

    static std::array<double, kVectorKindCount> defaultVectorCycles(bool backward);
    bool operator==(const TechnologyTable &) const = default;
};

// Index of a vector kind in the cycle tables, or -1 for other kinds.
int vectorKindIndex(OpKind kind);

// The built-in defaults (identical to resources/technology/default.yaml, checked by a test).
const TechnologyTable &defaultTechnology();

// The table as a profile sees it: PHAZE's profile models the paper's chip, which pays nothing per
// core and has no static power, so those entries are zero there (its areas, energies and
// schedules stay bit for bit PHAZE's); the system profile keeps the table as it is.
TechnologyTable technologyForProfile(TechnologyTable table, ModelProfile profile);

// The table as a project that fixes its chip to the preset `preset` sees it: a preset with a
// measured matmul efficiency (acceleratorPresets()) replaces the table's, which stands for
// every chip of the template without a measurement, and a GPU preset deals its GEMMs as thread
// block tiles over its SMs (tileCores). Any other name leaves the table as it is.
TechnologyTable technologyForChip(TechnologyTable table, std::string_view preset);

} // namespace phaze
