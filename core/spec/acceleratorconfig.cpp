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
        // Real devices within the template (docs/system-model.md, "Chip presets"): one tensor
        // core of the template per GPU tensor core, sized so that the array's MACs per cycle
        // are the GPU tensor core's dense fp16/bf16 FMAs per cycle; one vector core per SM with
        // its fp32 lanes; the GLB is the L2 cache.
        AcceleratorConfig a100;
        a100.numTc = 108 * 4; // 108 SMs, 4 third-generation tensor cores each
        a100.tcWidth = 16;    // 256 dense FMA per cycle per tensor core
        a100.tcDepth = 16;
        a100.numVc = 108;
        a100.vcWidth = 64; // 64 fp32 lanes per SM
        a100.glbBytes = 40.0 * 1024 * 1024;
        a100.hbmBytes = 80.0 * 1024 * 1024 * 1024;
        a100.hbmBandwidth = 2039e9;
        a100.frequency = 1.41e9; // boost: 432 x 256 x 2 x 1.41 GHz = 312 TFLOP/s
        a100.linkBandwidth = 300e9;
        out.push_back({"a100-sxm4-80gb",
                       "NVIDIA A100 SXM4 80 GB: 312 TFLOP/s dense bf16 (432 TCs of 16x16 at "
                       "1.41 GHz), 40 MiB L2, 80 GiB HBM2e at 2.04 TB/s",
                       a100});
        AcceleratorConfig h100;
        h100.numTc = 132 * 4; // 132 SMs, 4 fourth-generation tensor cores each
        h100.tcWidth = 32;    // 512 dense FMA per cycle per tensor core
        h100.tcDepth = 16;
        h100.numVc = 132;
        h100.vcWidth = 128; // 128 fp32 lanes per SM
        h100.glbBytes = 50.0 * 1024 * 1024;
        h100.hbmBytes = 80.0 * 1024 * 1024 * 1024;
        h100.hbmBandwidth = 3.35e12;
        h100.frequency = 1.83e9; // 528 x 512 x 2 x 1.83 GHz = 989 TFLOP/s, the datasheet's
        h100.linkBandwidth = 450e9;
        out.push_back({"h100-sxm5-80gb",
                       "NVIDIA H100 SXM5 80 GB: 989 TFLOP/s dense bf16 (528 TCs of 32x16 at "
                       "1.83 GHz), 50 MiB L2, 80 GiB HBM3 at 3.35 TB/s",
                       h100});
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
