#include "core/io/parametersections.h"

#include <algorithm>

#include "core/base/units.h"

namespace phaze {

std::string presetList()
{
    std::string out;
    for (const AcceleratorPreset &p : acceleratorPresets())
        out += (out.empty() ? "; presets: " : ", ") + p.name;
    return out;
}

namespace {

std::optional<ParamValue> readScalar(YamlReader &r, const YAML::Node &node, const std::string &path,
                                     const ParameterSpec &spec)
{
    ParamValue out;
    if (spec.type == ParamType::Choice) {
        const std::optional<int> index = r.choice(node, path, spec);
        if (!index)
            return std::nullopt;
        out.number = *index;
        return out;
    }
    if (spec.type == ParamType::Boolean) {
        const std::optional<bool> on = r.boolean(node, path);
        if (!on)
            return std::nullopt;
        out.number = *on ? 1.0 : 0.0;
        return out;
    }
    if (spec.presetName && node.IsScalar() && findAcceleratorPreset(node.Scalar())) {
        out.preset = node.Scalar();
        return out;
    }
    const std::optional<double> v = r.value(node, path, spec);
    if (!v)
        return std::nullopt;
    out.number = *v;
    return out;
}

std::optional<std::vector<double>> readList(YamlReader &r, const YAML::Node &node,
                                            const std::string &path, const ParameterSpec &spec)
{
    std::optional<std::vector<double>> values;
    if (spec.type == ParamType::Boolean) {
        if (const std::optional<std::vector<bool>> flags = r.booleanList(node, path))
            values = std::vector<double>(flags->begin(), flags->end());
    } else if (spec.type == ParamType::Choice) {
        // A list of choice names ("[none, full]"), or one name.
        std::vector<double> indices;
        bool ok = true;
        if (node.IsSequence()) {
            for (std::size_t i = 0; i < node.size(); ++i) {
                const std::optional<int> index =
                    r.choice(node[i], path + "[" + std::to_string(i) + "]", spec);
                ok = ok && index.has_value();
                if (index)
                    indices.push_back(*index);
            }
        } else if (const std::optional<int> index = r.choice(node, path, spec)) {
            indices.push_back(*index);
        } else {
            ok = false;
        }
        if (ok)
            values = std::move(indices);
    } else {
        values = r.valueList(node, path, spec);
    }
    if (values && values->empty() && !spec.emptyAllowed) {
        r.error(node, path, "the list is empty");
        return std::nullopt;
    }
    return values;
}

// A list, or every power of two in {min: A, max: B}.
std::optional<ValueRange> readRange(YamlReader &r, const YAML::Node &node, const std::string &path,
                                    const ParameterSpec &spec)
{
    if (node.IsMap()) {
        r.checkKeys(node, path, {"min", "max"});
        if (!node["min"] || !node["max"]) {
            r.error(node, path, "a range needs both min and max (powers of two in between)");
            return std::nullopt;
        }
        const std::optional<double> lo = r.value(node["min"], path + ".min", spec);
        const std::optional<double> hi = r.value(node["max"], path + ".max", spec);
        if (!lo || !hi)
            return std::nullopt;
        if (*lo > *hi) {
            r.error(node, path, "min is larger than max");
            return std::nullopt;
        }
        return ValueRange::powersOfTwo(*lo, *hi);
    }
    const std::optional<std::vector<double>> values = readList(r, node, path, spec);
    if (!values)
        return std::nullopt;
    return ValueRange::list(*values);
}

} // namespace

const std::vector<std::string> &projectFileKeys()
{
    static const std::vector<std::string> keys = {
        "phaze_project",      "name",       "description", "models", "architecture",
        "architecture_space", "technology", "training",    "cluster", "strategy", "search"};
    return keys;
}

void checkSectionKeys(YamlReader &r, const YAML::Node &map, const std::string &path,
                      ParamGroup group, const std::vector<std::string> &extraKeys)
{
    const ParameterRegistry &registry = ParameterRegistry::instance();
    std::vector<std::string> allowed = extraKeys;
    for (const ParameterSpec *p : registry.group(group))
        allowed.push_back(p->key);
    std::vector<std::string> reported;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar())
            continue; // checkKeys reports it
        const std::string key = it->first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
            continue;
        for (ParamGroup other : kParamGroups) {
            if (other == group || !registry.find(other, key))
                continue;
            const std::string section(paramGroupName(other));
            std::string message =
                "\"" + key + "\" goes under " + section + ":, not under " + path + ":";
            // It may also be a typo of a key of this section (hbm_size for hbm_sizes).
            const std::string typo = registry.closestKey(group, key);
            if (!typo.empty())
                message += " (or did you mean \"" + typo + "\"?)";
            r.error(it->first, path + "." + key, message);
            reported.push_back(key);
            break;
        }
    }
    allowed.insert(allowed.end(), reported.begin(), reported.end());
    r.checkKeys(map, path, allowed);
}

