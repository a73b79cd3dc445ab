#include "core/arch/powermodel.h"

#include <algorithm>

#include "core/arch/areamodel.h"

namespace phaze {

namespace {

// In items()'s order: static first, then each unit's dynamic power.
struct Term {
    const char *key;
    const char *label;
    double PowerBreakdown::*field;
};
constexpr Term kTerms[] = {
    {"static", "static (leakage, idle clock)", &PowerBreakdown::staticPower},
    {"tensor_cores", "tensor cores", &PowerBreakdown::tensorCores},
    {"vector_cores", "vector cores", &PowerBreakdown::vectorCores},
    {"hbm", "HBM", &PowerBreakdown::hbm},
    {"links", "chip-to-chip links", &PowerBreakdown::links},
};

} // namespace

std::vector<PowerBreakdown::Item> PowerBreakdown::items() const
{
    std::vector<Item> out;
    for (const Term &t : kTerms)
        out.push_back({t.key, t.label, this->*t.field});
    return out;
}

double *PowerBreakdown::term(const std::string &key)
{
    for (const Term &t : kTerms)
        if (key == t.key)
            return &(this->*t.field);
    return nullptr;
}

double staticPower(double areaMm2, const TechnologyTable &tech)
{
    return areaMm2 * tech.staticPowerPerMm2;
}

PowerBreakdown peakPowerBreakdown(const AcceleratorConfig &config, const TechnologyTable &tech,
                                  double areaMm2)
{
    // The energies per cycle are the cost model's (core/cost/tensorcoremodel.cpp) in steady
    // state: a width x depth array does width x depth MACs a cycle, each with its register
    // traffic; `depth` input elements enter from the scratchpad through the GLB, and `width`
    // fp32 partial sums are read and written back to the scratchpad.
    const double e = double(std::max(1, config.bytesPerElement));
    const double acc = std::max(tech.accumulatorBytes, e);
    const double w = double(config.tcWidth), d = double(config.tcDepth);
    const double perTcCycle =
        w * d * (tech.macEnergy + 2.0 * (e + acc) * tech.registerEnergyPerByte) +
        d * e * (tech.scratchpadEnergyPerByte + tech.glbEnergyPerByte) +
        w * 2.0 * acc * tech.scratchpadEnergyPerByte;
    // A lane does one operation a cycle, reading and writing one element.
    const double perVcCycle = double(config.vcWidth) *
                              (tech.vcLaneOpEnergy + 2.0 * e * tech.scratchpadEnergyPerByte);
    PowerBreakdown p;
    p.staticPower = staticPower(areaMm2, tech);
    p.tensorCores = double(config.numTc) * perTcCycle * config.frequency;
    p.vectorCores = double(config.numVc) * perVcCycle * config.frequency;
    p.hbm = config.hbmBandwidth * (tech.hbmEnergyPerByte + tech.glbEnergyPerByte);
    p.links = config.linkBandwidth * tech.linkEnergyPerByte;
    return p;
}

PowerBreakdown peakPowerBreakdown(const AcceleratorConfig &config, const TechnologyTable &tech)
{
    return peakPowerBreakdown(config, tech, chipArea(config, tech));
}

double peakPower(const AcceleratorConfig &config, const TechnologyTable &tech, double areaMm2)
{
    return peakPowerBreakdown(config, tech, areaMm2).total();
}

double peakPower(const AcceleratorConfig &config, const TechnologyTable &tech)
{
    return peakPowerBreakdown(config, tech).total();
}

} // namespace phaze
