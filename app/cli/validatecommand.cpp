// `phaze validate FILE... [--json OUT|-]`: predict published training runs and compare.

#include <iostream>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/io/technologyfile.h"
#include "core/io/validationreport.h"

namespace phaze::cli {

int runValidate(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--breakdown"}, {"--json"});
    if (!parsed.ok() || parsed.positional().empty()) {
        std::cerr << "usage: phaze validate FILE.yaml... [--breakdown] [--json OUT|-]"
                  << (parsed.ok() ? "" : " (" + parsed.error() + ")") << "\n";
        return kExitBadInput;
    }
    const std::optional<std::string> json = parsed.value("--json");
    const OutputPaths outputs = {{"--json", json}};
    if (json) {
        if (const Outcome why = probeOutput(*json); !why.ok()) {
            std::cerr << why.message << "\n";
            return kExitIoError;
        }
    }
    const Result<ValidationReport> validated = validateFiles(parsed.positional());
    if (!validated.value) {
        for (const Diagnostic &d : validated.diagnostics)
            std::cerr << d.format() << "\n";
        const std::size_t errors = validated.diagnostics.size();
        std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
        return kExitBadInput;
    }
    const ValidationReport &report = *validated.value;
    humanOutput(outputs) << validationReportText(report);
    if (parsed.has("--breakdown"))
        humanOutput(outputs) << "\n" << validationBreakdownText(report);
    if (json) {
        if (const Outcome why = writeOutput(*json, validationReportJson(report)); !why.ok()) {
            std::cerr << why.message << "\n";
            return kExitIoError;
        }
    }
    return report.failures.empty() ? kExitOk : kExitInfeasible;
}

} // namespace phaze::cli
