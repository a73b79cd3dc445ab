// `phaze check PROJECT.yaml`: validate a project and describe it, or list every error found.

#include <filesystem>
#include <iostream>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/arch/parameterregistry.h"
#include "core/io/projectcheck.h"
#include "core/io/projectfile.h"

namespace phaze::cli {

int runCheck(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {}, {});
    if (!parsed.ok() || parsed.positional().size() != 1) {
        std::cerr << "usage: phaze check PROJECT.yaml"
                  << (parsed.ok() ? "" : " (" + parsed.error() + ")") << "\n";
        return kExitBadInput;
    }
    const std::string path = parsed.positional().front();
    const Result<ProjectSpec> load = loadProjectFile(path);
    if (!load.value) {
        for (const Diagnostic &d : load.diagnostics)
            std::cerr << d.format() << "\n";
        std::cerr << load.diagnostics.size()
                  << (load.diagnostics.size() == 1 ? " error" : " errors") << " in " << path
                  << "\n";
        return kExitBadInput;
    }
    const std::filesystem::path p(path);
    const ProjectCheck check =
        checkProject(*load.value, p.filename().string(), p.parent_path().string());
    if (!check.errors.empty()) {
        Diagnostics errors = check.errors;
        locateErrors(errors, path); // file:line:col, like the reader's errors
        for (const Diagnostic &d : errors)
            std::cerr << d.format() << "\n";
        std::cerr << check.errors.size() << (check.errors.size() == 1 ? " error" : " errors")
                  << " in " << path << "\n";
        return kExitBadInput;
    }
    std::cout << path << ": ok\n" << describeProject(*load.value, check.models);
    return kExitOk;
}

int runParams(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--markdown"}, {});
    if (!parsed.ok() || !parsed.positional().empty()) {
        std::cerr << "usage: phaze params [--markdown]\n";
        return kExitBadInput;
    }
    const ParameterRegistry &registry = ParameterRegistry::instance();
    std::cout << (parsed.has("--markdown") ? registry.toMarkdown() : registry.toText());
    return kExitOk;
}

} // namespace phaze::cli
