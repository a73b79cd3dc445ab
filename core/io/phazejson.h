#pragma once

// PHAZE device-placement JSON (algorithms.md §4 "interop"): reads PHAZE's input files into a
// PlacementInput, with every problem reported as a located diagnostic, and writes PHAZE's
// output format (plus "status" and "message") for a placement result.

#include <optional>
#include <string>

#include "core/base/diagnostic.h"
#include "core/base/status.h"
#include "core/placement/placement.h"

namespace phaze {

// Reads the JSON text of a PHAZE input file; file names the source in diagnostics. Returns the
// input, or nothing with errors filled (structural and semantic problems alike).
std::optional<PlacementInput> readPhazeInput(const std::string &text, const std::string &file,
                                             Diagnostics &errors);
std::optional<PlacementInput> loadPhazeInput(const std::string &path, Diagnostics &errors);

// PHAZE's output object: stages (first stage first, layer ids), dataParallelDegree,
// tensorParallelDegree, finalTimePerBatch, fixedStrategyTimePerBatch (null when the baseline
// does not fit or was not asked for), plus status ("optimal", "infeasible", ...) and message.
// An infeasible result has empty stages and null numbers.
std::string writePhazeOutput(const Result<Placement> &result);

} // namespace phaze
