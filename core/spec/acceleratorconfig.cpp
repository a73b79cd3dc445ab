#include "core/spec/acceleratorconfig.h"

namespace phaze {
namespace {

struct GpuCores {
    int streamingMultiprocessors;
    int tensorCoreWidth; // per tensor core (4 per SM): width x depth dense FMAs per cycle
    int tensorCoreDepth;
    int fp32LanesPerSm;
};

AcceleratorConfig gpu(GpuCores cores, double l2MiB, double hbmGiB, double hbmBandwidth,
                      double clock, double nvlinkPerDirection)
{
    AcceleratorConfig c;
    c.numTc = cores.streamingMultiprocessors * 4;
    c.tcWidth = cores.tensorCoreWidth;
    c.tcDepth = cores.tensorCoreDepth;
    c.numVc = cores.streamingMultiprocessors;
    c.vcWidth = cores.fp32LanesPerSm;
    c.glbBytes = l2MiB * 1024 * 1024;
    c.hbmBytes = hbmGiB * 1024 * 1024 * 1024;
    c.hbmBandwidth = hbmBandwidth;
    c.frequency = clock;
    c.linkBandwidth = nvlinkPerDirection;
    return c;
}

} // namespace

// Measured maximum achievable matmul FLOP/s over the datasheet's dense bf16 peak (S. Bekman,
// "Machine Learning Engineering", MAMF table: the best of a sweep of GEMM shapes, PyTorch 2.6):
// A100 SXM 271.2 / 312, H100 SXM 794.5 / 989. The H200 SXM is the H100's die at the same 700 W
// limit, so it takes the H100's figure (the 900 W GH200 measures 0.838: more power, more clock).
constexpr double kA100MatmulEfficiency = 271.2 / 312.0;
constexpr double kH100MatmulEfficiency = 794.5 / 989.0;
// cuBLAS deals a GEMM as 256 x 128 or 128 x 256 output tiles, one thread block per SM at a
// time: the SM's 4 tensor cores share a tile (NVIDIA, "Matrix Multiplication Background User's
// Guide": tile and wave quantisation, illustrated on the A100's 108 SMs).
constexpr AcceleratorPreset::Tiling kThreadBlockTiles{4, 256, 128};

const std::vector<AcceleratorPreset> &acceleratorPresets()
{
    static const std::vector<AcceleratorPreset> presets = [] {
        std::vector<AcceleratorPreset> out;
        // The TPUv4-class chip of models.md: 275 TFLOP/s bf16 at 1.05 GHz, the PHAZE area budget.
        out.push_back({"tpuv4",
                       "TPUv4-class: 8 TCs of 128x128, 2 VCs of 128 lanes, 128 MiB GLB, 32 GiB HBM "
                       "at 1.2 TB/s, 1.05 GHz",
                       AcceleratorConfig{}, 0.0, {}});
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
                       largest, 0.0, {}});
        // Real devices within the template (docs/system-model.md, "Chip presets"): one tensor
        // core of the template per GPU tensor core, sized so that the array's MACs per cycle
        // are the GPU tensor core's dense fp16/bf16 FMAs per cycle; one vector core per SM with
        // its fp32 lanes; the GLB is the L2 cache. The clock is the one the datasheet's peak is
        // quoted at: A100 432 x 256 x 2 x 1.41 GHz = 312 TFLOP/s, H100 528 x 512 x 2 x 1.83 GHz
        // = 989 TFLOP/s.
        out.push_back({"a100-sxm4-80gb",
                       "NVIDIA A100 SXM4 80 GB: 312 TFLOP/s dense bf16 (432 TCs of 16x16 at "
                       "1.41 GHz), 40 MiB L2, 80 GiB HBM2e at 2.04 TB/s",
                       gpu({108, 16, 16, 64}, 40.0, 80.0, 2039e9, 1.41e9, 300e9),
                       kA100MatmulEfficiency, kThreadBlockTiles});
        out.push_back({"h100-sxm5-80gb",
                       "NVIDIA H100 SXM5 80 GB: 989 TFLOP/s dense bf16 (528 TCs of 32x16 at "
                       "1.83 GHz), 50 MiB L2, 80 GiB HBM3 at 3.35 TB/s",
                       gpu({132, 32, 16, 128}, 50.0, 80.0, 3.35e12, 1.83e9, 450e9),
                       kH100MatmulEfficiency, kThreadBlockTiles});
        // H200 SXM: the H100 SXM's GH100 die and clocks with 141 GB of HBM3e at 4.8 TB/s
        // (NVIDIA H200 Tensor Core GPU datasheet, 2024: 989 TFLOP/s dense bf16, NVLink
        // 900 GB/s). From the datasheet only: no H200 was measured for it.
        {
            AcceleratorConfig h200 = gpu({132, 32, 16, 128}, 50.0, 80.0, 4.8e12, 1.83e9, 450e9);
            h200.hbmBytes = 141e9;
            out.push_back({"h200-sxm-141gb",
                           "NVIDIA H200 SXM 141 GB: 989 TFLOP/s dense bf16 (528 TCs of 32x16 at "
                           "1.83 GHz), 50 MiB L2, 141 GB HBM3e at 4.8 TB/s",
                           h200, kH100MatmulEfficiency, kThreadBlockTiles});
        }
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
