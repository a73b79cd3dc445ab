// `phaze arch NAME|FILE`: an accelerator's area breakdown, peak rates and bandwidths.

#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli/chipoptions.h"
#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/base/units.h"
#include "core/cost/costmodel.h"
#include "core/io/archfile.h"
#include "core/io/costjson.h"
#include "core/io/technologyfile.h"

namespace phaze::cli {
namespace {

std::string describe(const std::string &name, const AcceleratorConfig &c, const AreaBreakdown &area,
                     const PowerBreakdown &power, const TechnologyTable &tech)
{
    std::ostringstream out;
    out << name << ": " << c.numTc << " TCs of " << c.tcWidth << "x" << c.tcDepth << ", " << c.numVc
        << " VCs of " << c.vcWidth << " lanes, " << formatHuman(c.frequency, Dimension::Frequency)
        << ", " << c.bytesPerElement << " bytes per element\n";
    out << "peak:    " << formatHuman(c.peakFlops(), Dimension::FlopRate) << " (tensor cores), "
        << formatHuman(double(c.numVc) * c.vcWidth * c.frequency, Dimension::Count)
        << " vector elements/s\n";
    out << "memory:  GLB " << formatHuman(c.glbBytes, Dimension::Bytes) << ", HBM "
        << formatHuman(c.hbmBytes, Dimension::Bytes) << " at "
        << formatHuman(c.hbmBandwidth, Dimension::Bandwidth) << "\n";
    out << "links:   " << formatHuman(c.linkBandwidth, Dimension::Bandwidth) << "\n";
    out << "area (" << tech.name << "):\n";
    char line[160];
    const double total = area.total();
    for (const AreaBreakdown::Item &item : area.items()) {
        std::snprintf(line, sizeof line, "  %-34s %10.2f mm2 %6.1f%%\n", item.label, item.mm2,
                      total > 0 ? 100.0 * item.mm2 / total : 0.0);
        out << line;
    }
    std::snprintf(line, sizeof line, "  %-34s %10.2f mm2\n", "total", total);
    out << line;
    out << "power at peak (a TDP estimate):\n";
    const double watts = power.total();
    for (const PowerBreakdown::Item &item : power.items()) {
        std::snprintf(line, sizeof line, "  %-34s %10.2f W   %6.1f%%\n", item.label, item.watts,
                      watts > 0 ? 100.0 * item.watts / watts : 0.0);
        out << line;
    }
    std::snprintf(line, sizeof line, "  %-34s %10.2f W\n", "total", watts);
    out << line;
    return out.str();
}

} // namespace

int runArch(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {}, {"--technology", "--profile"}, {"--json"});
    std::string profileError;
    const std::optional<ModelProfile> profile =
        profileOption(parsed, ModelProfile::System, profileError);
    if (!parsed.ok() || parsed.positional().size() != 1 || !profile) {
        std::cerr << "usage: phaze arch NAME|FILE [--technology FILE] [--profile system|phaze] "
                     "[--json OUT|-]"
                  << (!parsed.ok() ? "\nerror: " + parsed.error()
                      : profile    ? ""
                                   : "\nerror: " + profileError)
                  << "\n";
        return kExitBadInput;
    }
    const Result<ArchFile> load = loadArchByName(parsed.positional().front());
    if (!load.value) {
        for (const Diagnostic &d : load.diagnostics)
            std::cerr << d.format() << "\n";
        return kExitBadInput;
    }
    const ArchFile &arch = *load.value;
    // The system profile (the default) charges what every core carries and static power;
    // PHAZE's chip pays neither.
    const std::optional<TechnologyTable> tech =
        commandTechnology(parsed, arch.technology, arch.baseDir, *profile);
    if (!tech)
        return kExitBadInput;
    if (const std::string problem = validateConfig(arch.config); !problem.empty()) {
        std::cerr << arch.name << ": " << problem << "\n";
        return kExitBadInput;
    }
    const AreaBreakdown area = areaBreakdown(arch.config, *tech);
    const PowerBreakdown power = peakPowerBreakdown(arch.config, *tech, area.total());
    const auto jsonPath = parsed.value("--json");
    parsed.humanOutput() << describe(arch.name, arch.config, area, power, *tech);
    if (jsonPath) {
        const Outcome written =
            writeOutput(*jsonPath, archJson(arch.name, arch.config, area, power) + "\n");
        if (!written.ok()) {
            std::cerr << written.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

} // namespace phaze::cli
