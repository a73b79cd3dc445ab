#pragma once

// Options several chip commands share (arch, estimate, schedule, space): `--profile
// system|phaze` and the technology table, the one `--technology FILE` names or else the chip's
// own, as the profile sees it (technologyForProfile: PHAZE's chip pays nothing per core).

#include <optional>
#include <string>

#include "app/cli/cliargs.h"
#include "core/arch/technology.h"
#include "core/base/status.h"

namespace phaze::cli {

// The --profile option (`fallback` when absent), or nullopt when its value is neither name;
// `error` then says so.
std::optional<ModelProfile> profileOption(const CliArgs &parsed, ModelProfile fallback,
                                          std::string &error);

// The table of --technology when given, else `reference` (relative to baseDir), for `profile`.
// Prints the located errors to stderr and returns nullopt when it cannot be read.
std::optional<TechnologyTable> commandTechnology(const CliArgs &parsed, const std::string &reference,
                                                 const std::string &baseDir, ModelProfile profile);

} // namespace phaze::cli
