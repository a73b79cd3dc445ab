#include "core/io/estimatereport.h"

#include <cmath>
#include <sstream>

#include "core/base/units.h"

namespace phaze {
namespace {

std::string seconds(double v)
{
    return formatHuman(v, Dimension::Time, 4);
}

std::string bytes(double v)
{
    return formatHuman(v, Dimension::Bytes, 4);
}

} // namespace

std::string timeBreakdownText(const TimeBreakdown &t)
{
    std::ostringstream out;
    out << "forward " << seconds(t.forward) << ", backward " << seconds(t.backward)
        << ", recomputation " << seconds(t.recomputation) << ", tensor-parallel "
        << seconds(t.tensorParallel)
        << (t.expertParallel > 0.0 ? ", expert all-to-all " + seconds(t.expertParallel) : "")
        << (t.contextParallel > 0.0 ? ", context ring " + seconds(t.contextParallel) : "")
        << ", pipeline transfers " << seconds(t.pipelineTransfers)
        << ", bubble " << seconds(t.bubble) << ", data-parallel " << seconds(t.dataParallel)
        << ", optimizer step " << seconds(t.optimizerStep);
    return out.str();
}

std::string deviceMemoryText(const DeviceMemory &m)
{
    std::ostringstream out;
    out << bytes(m.total()) << " = weights " << bytes(m.weights) << " + gradients "
        << bytes(m.gradients) << " + optimizer " << bytes(m.optimizer) << " + activations "
        << bytes(m.activations) << " + in flight " << bytes(m.inFlight);
    return out.str();
}

nlohmann::json chipBreakdownJson(const AreaBreakdown &area, const PowerBreakdown &power)
{
    nlohmann::json areas = nlohmann::json::object(), watts = nlohmann::json::object();
    for (const AreaBreakdown::Item &item : area.items())
        areas[item.key] = item.mm2;
    for (const PowerBreakdown::Item &item : power.items())
        watts[item.key] = item.watts;
    return {{"area_mm2", area.total()},
            {"area", areas},
            {"peak_power_w", power.total()},
            {"power", watts}};
}

nlohmann::json timeBreakdownJson(const TimeBreakdown &t)
{
    return {{"forward", t.forward},
            {"backward", t.backward},
            {"recomputation", t.recomputation},
            {"tensor_parallel", t.tensorParallel},
            {"expert_parallel", t.expertParallel},
            {"context_parallel", t.contextParallel},
            {"pipeline_transfers", t.pipelineTransfers},
            {"bubble", t.bubble},
            {"data_parallel", t.dataParallel},
            {"optimizer_step", t.optimizerStep}};
}

nlohmann::json deviceMemoryJson(const DeviceMemory &m)
{
    return {{"weights", m.weights},
            {"gradients", m.gradients},
            {"optimizer", m.optimizer},
            {"activations", m.activations},
            {"in_flight", m.inFlight}};
}

} // namespace phaze

namespace phaze {

nlohmann::json layerEfficiencyJson(const std::vector<LayerEfficiency> &layers)
{
    const auto fraction = [](double v) {
        return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
    };
    nlohmann::json out = nlohmann::json::array();
    for (const LayerEfficiency &l : layers)
        out.push_back({{"layer", l.layer},
                       {"count", l.count},
                       {"forward", fraction(l.forward)},
                       {"backward", fraction(l.backward)}});
    return out;
}

std::string layerEfficiencyText(const std::vector<LayerEfficiency> &layers)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerEfficiency &l = layers[i];
        out << (i ? ", " : "") << l.layer;
        if (l.count > 1)
            out << " (x" << l.count << ")";
        out << " " << 100.0 * l.forward << "% / " << 100.0 * l.backward << "%";
    }
    return out.str();
}

} // namespace phaze
