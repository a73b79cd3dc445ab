#pragma once

// Checks of a loaded project that need more than the file itself: every model builds at every
// tensor-parallel width, and the training knobs agree with each other. Used by `phaze check`
// and by the workbench when it opens a project.

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/diagnostic.h"
#include "core/spec/projectspec.h"

namespace phaze {

struct ModelSummary {
    std::string label;  // zoo key or file
    std::string family; // "GPT-3 (Megatron)" or "imported graph"
    int layers = 0;
    int transformerBlocks = 0;
    int distinctLayers = 0;
    std::int64_t parameters = 0;
    int sequence = 0;
    bool chain = true;
    std::vector<int> tensorParallelWidths;
};

struct ProjectCheck {
    std::vector<ModelSummary> models;
    Diagnostics errors;
};

ProjectCheck checkProject(const ProjectSpec &project, const std::string &fileName,
                          const std::string &baseDir);

// Gives the errors of a check of the project file at `path` (as saved) the line and column of
// the field each names, where the path leads to one: the checks work on specs, without
// positions.
void locateErrors(Diagnostics &errors, const std::string &path);

// A human description of what the project asks for (the output of `phaze check`).
std::string describeProject(const ProjectSpec &project, const std::vector<ModelSummary> &models);

} // namespace phaze
