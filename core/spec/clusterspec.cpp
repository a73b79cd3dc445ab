#include "core/spec/clusterspec.h"

#include <cmath>

namespace phaze {
namespace {

constexpr double kGB = 1e9;
constexpr double kUs = 1e-6;

ClusterSpec cluster(const char *preset, int perNode, LinkTier intra, LinkTier inter)
{
    ClusterSpec c;
    c.preset = preset;
    c.devicesPerNode = perNode;
    c.intraNode = intra;
    c.interNode = inter;
    return c;
}

} // namespace

// Sources of every number: docs/system-model.md, "Cluster presets".
const std::vector<ClusterPreset> &clusterPresets()
{
    static const std::vector<ClusterPreset> presets = {
        // NVLink 3 through NVSwitch: 600 GB/s per GPU both directions together; nccl-tests on
        // 8 x A100-SXM4-80GB reach a bus bandwidth of about 210 GB/s (efficiency 0.70).
        // 8 HDR InfiniBand adapters of 200 Gb/s per node, one per GPU; about 96% of line rate.
        {"dgx-a100",
         "DGX A100 80 GB (Selene): 8 GPUs per node, NVLink 3 300 GB/s, HDR InfiniBand 25 GB/s "
         "per GPU",
         [] {
             ClusterSpec c; // its defaults are these numbers
             c.preset = "dgx-a100";
             return c;
         }()},
        // NVLink 4: 900 GB/s per GPU both directions; nccl-tests all-reduce bus bandwidth about
        // 360 GB/s without NVLink SHARP (efficiency 0.80). 8 NDR 400 Gb/s adapters per node.
        {"dgx-h100",
         "DGX H100: 8 GPUs per node, NVLink 4 450 GB/s, NDR InfiniBand 50 GB/s per GPU",
         cluster("dgx-h100", 8, {450 * kGB, 2 * kUs, 0.80}, {50 * kGB, 5 * kUs, 0.96})},
        // PHAZE's system: every device alone, one 4 GiB/s link, no latency, full efficiency.
        {"phaze-link",
         "PHAZE's single link: 4 GiB/s between any two devices, no latency",
         cluster("phaze-link", 1, {4.0 * (1ull << 30), 0.0, 1.0}, {4.0 * (1ull << 30), 0.0, 1.0})},
    };
    return presets;
}

ClusterSpec defaultCluster()
{
    return clusterPresets().front().cluster;
}

const ClusterPreset *findClusterPreset(std::string_view name)
{
    for (const ClusterPreset &p : clusterPresets())
        if (p.name == name)
            return &p;
    return nullptr;
}

std::string referenceClusterOf(std::string_view chip)
{
    if (chip == "a100-sxm4-80gb")
        return "dgx-a100";
    if (chip == "h100-sxm5-80gb")
        return "dgx-h100";
    return "phaze-link";
}

std::string validateCluster(const ClusterSpec &c)
{
    if (c.devicesPerNode < 1 || c.devicesPerNode > 1 << 16)
        return "cluster.devices_per_node must be between 1 and 65536";
    const std::pair<const char *, const LinkTier *> tiers[] = {{"intra_node", &c.intraNode},
                                                               {"inter_node", &c.interNode}};
    for (const auto &[name, tier] : tiers) {
        const std::string field = std::string("cluster.") + name;
        if (!(tier->bandwidth > 0.0) || !std::isfinite(tier->bandwidth))
            return field + ".bandwidth must be positive and finite";
        if (!(tier->latency >= 0.0) || !std::isfinite(tier->latency))
            return field + ".latency must be zero or positive and finite";
        if (!(tier->efficiency > 0.0) || tier->efficiency > 1.0)
            return field + ".efficiency must be in (0, 1]";
    }
    return {};
}

} // namespace phaze