std::optional<ParamValue> readParamValue(YamlReader &r, const YAML::Node &node,
                                         const std::string &path, const ParameterSpec &spec)
{
    switch (spec.shape) {
    case ParamShape::Scalar:
        return readScalar(r, node, path, spec);
    case ParamShape::List: {
        ParamValue out;
        if (!spec.emptyWord.empty() && node.IsScalar() && node.Scalar() == spec.emptyWord)
            return out;
        std::optional<std::vector<double>> values = readList(r, node, path, spec);
        if (!values)
            return std::nullopt;
        out.list = std::move(*values);
        return out;
    }
    case ParamShape::Range: {
        std::optional<ValueRange> range = readRange(r, node, path, spec);
        if (!range)
            return std::nullopt;
        ParamValue out;
        out.range = std::move(*range);
        return out;
    }
    }
    return std::nullopt;
}

std::optional<ClusterSpec> readClusterSection(YamlReader &r, const YAML::Node &node)
{
    const std::string path = "cluster";
    const auto presetNamed = [&](const YAML::Node &n) -> std::optional<ClusterSpec> {
        const std::optional<std::string> name = r.string(n, path + (node.IsMap() ? ".preset" : ""));
        if (!name)
            return std::nullopt;
        if (const ClusterPreset *p = findClusterPreset(*name))
            return p->cluster;
        std::string known;
        for (const ClusterPreset &p : clusterPresets())
            known += (known.empty() ? "" : ", ") + p.name;
        r.error(n, path, "unknown cluster preset \"" + *name + "\"; presets: " + known);
        return std::nullopt;
    };
    if (node.IsScalar()) // "cluster: dgx-a100"
        return presetNamed(node);
    if (!r.expectMap(node, path))
        return std::nullopt;
    checkSectionKeys(r, node, path, ParamGroup::Cluster, {"preset"});
    ClusterSpec c = defaultCluster();
    c.preset.clear();
    if (const YAML::Node n = node["preset"]) {
        std::optional<ClusterSpec> base = presetNamed(n);
        if (!base)
            return std::nullopt;
        c = *base;
    }
    readSection(r, node, path, ParamGroup::Cluster, c);
    return c;
}

std::optional<ArchitectureSpec> readArchitectureSection(YamlReader &r, const YAML::Node &node)
{
    const std::string path = "architecture";
    ArchitectureSpec a;
    if (node.IsScalar()) { // "architecture: tpuv4"
        a.preset = node.Scalar();
        if (const AcceleratorPreset *p = findAcceleratorPreset(a.preset))
            a.config = p->config;
        else
            r.error(node, path, "unknown preset \"" + a.preset + "\"" + presetList());
        return a;
    }
    if (!r.expectMap(node, path))
        return std::nullopt;
    checkSectionKeys(r, node, path, ParamGroup::Architecture, {"preset"});
    a.preset.clear();
    if (const YAML::Node n = node["preset"]) {
        if (std::optional<std::string> name = r.string(n, path + ".preset")) {
            a.preset = *name;
            if (const AcceleratorPreset *p = findAcceleratorPreset(a.preset))
                a.config = p->config;
            else
                r.error(n, path + ".preset", "unknown preset \"" + a.preset + "\"" + presetList());
        }
    }
    readSection(r, node, path, ParamGroup::Architecture, a.config);
    return a;
}

void emitParamValue(YAML::Emitter &out, const ParameterSpec &spec, const ParamValue &value)
{
    auto one = [&](double v) {
        if (spec.type == ParamType::Boolean) {
            out << (v != 0.0);
        } else if (spec.type == ParamType::Choice) {
            out << spec.choices.at(std::size_t(v));
        } else {
            out << formatQuantity(v, spec.dimension);
        }
    };
    auto many = [&](const std::vector<double> &values) {
        out << YAML::Flow << YAML::BeginSeq;
        for (double v : values)
            one(v);
        out << YAML::EndSeq;
    };
    switch (spec.shape) {
    case ParamShape::Scalar:
        if (spec.presetName && !value.preset.empty())
            out << value.preset;
        else
            one(value.number);
        return;
    case ParamShape::List:
        if (value.list.empty() && !spec.emptyWord.empty())
            out << spec.emptyWord;
        else
            many(value.list);
        return;
    case ParamShape::Range:
        if (value.range.isRange) {
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "min" << YAML::Value
                << formatQuantity(value.range.min, spec.dimension) << YAML::Key << "max"
                << YAML::Value << formatQuantity(value.range.max, spec.dimension) << YAML::EndMap;
        } else {
            many(value.range.values);
        }
        return;
    }
}

} // namespace phaze
