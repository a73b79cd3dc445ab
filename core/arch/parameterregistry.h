#pragma once

// The one declaration of every architecture, training and search parameter (conventions.md
// rule 4): name, unit, description, range and default. The project-file validator, `phaze
// params` and the editor panels all read this table.

#include <string>
#include <string_view>
#include <vector>

#include "core/base/units.h"

namespace phaze {

enum class ParamGroup { Architecture, Space, Training, Search };
enum class ParamType { Integer, Real, Boolean, Choice };

std::string_view paramGroupName(ParamGroup group); // "architecture", "architecture_space", ...

struct ParameterSpec {
    std::string key; // YAML key, e.g. "hbm_sizes"
    ParamGroup group = ParamGroup::Architecture;
    ParamType type = ParamType::Real;
    Dimension dimension = Dimension::Count;
    bool list = false;       // a list of values (one per search alternative)
    bool powerOfTwo = false; // values must be powers of two
    double min = 0.0;        // SI, inclusive
    double defaultValue = 0.0;
    double max = 0.0;
    std::vector<std::string> choices; // ParamType::Choice
    std::string defaultText;          // how the default reads in a project file
    std::string description;

    // "" when value is acceptable, otherwise why not ("must be at least 1 B", ...).
    std::string checkValue(double value) const;
    // Human text of the range, e.g. "1 .. 4096, power of two" or "1 MiB .. 64 GiB".
    std::string rangeText() const;
    std::string unitText() const; // "GiB" style unit hint, "" for plain numbers
};

class ParameterRegistry
{
public:
    static const ParameterRegistry &instance();

    const std::vector<ParameterSpec> &all() const { return m_parameters; }
    std::vector<const ParameterSpec *> group(ParamGroup group) const;
    const ParameterSpec *find(ParamGroup group, std::string_view key) const;
    // The known key closest to `key` in `group` (for "did you mean ...?"), or "".
    std::string closestKey(ParamGroup group, std::string_view key) const;

    std::string toText() const;     // `phaze params`
    std::string toMarkdown() const; // `phaze params --markdown`

private:
    ParameterRegistry();
    std::vector<ParameterSpec> m_parameters;
};

// Levenshtein distance, used for suggestions on misspelt keys and names.
int editDistance(std::string_view a, std::string_view b);

} // namespace phaze
