#pragma once

// Collective and point-to-point transfer times on a two-tier cluster (docs/system-model.md,
// "Collectives"). A group of n devices with k of them in each node runs hierarchically: a
// reduce-scatter inside each node, the inter-node step on 1/k of the buffer over each device's
// own inter-node link (k such rings run at once), and an all-gather inside the node. With k = n
// (one node) this is the ring inside the node; with k = 1, the ring across nodes.

#include "core/spec/clusterspec.h"

namespace phaze {

// How a group sits on the cluster.
struct GroupShape {
    int size = 1;    // n devices
    int perNode = 1; // k of them share a node (k divides n)

    // The shape of `size` devices spaced `stride` apart in a row-major numbering of the
    // cluster (tensor-parallel ranks are adjacent, stride 1; data-parallel ranks t p apart).
    static GroupShape strided(int size, long long stride, int devicesPerNode);
};

// Seconds for each collective on a buffer of `bytes` (per device, before the operation).
double allReduceTime(const ClusterSpec &cluster, double bytes, GroupShape group);
double reduceScatterTime(const ClusterSpec &cluster, double bytes, GroupShape group);
double allGatherTime(const ClusterSpec &cluster, double bytes, GroupShape group);
// Each device sends 1 / n of its `bytes` to every other member and keeps its own share (the
// expert dispatch and combine): the intra-node and the inter-node shares go out at once, each
// over its own links.
double allToAllTime(const ClusterSpec &cluster, double bytes, GroupShape group);
// One message of `bytes` from a device to another, inside a node or between nodes.
double pointToPointTime(const ClusterSpec &cluster, double bytes, bool interNode);

} // namespace phaze
