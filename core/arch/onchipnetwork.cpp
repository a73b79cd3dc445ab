#include "core/arch/onchipnetwork.h"

#include <algorithm>
#include <cmath>

namespace phaze {

OnChipNetwork onChipNetworkOf(const AcceleratorConfig &config)
{
    OnChipNetwork n;
    n.cores = std::max(1, config.numTc) + std::max(1, config.numVc);
    n.side = int(std::ceil(std::sqrt(double(n.cores)) - 1e-9));
    while (n.side * n.side < n.cores) // sqrt rounding on exact squares
        ++n.side;
    const double tcPort = double(config.tcWidth) + double(config.tcDepth);
    const double vcPort = 2.0 * double(config.vcWidth);
    n.linkBytes = std::max(tcPort, vcPort) * double(std::max(1, config.bytesPerElement));
    // A side x side mesh has `side` links across its middle, each carrying linkBytes a cycle in
    // each direction.
    n.bisectionBandwidth = 2.0 * double(n.side) * n.linkBytes * config.frequency;
    n.diameterHops = 2 * (n.side - 1);
    return n;
}

} // namespace phaze
