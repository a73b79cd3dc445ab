#pragma once

// How a training estimate's breakdowns read, in text and JSON, for every report that shows one
// (`phaze evaluate` under the system profile, `phaze validate`), and a chip's area and power
// breakdowns in JSON. Internal to core/io.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/cost/layerefficiency.h"
#include "core/system/trainingestimate.h"

namespace phaze {

// "forward 3.344 s, backward 6.094 s, ..., optimizer step 41.16 ms"
std::string timeBreakdownText(const TimeBreakdown &time);
// "59.7 GiB = weights 5.258 GiB + gradients ... + in flight 11.18 GiB"
std::string deviceMemoryText(const DeviceMemory &memory);

// {"forward": s, "backward": s, "recomputation", "tensor_parallel", "pipeline_transfers",
//  "bubble", "data_parallel", "optimizer_step"}
nlohmann::json timeBreakdownJson(const TimeBreakdown &time);
// {"weights": B, "gradients", "optimizer", "activations", "in_flight"}
nlohmann::json deviceMemoryJson(const DeviceMemory &memory);
// A chip's breakdowns, as `phaze arch`, `phaze evaluate` and a search's best_chip write them:
// {"area_mm2", "area": {"tc_macs": mm2, ...}, "peak_power_w", "power": {"static": W, ...}}
nlohmann::json chipBreakdownJson(const AreaBreakdown &area, const PowerBreakdown &power);
// Each distinct layer's efficiency: [{"layer", "count", "forward", "backward"}], fractions of
// the peak (null where not finite).
nlohmann::json layerEfficiencyJson(const std::vector<LayerEfficiency> &layers);
// "block.0 (x96) 61.2% / 57.9%, embedding ..." (forward / backward, of the peak)
std::string layerEfficiencyText(const std::vector<LayerEfficiency> &layers);

} // namespace phaze
