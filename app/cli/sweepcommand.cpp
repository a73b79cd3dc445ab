// `phaze sweep PROJECT.yaml --param SECTION.KEY [--values LIST] [--arch A,B,...]`: the
// throughput of one or more architectures as one project parameter varies (core/io/projectsweep.h).

#include <filesystem>
#include <iostream>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/io/archfile.h"
#include "core/io/projectfile.h"
#include "core/io/projectsweep.h"

namespace phaze::cli {
namespace {

std::string sweepableList(bool system)
{
    std::string out;
    for (const ParameterSpec *p : sweepableParameters(system))
        out += "\n  " + std::string(paramGroupName(p->group)) + "." + p->key;
    return out;
}

} // namespace

int runSweep(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {}, {"--param", "--values", "--arch", "--threads"}, {"--json", "--csv"});
    const auto param = parsed.value("--param");
    if (!parsed.ok() || parsed.positional().size() != 1 || !param) {
        std::cerr << "usage: phaze sweep PROJECT.yaml --param SECTION.KEY [--values V1,V2,...] "
                     "[--arch NAME|FILE,...] [--threads N] [--json OUT|-] [--csv OUT|-]"
                  << (parsed.ok() ? (param ? "" : "\nerror: --param is required")
                                  : "\nerror: " + parsed.error())
                  << "\n";
        return kExitBadInput;
    }
    const std::string projectPath = parsed.positional().front();
    const Result<ProjectSpec> load = loadProjectFile(projectPath);
    for (const Diagnostic &d : load.diagnostics)
        std::cerr << d.format() << "\n";
    if (!load.value)
        return kExitBadInput;
    const ProjectSpec &project = *load.value;
    const bool system = project.training.profile == ModelProfile::System;

    SweepRequest request;
    const auto dot = param->find('.');
    request.section = dot == std::string::npos ? std::string() : param->substr(0, dot);
    request.key = dot == std::string::npos ? *param : param->substr(dot + 1);
    const std::optional<ParamGroup> group = paramGroupFromName(request.section);
    const ParameterSpec *spec =
        group ? ParameterRegistry::instance().find(*group, request.key) : nullptr;
    if (!spec) {
        std::cerr << "--param " << *param << ": no such parameter; under this project's profile "
                  << "a sweep can vary:" << sweepableList(system) << "\n";
        return kExitBadInput;
    }
    request.threads = parsed.intValue("--threads", 1, 1024).value_or(1);
    if (!parsed.ok()) {
        std::cerr << "error: " << parsed.error() << "\n";
        return kExitBadInput;
    }
    if (const auto arch = parsed.value("--arch")) {
        for (const std::string &name : splitSweepValues(*arch)) {
            const Result<ArchFile> a = loadArchByName(name);
            if (!a.value) {
                for (const Diagnostic &d : a.diagnostics)
                    std::cerr << d.format() << "\n";
                return kExitBadInput;
            }
            // A chip preset keeps its name: its own measurements (technologyForChip) apply.
            ArchitectureSpec architecture;
            architecture.preset = findAcceleratorPreset(name) ? name : std::string();
            architecture.config = a.value->config;
            request.designs.push_back({a.value->name, architecture});
        }
    }
    if (const auto values = parsed.value("--values")) {
        request.values = splitSweepValues(*values);
    } else {
        // Around the project's (or the first design's) current value.
        ProjectSpec reference = project;
        if (!request.designs.empty())
            reference.architecture = request.designs.front().architecture;
        request.values = suggestedSweepValues(reference, *spec);
    }

    const OutputPaths outputs = parsed.outputs();
    for (const auto &[option, path] : outputs)
        if (path)
            if (const Outcome probe = probeOutput(*path); !probe.ok()) {
                std::cerr << option << " " << probe.message << "\n";
                return kExitIoError;
            }
    const std::string baseDir = std::filesystem::path(projectPath).parent_path().string();
    const Result<SweepResult> result = phaze::runSweep(project, baseDir, request);
    if (!result.value) {
        std::cerr << projectPath << ": " << result.message << "\n";
        return kExitBadInput;
    }
    std::ostream &human = parsed.humanOutput();
    human << sweepText(*result.value);
    for (const auto &[option, path] : outputs) {
        if (!path)
            continue;
        const std::string text =
            option == "--json" ? sweepJson(*result.value) : sweepCsv(*result.value);
        if (const Outcome written = writeOutput(*path, text); !written.ok()) {
            std::cerr << option << " " << written.message << "\n";
            return kExitIoError;
        }
    }
    return result.value->anyFeasible() ? kExitOk : kExitInfeasible;
}

} // namespace phaze::cli
