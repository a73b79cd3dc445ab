#pragma once

// A flat, display-ready view of a project: one row per field with its text as it would be
// written to the project file and the registry entry that documents it. Lets views show a
// project without knowing its structure or YAML.

#include <string>
#include <vector>

#include "core/arch/parameterregistry.h"
#include "core/spec/projectspec.h"

namespace phaze {

struct ProjectField {
    std::string section;                 // "models", "architecture", "training", ...
    std::string key;                     // "hbm_sizes"; for models the index
    std::string value;                   // "[32 GiB, 64 GiB, 80 GiB]"
    const ParameterSpec *spec = nullptr; // nullptr for fields outside the registry
};

std::vector<ProjectField> projectFields(const ProjectSpec &project);

} // namespace phaze
