#include "core/io/costjson.h"

#include <nlohmann/json.hpp>

#include "core/io/estimatereport.h"
#include "core/io/jsontext.h"

namespace phaze {
namespace {

using Json = nlohmann::ordered_json; // keeps the fields in a readable order

Json configJson(const AcceleratorConfig &c)
{
    Json j;
    j["num_tc"] = c.numTc;
    j["tc_width"] = c.tcWidth;
    j["tc_depth"] = c.tcDepth;
    j["num_vc"] = c.numVc;
    j["vc_width"] = c.vcWidth;
    j["glb_size"] = c.glbBytes;
    j["hbm_size"] = c.hbmBytes;
    j["hbm_bandwidth"] = c.hbmBandwidth;
    j["frequency"] = c.frequency;
    j["link_bandwidth"] = c.linkBandwidth;
    j["bytes_per_element"] = c.bytesPerElement;
    return j;
}

Json modeJson(const ModeCost &m)
{
    Json j;
    j["latency_s"] = m.latency;
    j["compute_s"] = m.computeTime;
    j["hbm_bytes"] = m.hbmBytes;
    j["energy_j"] = m.energy;
    return j;
}

} // namespace

std::string archJson(const std::string &name, const AcceleratorConfig &config,
                     const AreaBreakdown &area, const PowerBreakdown &power, int indent)
{
    Json out;
    out["name"] = name;
    out["config"] = configJson(config);
    out.update(chipBreakdownJson(area, power));
    out["peak_flops"] = config.peakFlops();
    out["vector_elements_per_s"] = double(config.numVc) * config.vcWidth * config.frequency;
    out["glb_size"] = config.glbBytes;
    out["hbm_bandwidth"] = config.hbmBandwidth;
    out["link_bandwidth"] = config.linkBandwidth;
    return dumpJson(out, indent);
}

std::string spaceJson(const ArchSpace &space, bool includeCandidates, int indent)
{
    Json out;
    out["count"] = space.count();
    out["area_min_mm2"] = space.areaMin;
    out["area_max_mm2"] = space.areaMax;
    out["budget_mm2"] = space.budget;
    out["area_lower_bound_mm2"] = space.areaLowerBound;
    out["fixed_area_mm2"] = space.fixedArea;
    out["cross_product"] = space.crossProduct;
    if (includeCandidates) {
        Json list = Json::array();
        for (std::size_t i = 0; i < space.candidates.size(); ++i) {
            Json c = configJson(space.candidates[i]);
            c["area_mm2"] = space.areas[i];
            c["peak_flops"] = space.candidates[i].peakFlops();
            list.push_back(std::move(c));
        }
        out["candidates"] = std::move(list);
    }
    return dumpJson(out, indent);
}

std::string estimateJson(const std::string &model, const std::string &archName,
                         const AcceleratorConfig &config, double areaMm2,
                         const std::vector<OperatorEstimate> &ops, const std::string &profile,
                         double achievedHbmBandwidth, int indent)
{
    Json out;
    out["model"] = model;
    out["profile"] = profile;
    Json arch;
    arch["name"] = archName;
    arch["peak_flops"] = config.peakFlops();
    arch["hbm_bandwidth"] = config.hbmBandwidth;
    arch["hbm_bandwidth_achieved"] = achievedHbmBandwidth;
    arch["area_mm2"] = areaMm2;
    arch["config"] = configJson(config);
    out["arch"] = std::move(arch);
    Json list = Json::array();
    for (const OperatorEstimate &e : ops) {
        Json j;
        j["layer"] = e.layer;
        j["name"] = e.name;
        j["kind"] = std::string(coreClassName(e.cost.coreClass));
        j["parts"] = e.parts;
        j["pass"] = e.backward ? "backward" : "forward";
        j["flops"] = e.cost.flops;
        j["hbm_bytes"] = e.cost.single.hbmBytes;
        j["latency_single_s"] = e.cost.single.latency;
        j["latency_intra_s"] = e.cost.intra.latency;
        j["energy_j"] = e.cost.single.energy;
        j["single"] = modeJson(e.cost.single);
        j["intra"] = modeJson(e.cost.intra);
        j["efficiency"] = e.cost.intra.latency > 0
                              ? e.cost.flops / config.peakFlops() / e.cost.intra.latency
                              : 0.0;
        list.push_back(std::move(j));
    }
    out["ops"] = std::move(list);
    return dumpJson(out, indent);
}

} // namespace phaze
