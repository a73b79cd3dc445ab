#include "core/io/yamlreader.h"

#include <algorithm>

#include "core/base/textcheck.h"
#include "core/base/units.h"
#include "core/io/documenttext.h"

namespace phaze {

std::string describeNode(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a map";
    case YAML::NodeType::Null:
        return "empty";
    case YAML::NodeType::Scalar:
        return "\"" + node.Scalar() + "\"";
    default:
        return "undefined";
    }
}

std::pair<int, int> locatePath(const YAML::Node &root, const std::string &path)
{
    // Nodes are copied (YAML::Node assignment would rebind the tree), and lookups must not
    // insert: only const access below.
    std::vector<YAML::Node> trail{root};
    const std::string plain = path.substr(0, path.find(' '));
    std::size_t pos = 0;
    while (pos < plain.size()) {
        const std::size_t end = plain.find_first_of(".[", pos);
        const std::string key = plain.substr(pos, end - pos);
        const YAML::Node &cur = trail.back();
        if (!key.empty()) {
            if (!cur.IsMap() || !cur[key])
                return {0, 0};
            trail.push_back(cur[key]);
        }
        if (end == std::string::npos)
            break;
        if (plain[end] == '[') {
            const std::size_t close = plain.find(']', end);
            if (close == std::string::npos)
                return {0, 0};
            const std::string digits = plain.substr(end + 1, close - end - 1);
            if (digits.empty() || digits.size() > 9 ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                return {0, 0};
            const std::size_t index = std::stoul(digits);
            const YAML::Node &list = trail.back();
            if (!list.IsSequence() || index >= list.size())
                return {0, 0};
            trail.push_back(list[index]);
            pos = close + 1;
            if (pos < plain.size() && plain[pos] == '.')
                ++pos;
        } else {
            pos = end + 1;
        }
    }
    const YAML::Mark mark = trail.back().Mark();
    if (mark.line < 0 || mark.pos < 0)
        return {0, 0};
    return {mark.line + 1, mark.column + 1};
}

void YamlReader::error(const YAML::Node &node, const std::string &path, const std::string &message)
{
    const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
    const bool known = mark.line >= 0 && mark.pos >= 0;
    errorAt(known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, path, message);
}

void YamlReader::errorAt(int line, int column, const std::string &path, const std::string &message)
{
    // Messages quote user text: keep them printable, whatever that text held.
    m_diagnostics.push_back(Diagnostic{m_file, line, column, printable(path), printable(message)});
}

bool YamlReader::expectMap(const YAML::Node &node, const std::string &path)
{
    if (node.IsMap())
        return true;
    error(node, path, "expected a map of keys, found " + describeNode(node));
    return false;
}

void YamlReader::checkKeys(const YAML::Node &map, const std::string &path,
                           const std::vector<std::string> &allowed)
{
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar()) {
            error(it->first, path, "keys must be plain names");
            continue;
        }
        const std::string key = it->first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
            continue;
        std::string best;
        int bestDistance = 1 << 30;
        for (const std::string &candidate : allowed) {
            const int d = editDistance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        std::string message = "unknown key \"" + key + "\"";
        if (!best.empty() && bestDistance <= std::max<int>(2, int(key.size()) / 3))
            message += " (did you mean \"" + best + "\"?)";
        error(it->first, path.empty() ? key : path + "." + key, message);
    }
}

bool YamlReader::checkLength(const YAML::Node &list, const std::string &path)
{
    if (list.size() <= kMaxListLength)
        return true;
    error(list, path,
          "a list of " + std::to_string(list.size()) + " values; at most " +
              std::to_string(kMaxListLength) + " are accepted");
    return false;
}

std::optional<std::string> YamlReader::string(const YAML::Node &node, const std::string &path)
{
    if (!node.IsScalar()) {
        error(node, path, "expected text, found " + describeNode(node));
        return std::nullopt;
    }
    // Escapes such as "\x05" or "\u0085" decode to control characters the file did not hold.
    if (const std::string problem = textValueProblem(node.Scalar()); !problem.empty()) {
        error(node, path, problem);
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<bool> YamlReader::boolean(const YAML::Node &node, const std::string &path)
{
    if (node.IsScalar()) {
        bool value = false;
        if (YAML::convert<bool>::decode(node, value))
            return value;
    }
    error(node, path, describeNode(node) + " is not true or false");
    return std::nullopt;
}

std::optional<double> YamlReader::value(const YAML::Node &node, const std::string &path,
                                        const ParameterSpec &spec)
{
    if (!node.IsScalar()) {
        error(node, path,
              "expected " +
                  std::string(spec.dimension == Dimension::Count
                                  ? "a number"
                                  : "a " + std::string(dimensionNoun(spec.dimension))) +
                  ", found " + describeNode(node));
        return std::nullopt;
    }
    const QuantityParse parsed = parseQuantity(node.Scalar(), spec.dimension);
    if (!parsed.ok) {
        error(node, path, parsed.error);
        return std::nullopt;
    }
    const std::string problem = spec.checkValue(parsed.value);
    if (!problem.empty()) {
        error(node, path, "\"" + node.Scalar() + "\" " + problem);
        return std::nullopt;
    }
    return parsed.value;
}

std::optional<std::vector<double>>
YamlReader::valueList(const YAML::Node &node, const std::string &path, const ParameterSpec &spec)
{
    if (node.IsScalar()) {
        auto v = value(node, path, spec);
        return v ? std::optional(std::vector<double>{*v}) : std::nullopt;
    }
    if (!node.IsSequence()) {
        error(node, path, "expected a list, found " + describeNode(node));
        return std::nullopt;
    }
    if (!checkLength(node, path))
        return std::nullopt;
    std::vector<double> out;
    bool ok = true;
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto v = value(node[i], path + "[" + std::to_string(i) + "]", spec);
        if (v)
            out.push_back(*v);
        else
            ok = false;
    }
    if (!ok)
        return std::nullopt;
    return out;
}

std::optional<std::vector<bool>> YamlReader::booleanList(const YAML::Node &node,
                                                         const std::string &path)
{
    if (node.IsScalar()) {
        auto v = boolean(node, path);
        return v ? std::optional(std::vector<bool>{*v}) : std::nullopt;
    }
    if (!node.IsSequence()) {
        error(node, path, "expected a list of true/false, found " + describeNode(node));
        return std::nullopt;
    }
    if (!checkLength(node, path))
        return std::nullopt;
    std::vector<bool> out;
    bool ok = true;
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto v = boolean(node[i], path + "[" + std::to_string(i) + "]");
        if (v)
            out.push_back(*v);
        else
            ok = false;
    }
    if (!ok)
        return std::nullopt;
    return out;
}

std::optional<int> YamlReader::choice(const YAML::Node &node, const std::string &path,
                                      const ParameterSpec &spec)
{
    auto text = string(node, path);
    if (!text)
        return std::nullopt;
    std::string lowered = *text;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (std::size_t i = 0; i < spec.choices.size(); ++i)
        if (spec.choices[i] == lowered)
            return int(i);
    error(node, path, "\"" + *text + "\" is not one of: " + spec.rangeText());
    return std::nullopt;
}

} // namespace phaze
