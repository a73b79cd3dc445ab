#include "core/arch/acceleratorconfig.h"

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
