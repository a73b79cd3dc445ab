#pragma once

// A project resolved once: its spec, its technology table and the layer graph of every model at
// every microbatch size and tensor-parallel width the search explores. io's prepareProject is
// the only step that reads files to build one; the search, the detail views, the layer-schedule
// view and `phaze check` all work from it, so they see the same graphs and the same technology,
// even if a file changes on disk later.

#include <optional>
#include <string>
#include <vector>

#include "core/arch/technology.h"
#include "core/model/modelgraph.h"
#include "core/placement/placementinput.h"
#include "core/spec/projectspec.h"

namespace phaze {

// One model built for one microbatch size and tensor-parallel width.
struct ModelVariant {
    int microbatch = 1;
    int width = 1;
    ModelGraph graph;
};

struct PreparedModel {
    std::string label;                  // the zoo key or the file, as the project names it
    std::vector<ModelVariant> variants; // microbatch sizes x widths (an imported graph: one width)
    std::optional<FixedStrategy> fixed; // the zoo model's Megatron-style baseline

    // The variant of a microbatch size and width, or nullptr.
    const ModelVariant *variant(int microbatch, int width) const;
    // The widths of one microbatch size, in the order they were built.
    std::vector<const ModelVariant *> variantsOf(int microbatch) const;
};

struct PreparedProject {
    ProjectSpec spec;
    std::string baseDir; // where the project's relative paths were resolved
    TechnologyTable technology;
    std::vector<PreparedModel> models; // in the order of spec.models
};

} // namespace phaze
