#include "core/arch/archspace.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"

namespace phaze {
namespace {

constexpr double kAreaTolerance = 1e-12;

bool positiveInts(const std::vector<double> &values)
{
    return std::all_of(values.begin(), values.end(),
                       [](double v) { return v >= 1.0 && v <= 1e9 && v == std::floor(v); });
}

} // namespace

Result<double> areaBudget(const ArchSpaceSpec &spec, const TechnologyTable &tech)
{
    if (!spec.areaBudgetPreset.empty()) {
        const AcceleratorPreset *preset = findAcceleratorPreset(spec.areaBudgetPreset);
        if (!preset)
            return Result<double>::error("area budget: unknown preset \"" + spec.areaBudgetPreset +
                                         "\"");
        const AreaBreakdown a = areaBreakdown(preset->config, tech);
        return Result<double>::optimal(a.total());
    }
    if (!(spec.areaBudget > 0.0) || !std::isfinite(spec.areaBudget))
        return Result<double>::error("area budget must be a positive area");
    return Result<double>::optimal(spec.areaBudget);
}

bool inAreaWindow(const AcceleratorConfig &config, double area, double budget, double minFraction,
                  double fixedArea)
{
    if (area > budget * (1.0 + kAreaTolerance))
        return false;
    // PHAZE's exception: a single TC or a single VC is a deliberately small design and is kept
    // however small it is.
    if (config.numTc == 1 || config.numVc == 1)
        return true;
    return area - fixedArea >= minFraction * (budget - fixedArea) * (1.0 - kAreaTolerance);
}

Result<ArchSpace> enumerateArchSpace(const ArchSpaceSpec &spec, const AcceleratorConfig &base,
                                     const TechnologyTable &tech)
{
    const Result<double> budget = areaBudget(spec, tech);
    if (!budget.ok())
        return Result<ArchSpace>::error(budget.message);
    const std::vector<double> tcs = spec.numTc.expand();
    const std::vector<double> widths = spec.tcWidth.expand();
    const std::vector<double> depths = spec.tcDepth.expand();
    const std::vector<double> vcs = spec.numVc.expand();
    const std::vector<double> glbs = spec.glbSize.expand();
    for (const auto *list : {&tcs, &widths, &depths, &vcs, &spec.vcWidth})
        if (!positiveInts(*list))
            return Result<ArchSpace>::error("core counts and widths must be positive integers");
    if (tcs.empty() || widths.empty() || depths.empty() || vcs.empty() || glbs.empty())
        return Result<ArchSpace>::error("the architecture space is empty: a range holds no value");
    if (!std::all_of(glbs.begin(), glbs.end(),
                     [](double v) { return v > 0.0 && std::isfinite(v); }))
        return Result<ArchSpace>::error("GLB sizes must be positive");
    // Counted before enumerating: long lists multiply into more candidates than memory holds.
    const double points =
        double(tcs.size()) * double(widths.size()) * double(depths.size()) * double(vcs.size()) *
        double(std::max<std::size_t>(1, spec.vcWidth.size())) * double(glbs.size());
    if (points > double(kMaxArchSpacePoints))
        return Result<ArchSpace>::error(
            "the architecture space has " + std::to_string((long long)std::min(points, 9e18)) +
            " combinations of num_tc x tc_width x tc_depth x num_vc x vc_width x glb_size, over "
            "the limit of " +
            std::to_string(kMaxArchSpacePoints) + ": narrow the ranges or shorten the lists");

    ArchSpace space;
    space.budget = *budget.value;
    space.fixedArea = tech.uncoreArea;
    space.areaLowerBound =
        space.fixedArea + spec.areaMinFraction * (space.budget - space.fixedArea);
    space.areaMin = 0.0;
    space.areaMax = 0.0;
    space.powerBudget = spec.powerBudget;
    AcceleratorConfig c = base;
    for (double tc : tcs) {
        c.numTc = int(tc);
        for (double w : widths) {
            c.tcWidth = int(w);
            for (double d : depths) {
                c.tcDepth = int(d);
                for (double vc : vcs) {
                    c.numVc = int(vc);
                    const std::vector<double> vcWidths =
                        spec.vcWidth.empty() ? std::vector<double>{w} : spec.vcWidth;
                    for (double vw : vcWidths) {
                        c.vcWidth = int(vw);
                        for (double glb : glbs) {
                            c.glbBytes = glb;
                            ++space.crossProduct;
                            const double area = chipArea(c, tech);
                            if (!inAreaWindow(c, area, space.budget, spec.areaMinFraction,
                                              space.fixedArea))
                                continue;
                            if (space.powerBudget > 0.0 &&
                                peakPower(c, tech, area) > space.powerBudget) {
                                ++space.overPowerBudget;
                                continue;
                            }
                            space.candidates.push_back(c);
                            space.areas.push_back(area);
                        }
                    }
                }
            }
        }
    }
    if (!space.areas.empty()) {
        const auto [lo, hi] = std::minmax_element(space.areas.begin(), space.areas.end());
        space.areaMin = *lo;
        space.areaMax = *hi;
    }
    return Result<ArchSpace>::optimal(std::move(space));
}

} // namespace phaze
