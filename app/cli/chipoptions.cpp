#include "app/cli/chipoptions.h"

#include <iostream>

#include "core/io/technologyfile.h"

namespace phaze::cli {

std::optional<ModelProfile> profileOption(const CliArgs &parsed, ModelProfile fallback,
                                          std::string &error)
{
    const std::optional<std::string> name = parsed.value("--profile");
    if (!name)
        return fallback;
    if (*name == "system")
        return ModelProfile::System;
    if (*name == "phaze")
        return ModelProfile::Phaze;
    error = "--profile: \"" + *name + "\" is neither system nor phaze";
    return std::nullopt;
}

std::optional<TechnologyTable> commandTechnology(const CliArgs &parsed, const std::string &reference,
                                                 const std::string &baseDir, ModelProfile profile)
{
    const std::optional<std::string> given = parsed.value("--technology");
    const Result<TechnologyTable> tech = given ? resolveTechnology(*given, {}, profile)
                                               : resolveTechnology(reference, baseDir, profile);
    if (!tech.value) {
        for (const Diagnostic &d : tech.diagnostics)
            std::cerr << d.format() << "\n";
        if (tech.diagnostics.empty())
            std::cerr << (given ? *given : reference) << ": cannot load the technology table\n";
        return std::nullopt;
    }
    return *tech.value;
}

} // namespace phaze::cli
