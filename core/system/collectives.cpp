#include "core/system/collectives.h"

#include <algorithm>

namespace phaze {
namespace {

// A ring over `n` members of one tier moving `fraction` x (n - 1) / n of the buffer per step
// kind: 1 for a reduce-scatter or an all-gather, 2 for an all-reduce.
double ringTime(const LinkTier &tier, double bytes, int n, int passes)
{
    if (n <= 1 || bytes <= 0.0)
        return 0.0;
    const double steps = double(passes) * (n - 1);
    return steps / n * bytes / tier.effectiveBandwidth() + steps * tier.latency;
}

int nodesOf(GroupShape g)
{
    return std::max(1, g.size / std::max(1, g.perNode));
}

} // namespace

GroupShape GroupShape::strided(int size, long long stride, int devicesPerNode)
{
    GroupShape g;
    g.size = std::max(1, size);
    if (stride >= devicesPerNode) {
        g.perNode = 1;
    } else {
        const long long fit = std::max(1LL, devicesPerNode / std::max(1LL, stride));
        g.perNode = int(std::min<long long>(g.size, fit));
        while (g.size % g.perNode != 0) // an uneven split: the node holding fewest decides
            --g.perNode;
    }
    return g;
}

double allReduceTime(const ClusterSpec &c, double bytes, GroupShape g)
{
    const int nodes = nodesOf(g);
    return ringTime(c.intraNode, bytes, g.perNode, 1) +
           ringTime(c.interNode, bytes / g.perNode, nodes, 2) +
           ringTime(c.intraNode, bytes, g.perNode, 1);
}

double reduceScatterTime(const ClusterSpec &c, double bytes, GroupShape g)
{
    const int nodes = nodesOf(g);
    return ringTime(c.intraNode, bytes, g.perNode, 1) +
           ringTime(c.interNode, bytes / g.perNode, nodes, 1);
}

double allGatherTime(const ClusterSpec &c, double bytes, GroupShape g)
{
    return reduceScatterTime(c, bytes, g); // the same traffic, in the other order
}

double allToAllTime(const ClusterSpec &c, double bytes, GroupShape g)
{
    if (g.size <= 1 || bytes <= 0.0)
        return 0.0;
    const double n = g.size;
    const int peersInNode = g.perNode - 1;
    const int peersOutside = g.size - g.perNode;
    const double intra = peersInNode > 0 ? bytes * peersInNode / n /
                                                   c.intraNode.effectiveBandwidth() +
                                               c.intraNode.latency
                                         : 0.0;
    const double inter = peersOutside > 0 ? bytes * peersOutside / n /
                                                    c.interNode.effectiveBandwidth() +
                                                c.interNode.latency
                                          : 0.0;
    return std::max(intra, inter);
}

double pointToPointTime(const ClusterSpec &c, double bytes, bool interNode)
{
    if (bytes <= 0.0)
        return 0.0;
    const LinkTier &tier = interNode ? c.interNode : c.intraNode;
    return bytes / tier.effectiveBandwidth() + tier.latency;
}

} // namespace phaze
