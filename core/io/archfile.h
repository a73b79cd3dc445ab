#pragma once

// A single accelerator in YAML, for `phaze arch FILE` and `phaze estimate --arch FILE`: the
// project file's `architecture:` section, read by the same code with the same keys (a preset
// name, or a map of an optional preset plus the registry's architecture keys), the chip-to-chip
// link bandwidth where a project has it, under `training:`, and a `technology:` file. A whole
// project file is accepted too: its architecture section (default tpuv4), its technology and its
// training.link_bandwidth are used and its other sections are ignored.
//
//   architecture:
//     preset: tpuv4
//     num_tc: 4
//     glb_size: 64 MiB
//   training:
//     link_bandwidth: 8 GiB/s   # the cluster's links: never under architecture:
//   technology: my-7nm.yaml

#include <optional>
#include <string>

#include "core/base/status.h"
#include "core/spec/acceleratorconfig.h"

namespace phaze {

struct ArchFile {
    std::string name; // the preset or the file name
    AcceleratorConfig config;
    std::string technology = "default"; // as written; resolve against baseDir
    std::string baseDir;                // directory of the file ("" for presets)
};

// Optimal with the architecture, or Error with every problem located in `diagnostics`.
Result<ArchFile> loadArchText(const std::string &yamlText, const std::string &fileName);
Result<ArchFile> loadArchFile(const std::string &path);
// A preset name ("tpuv4") or a YAML file; unknown names list the presets.
Result<ArchFile> loadArchByName(const std::string &nameOrFile);

} // namespace phaze
