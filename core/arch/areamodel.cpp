#include "core/arch/areamodel.h"

#include "core/arch/onchipnetwork.h"

namespace phaze {

std::vector<AreaBreakdown::Item> AreaBreakdown::items() const
{
    return {{"tc_macs", "TC MACs", tcMacs},
            {"tc_registers", "TC PE registers", tcRegisters},
            {"tc_scratchpads", "TC scratchpads", tcScratchpads},
            {"vc_lanes", "VC lanes", vcLanes},
            {"vc_registers", "VC registers", vcRegisters},
            {"glb", "global buffer", glb},
            {"uncore", "uncore (HBM PHY, links, control)", uncore},
            {"core_control", "per-core control, DMA, instructions", coreControl},
            {"noc_routers", "on-chip network routers", nocRouters}};
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
