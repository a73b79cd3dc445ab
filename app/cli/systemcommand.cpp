// `phaze evaluate` of a project under the system profile (training.profile: system).

#include <filesystem>
#include <iostream>

#include "app/cli/commands.h"
#include "core/io/systemevaluate.h"

namespace phaze::cli {

int runSystemEvaluate(const std::string &projectPath, const ProjectSpec &project,
                      const CliArgs &parsed)
{
    const std::optional<std::string> json = parsed.value("--json");
    const std::optional<std::string> trace = parsed.value("--trace");
    if (parsed.value("--csv")) {
        std::cerr << "--csv: the system profile writes --json only\n";
        return kExitBadInput;
    }
    for (const std::optional<std::string> &out : {json, trace}) {
        if (!out)
            continue;
        if (const Outcome why = probeOutput(*out); !why.ok()) {
            std::cerr << why.message << "\n";
            return kExitIoError;
        }
    }
    const std::string baseDir = std::filesystem::path(projectPath).parent_path().string();
    const Result<SystemEvaluation> e = evaluateSystemProject(project, baseDir);
    if (!e.value) {
        for (const Diagnostic &d : e.diagnostics)
            std::cerr << d.format() << "\n";
        if (e.diagnostics.empty())
            std::cerr << projectPath << ": " << e.message << "\n";
        return kExitBadInput;
    }
    parsed.humanOutput() << systemEvaluationText(*e.value);
    if (json) {
        if (const Outcome why = writeOutput(*json, systemEvaluationJson(*e.value)); !why.ok()) {
            std::cerr << why.message << "\n";
            return kExitIoError;
        }
    }
    if (trace) {
        if (const Outcome why = writeOutput(*trace, systemEvaluationTrace(*e.value)); !why.ok()) {
            std::cerr << why.message << "\n";
            return kExitIoError;
        }
    }
    for (const SystemModelOutcome &m : e.value->models)
        if (!hasAnswer(m.status))
            return kExitInfeasible;
    return kExitOk;
}

} // namespace phaze::cli
