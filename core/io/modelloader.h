#pragma once

// Resolves a model reference (a zoo key or an operator-graph JSON file) into a layer graph for
// given build options. The one place that knows both sources.

#include <optional>
#include <string>

#include "core/base/status.h"
#include "core/model/modelgraph.h"
#include "core/spec/projectspec.h"

namespace phaze {

// Optimal with the graph, or Error with the problems in `diagnostics` (an imported file's
// located ones). Relative file paths are resolved against baseDir. The reference's sequence
// override wins over options.sequence.
Result<ModelGraph> loadModel(const ModelRef &ref, const GraphBuildOptions &options,
                             const std::string &baseDir = {});
// "gpt3-175b" (zoo) or "path/to/graph.json" (a file; anything ending in .json or that exists).
Result<ModelGraph> loadModelByName(const std::string &nameOrFile, const GraphBuildOptions &options);

// The tensor-parallel widths to explore for a model: the project's list, or the model's own.
std::vector<int> tensorParallelWidthsFor(const ModelRef &ref, const TrainingSpec &training);

} // namespace phaze
