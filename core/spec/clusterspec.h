#pragma once

// The system a model trains on (docs/system-model.md): nodes of identical devices, a fast link
// tier inside a node and a slower one between nodes. Bandwidths are per device and per
// direction, in B/s; latencies in s; `efficiency` is the fraction of the nominal bandwidth that
// large collectives achieve (a measured figure, cited beside each preset).

#include <string>
#include <string_view>
#include <vector>

namespace phaze {

struct LinkTier {
    double bandwidth = 0.0;  // B/s per device per direction
    double latency = 0.0;    // s per message hop
    double efficiency = 1.0; // achieved / nominal bandwidth of large transfers, in (0, 1]
    bool operator==(const LinkTier &) const = default;

    double effectiveBandwidth() const { return bandwidth * efficiency; }
};

// The member defaults are dgx-a100's numbers (the parameter registry reads its defaults from a
// default-constructed struct; clusterspec.cpp cites them).
struct ClusterSpec {
    std::string preset;     // the preset it came from, "" when given in full
    int devicesPerNode = 8; // devices sharing the intra-node tier
    LinkTier intraNode{300e9, 2e-6, 0.70};
    LinkTier interNode{25e9, 5e-6, 0.96};
    bool operator==(const ClusterSpec &) const = default;
};

struct ClusterPreset {
    std::string name;
    std::string description;
    ClusterSpec cluster;
};

const std::vector<ClusterPreset> &clusterPresets();
// The cluster a project gets when it names none: dgx-a100.
ClusterSpec defaultCluster();
const ClusterPreset *findClusterPreset(std::string_view name); // nullptr if unknown

// The cluster preset a chip preset is built into (a100-sxm4-80gb: dgx-a100, h100-sxm5-80gb:
// dgx-h100, any other: phaze-link): where a system leaves out a latency or an efficiency.
std::string referenceClusterOf(std::string_view chipPreset);

// "" when the description can be used, else what is wrong (naming the field).
std::string validateCluster(const ClusterSpec &cluster);

} // namespace phaze
