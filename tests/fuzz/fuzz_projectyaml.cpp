// Fuzz target: the project-YAML loader (loadProjectText). A project that loads must save and
// load back to an equal spec; a small one is also checked (its zoo models built at each
// tensor-parallel width) and described, as `phaze check` does.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/io/projectcheck.h"
#include "core/io/projectfile.h"
#include "tests/fuzz/fuzzcheck.h"

namespace {

using namespace phaze;

const std::string kFile = "fuzz.yaml";
// Relative model files never exist there, so loading never reads the disk for them.
const std::string kBaseDir = "/nonexistent-phaze-fuzz-dir";

// Building the zoo models is the expensive part (a few ms per model and width): only small
// projects of zoo models go through the check, so that each input stays fast.
bool smallEnoughToCheck(const ProjectSpec &p)
{
    if (p.models.size() > 2 || p.training.tensorParallelWidths.size() > 3)
        return false;
    return std::all_of(p.models.begin(), p.models.end(),
                       [](const ModelRef &m) { return m.file.empty(); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    const Result<ProjectSpec> load = loadProjectText(text, kFile, kBaseDir);
    fuzz::checkDiagnostics(load.diagnostics, kFile);
    fuzz::check(load.value.has_value() == load.diagnostics.empty(),
                "a project is returned exactly when there are no errors");
    if (!load.value)
        return 0;
    const ProjectSpec &project = *load.value;

    const std::string saved = saveProjectText(project);
    const Result<ProjectSpec> again = loadProjectText(saved, kFile, kBaseDir);
    if (!again.value)
        fuzz::fail("the saved project does not load: " + fuzz::firstError(again.diagnostics) +
                   "\n--- saved text:\n" + saved);
    fuzz::check(*again.value == project,
                "the saved project loads back different\n--- saved text:\n" + saved);

    if (smallEnoughToCheck(project)) {
        const ProjectCheck check = checkProject(project, kFile, kBaseDir);
        fuzz::checkDiagnostics(check.errors, kFile);
        describeProject(project, check.models);
    }
    return 0;
}
