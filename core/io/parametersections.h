#pragma once

// Reading and writing the parameter registry's sections (architecture, architecture_space,
// training, search) in YAML, for the project reader, the architecture-file reader and the
// project writer: every key, shape, range and field comes from the registry, so the readers
// accept the same keys and the writer spells values the way they are read. Internal to core/io.

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/arch/parameterregistry.h"
#include "core/io/yamlreader.h"
#include "core/spec/projectspec.h"

namespace phaze {

// The top-level keys of a project file; an architecture file accepts the same.
const std::vector<std::string> &projectFileKeys();

// Reports the keys of the section map `map` (at `path`) that are neither the group's nor in
// `extraKeys`. A key of another group is named with the section it belongs under
// ("link_bandwidth" goes under training:, not under architecture:), others get a did-you-mean.
void checkSectionKeys(YamlReader &r, const YAML::Node &map, const std::string &path,
                      ParamGroup group, const std::vector<std::string> &extraKeys = {});

// The value at `node` in the parameter's shape, checked as the registry says (unit, range,
// power of two, empty lists); nullopt once the problem is reported.
std::optional<ParamValue> readParamValue(YamlReader &r, const YAML::Node &node,
                                         const std::string &path, const ParameterSpec &spec);

// Reads every key of `group` that `map` holds into its field of `target` (the group's struct).
template <typename S>
void readSection(YamlReader &r, const YAML::Node &map, const std::string &path, ParamGroup group,
                 S &target)
{
    for (const ParameterSpec *p : ParameterRegistry::instance().group(group))
        if (const YAML::Node n = map[p->key])
            if (std::optional<ParamValue> v = readParamValue(r, n, path + "." + p->key, *p))
                p->set(target, *v);
}

// The `architecture:` section of a project or an architecture file: a preset name, or a map of
// an optional `preset` (whose values the other keys override) and the registry's architecture
// keys. Without a preset every field starts from AcceleratorConfig's defaults.
std::optional<ArchitectureSpec> readArchitectureSection(YamlReader &r, const YAML::Node &node);

// The `cluster:` section: a cluster preset's name, or a map of an optional `preset` (whose
// values the other keys override) and the registry's cluster keys; without a preset the fields
// start from defaultCluster().
std::optional<ClusterSpec> readClusterSection(YamlReader &r, const YAML::Node &node);

// Writes one value as the project file spells it (the inverse of readParamValue).
void emitParamValue(YAML::Emitter &out, const ParameterSpec &spec, const ParamValue &value);

// Writes `key: value` for every parameter of `group` whose value in `s` passes `keep`.
template <typename S, typename Keep>
void emitSection(YAML::Emitter &out, ParamGroup group, const S &s, Keep keep)
{
    for (const ParameterSpec *p : ParameterRegistry::instance().group(group)) {
        const ParamValue v = p->get(s);
        if (!keep(*p, v))
            continue;
        out << YAML::Key << p->key << YAML::Value;
        emitParamValue(out, *p, v);
    }
}

template <typename S> void emitSection(YAML::Emitter &out, ParamGroup group, const S &s)
{
    emitSection(out, group, s, [](const ParameterSpec &, const ParamValue &) { return true; });
}

// "; presets: tpuv4, ..." for messages about an unknown preset name.
std::string presetList();

} // namespace phaze
