#pragma once

// Diagnostic-collecting access to a parsed YAML document: every read names the file, the
// YAML path and the line/column of the node when something is wrong, and reading continues so
// that one pass reports every error. Internal to core/io.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/arch/parameterregistry.h"
#include "core/base/diagnostic.h"

namespace phaze {

class YamlReader
{
public:
    // The longest list a parameter accepts: lists multiply into candidates and knob
    // combinations, and no real search needs more alternatives of one parameter.
    static constexpr std::size_t kMaxListLength = 1024;

    YamlReader(std::string file, Diagnostics &diagnostics)
        : m_file(std::move(file)), m_diagnostics(diagnostics)
    {
    }

    void error(const YAML::Node &node, const std::string &path, const std::string &message);
    void errorAt(int line, int column, const std::string &path, const std::string &message);

    // Reports keys of `map` that are not in `allowed`, with a suggestion for likely typos.
    void checkKeys(const YAML::Node &map, const std::string &path,
                   const std::vector<std::string> &allowed);
    bool expectMap(const YAML::Node &node, const std::string &path);

    std::optional<std::string> string(const YAML::Node &node, const std::string &path);
    std::optional<bool> boolean(const YAML::Node &node, const std::string &path);
    // A registry parameter's value: unit parsed, range and integrality checked.
    std::optional<double> value(const YAML::Node &node, const std::string &path,
                                const ParameterSpec &spec);
    // A list parameter; a single scalar is accepted as a one-element list.
    std::optional<std::vector<double>> valueList(const YAML::Node &node, const std::string &path,
                                                 const ParameterSpec &spec);
    std::optional<std::vector<bool>> booleanList(const YAML::Node &node, const std::string &path);
    // Index of the value in spec.choices.
    std::optional<int> choice(const YAML::Node &node, const std::string &path,
                              const ParameterSpec &spec);

    const std::string &file() const { return m_file; }

private:
    bool checkLength(const YAML::Node &list, const std::string &path);

    std::string m_file;
    Diagnostics &m_diagnostics;
};

std::string describeNode(const YAML::Node &node); // "a list", "a map", "\"text\""

// Where the node at a diagnostic path ("training.microbatch_sizes[1]", "models[0] (detail)")
// is: 1-based line and column, or {0, 0} when the path does not lead to a node. For checks made
// after parsing, on plain specs, which report paths without positions.
std::pair<int, int> locatePath(const YAML::Node &root, const std::string &path);

} // namespace phaze
