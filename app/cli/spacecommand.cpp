// `phaze space [PROJECT.yaml]`: size and area range of an architecture space.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/cli/chipoptions.h"
#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/arch/archspace.h"
#include "core/base/units.h"
#include "core/io/costjson.h"
#include "core/io/projectfile.h"
#include "core/io/technologyfile.h"

namespace phaze::cli {

int runSpace(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--candidates"}, {"--technology", "--profile"}, {"--json"});
    if (!parsed.ok() || parsed.positional().size() > 1) {
        std::cerr << "usage: phaze space [PROJECT.yaml] [--technology FILE] [--profile system|phaze] "
                     "[--json OUT|-] [--candidates]"
                  << (parsed.ok() ? "" : "\nerror: " + parsed.error()) << "\n";
        return kExitBadInput;
    }
    ArchSpaceSpec spec;
    AcceleratorConfig base = findAcceleratorPreset("tpuv4")->config;
    std::string technology = "default";
    // Without a project, the space is PHAZE's and so is its chip; a project brings its profile.
    ModelProfile profile = ModelProfile::Phaze;
    std::string baseDir;
    std::string label = "default PHAZE space";
    if (!parsed.positional().empty()) {
        const std::string &path = parsed.positional().front();
        const Result<ProjectSpec> load = loadProjectFile(path);
        if (!load.value) {
            for (const Diagnostic &d : load.diagnostics)
                std::cerr << d.format() << "\n";
            return kExitBadInput;
        }
        const ProjectSpec &p = *load.value;
        if (p.space)
            spec = *p.space;
        if (p.architecture)
            base = p.architecture->config;
        base.linkBandwidth = p.training.linkBandwidth;
        technology = p.technology;
        profile = p.training.profile;
        baseDir = std::filesystem::path(path).parent_path().string();
        label = path + (p.space ? "" : " (no architecture_space: the default PHAZE space)");
    }
    std::string profileError;
    const std::optional<ModelProfile> chosen = profileOption(parsed, profile, profileError);
    if (!chosen) {
        std::cerr << "error: " << profileError << "\n";
        return kExitBadInput;
    }
    const std::optional<TechnologyTable> tech =
        commandTechnology(parsed, technology, baseDir, *chosen);
    if (!tech)
        return kExitBadInput;
    const Result<ArchSpace> space = enumerateArchSpace(spec, base, *tech);
    if (!space.ok()) {
        std::cerr << "phaze space: " << space.message << "\n";
        return kExitBadInput;
    }
    const ArchSpace &s = *space.value;
    std::ostringstream text;
    char line[200];
    text << label << "\n";
    std::snprintf(line, sizeof line, "candidates: %zu of %zu combinations\n", s.count(),
                  s.crossProduct);
    text << line;
    std::snprintf(line, sizeof line,
                  "area budget: %.2f mm2 (window %.2f .. %.2f mm2; single-TC/VC exempt from "
                  "the lower bound)\n",
                  s.budget, s.areaLowerBound, s.budget);
    text << line;
    std::snprintf(line, sizeof line, "area range: %.2f .. %.2f mm2\n", s.areaMin, s.areaMax);
    text << line;
    if (s.powerBudget > 0.0) {
        std::snprintf(line, sizeof line,
                      "power budget: %.1f W at peak (%zu in the area window above it, left out)\n",
                      s.powerBudget, s.overPowerBudget);
        text << line;
    }
    const auto jsonPath = parsed.value("--json");
    parsed.humanOutput() << text.str();
    if (jsonPath) {
        const Outcome written =
            writeOutput(*jsonPath, spaceJson(s, parsed.has("--candidates")) + "\n");
        if (!written.ok()) {
            std::cerr << written.message << "\n";
            return kExitIoError;
        }
    }
    return s.count() > 0 ? kExitOk : kExitInfeasible;
}

} // namespace phaze::cli
