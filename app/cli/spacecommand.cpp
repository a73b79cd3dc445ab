// `phaze space [PROJECT.yaml]`: size and area range of an architecture space.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

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
    CliArgs parsed(args, {"--candidates"}, {"--technology"}, {"--json"});
    if (!parsed.ok() || parsed.positional().size() > 1) {
        std::cerr << "usage: phaze space [PROJECT.yaml] [--technology FILE] [--json OUT|-] "
                     "[--candidates]"
                  << (parsed.ok() ? "" : "\nerror: " + parsed.error()) << "\n";
        return kExitBadInput;
    }
    ArchSpaceSpec spec;
    AcceleratorConfig base = findAcceleratorPreset("tpuv4")->config;
    std::string technology = "default";
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
        baseDir = std::filesystem::path(path).parent_path().string();
        label = path + (p.space ? "" : " (no architecture_space: the default PHAZE space)");
    }
    if (const auto t = parsed.value("--technology")) {
        technology = *t;
        baseDir.clear();
    }
    const Result<TechnologyTable> tech = resolveTechnology(technology, baseDir);
    if (!tech.value) {
        for (const Diagnostic &d : tech.diagnostics)
            std::cerr << d.format() << "\n";
        return kExitBadInput;
    }
    const Result<ArchSpace> space = enumerateArchSpace(spec, base, *tech.value);
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
