#include "core/arch/areamodel.h"

#include "core/arch/onchipnetwork.h"

namespace phaze {

namespace {

// items()'s order: PHAZE's terms first.
struct Term {
    const char *key;
    const char *label;
    double AreaBreakdown::*field;
};
constexpr Term kTerms[] = {
    {"tc_macs", "TC MACs", &AreaBreakdown::tcMacs},
    {"tc_registers", "TC PE registers", &AreaBreakdown::tcRegisters},
    {"tc_scratchpads", "TC scratchpads", &AreaBreakdown::tcScratchpads},
    {"vc_lanes", "VC lanes", &AreaBreakdown::vcLanes},
    {"vc_registers", "VC registers", &AreaBreakdown::vcRegisters},
    {"glb", "global buffer", &AreaBreakdown::glb},
    {"uncore", "uncore (HBM PHY, links, control)", &AreaBreakdown::uncore},
    {"core_control", "per-core control, DMA, instructions", &AreaBreakdown::coreControl},
    {"noc_routers", "on-chip network routers", &AreaBreakdown::nocRouters},
};

} // namespace

std::vector<AreaBreakdown::Item> AreaBreakdown::items() const
{
    std::vector<Item> out;
    for (const Term &t : kTerms)
        out.push_back({t.key, t.label, this->*t.field});
    return out;
}

double *AreaBreakdown::term(const std::string &key)
{
    for (const Term &t : kTerms)
        if (key == t.key)
            return &(this->*t.field);
    return nullptr;
}

AreaBreakdown areaBreakdown(const AcceleratorConfig &config, const TechnologyTable &tech)
{
    // Every term is a product of non-negative counts, so area is monotone in each parameter:
    // the architecture space relies on that to stay sorted-by-area friendly.
    const double pes = double(config.numTc) * double(config.tcWidth) * double(config.tcDepth);
    const double lanes = double(config.numVc) * double(config.vcWidth);
    AreaBreakdown a;
    a.tcMacs = pes * tech.macArea;
    a.tcRegisters = pes * tech.peRegisterBytes * tech.registerAreaPerByte;
    a.tcScratchpads = pes * tech.tcScratchpadBytesPerPe * tech.scratchpadAreaPerByte;
    a.vcLanes = lanes * tech.vcLaneArea;
    a.vcRegisters = lanes * tech.vcRegisterBytesPerLane * tech.registerAreaPerByte;
    a.glb = config.glbBytes * tech.glbAreaPerByte;
    a.uncore = tech.uncoreArea;
    const OnChipNetwork noc = onChipNetworkOf(config);
    const double cores = double(noc.cores);
    a.coreControl = cores * (tech.coreControlArea + tech.coreDmaArea +
                             tech.instructionStoreBytes * tech.scratchpadAreaPerByte);
    a.nocRouters = cores * noc.linkBytes * tech.nocRouterAreaPerLinkByte;
    return a;
}

double chipArea(const AcceleratorConfig &config, const TechnologyTable &tech)
{
    return areaBreakdown(config, tech).total();
}

} // namespace phaze
