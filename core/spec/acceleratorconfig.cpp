#include "core/spec/acceleratorconfig.h"

namespace phaze {

const std::vector<AcceleratorPreset> &acceleratorPresets()
{
    static const std::vector<AcceleratorPreset> presets = [] {
        std::vector<AcceleratorPreset> out;
        // The TPUv4-class chip of models.md: 275 TFLOP/s bf16 at 1.05 GHz, the PHAZE area budget.
        out.push_back({"tpuv4",
                       "TPUv4-class: 8 TCs of 128x128, 2 VCs of 128 lanes, 128 MiB GLB, 32 GiB HBM "
                       "at 1.2 TB/s, 1.05 GHz",
                       AcceleratorConfig{}});
        // The default PHAZE space's candidate with the highest peak FLOP/s, ties broken by the
        // largest arrays, then the largest GLB (test_archspace re-derives it by enumeration).
        AcceleratorConfig largest;
        largest.numTc = 2;
        largest.tcWidth = 256;
        largest.tcDepth = 256;
        largest.numVc = 1;
        largest.vcWidth = 256;
        out.push_back({"phaze-largest",
                       "Largest PHAZE candidate: 2 TCs of 256x256, 1 VC of 256 lanes, 128 MiB "
                       "GLB (the tpuv4 peak in the fewest, largest arrays)",
                       largest});
        return out;
    }();
    return presets;
}

const AcceleratorPreset *findAcceleratorPreset(std::string_view name)
{
    for (const AcceleratorPreset &p : acceleratorPresets())
        if (p.name == name)
            return &p;
    return nullptr;
}

} // namespace phaze
