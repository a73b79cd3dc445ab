#pragma once

// JSON outputs of the cost model: `phaze arch --json`, `phaze space --json` and
// `phaze estimate --json`. Numbers are SI (s, B, B/s, FLOP/s, J, mm2).

#include <string>
#include <vector>

#include "core/arch/archspace.h"
#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/cost/modelestimate.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

// {name, config: {...}, area_mm2, area: {tc_macs: ..}, peak_power_w, power: {static: ..},
//  peak_flops, hbm_bandwidth, ...}
std::string archJson(const std::string &name, const AcceleratorConfig &config,
                     const AreaBreakdown &area, const PowerBreakdown &power, int indent = 2);

// {count, area_min_mm2, area_max_mm2, budget_mm2, ..., candidates: [...] (when asked)}
std::string spaceJson(const ArchSpace &space, bool includeCandidates, int indent = 2);

// {model, profile, arch: {name, peak_flops, hbm_bandwidth, hbm_bandwidth_achieved, area_mm2},
//  ops: [{layer, name, kind, ..., efficiency}]}; efficiency is the intra-operator mode's
// achieved FLOP/s over the chip's peak.
std::string estimateJson(const std::string &model, const std::string &archName,
                         const AcceleratorConfig &config, double areaMm2,
                         const std::vector<OperatorEstimate> &ops, const std::string &profile,
                         double achievedHbmBandwidth, int indent = 2);

} // namespace phaze
