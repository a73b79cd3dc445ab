#pragma once

// The one declaration of every architecture, training and search parameter (conventions.md
// rule 4): key, group, unit, description, range, the shape of its value and the spec-struct
// field it binds to. Its default is read through that binding from a default-constructed struct
// (AcceleratorConfig, ArchSpaceSpec, TrainingSpec, SearchSpec), so the default a project gets,
// the one `phaze params`, docs/parameters.md and the editor show, and the struct's are the same
// value. The project and architecture readers, the project writer, the configuration check,
// `phaze params` and the editor panels all iterate this table.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/base/units.h"
#include "core/spec/projectspec.h"

namespace phaze {

enum class ParamGroup { Architecture, Space, Training, Cluster, Strategy, Search };
enum class ParamType { Integer, Real, Boolean, Choice };
// How a value is written: one value, a list of values (search alternatives), or for the
// architecture space either a list or all powers of two in {min, max}.
enum class ParamShape { Scalar, List, Range };

inline constexpr ParamGroup kParamGroups[] = {ParamGroup::Architecture, ParamGroup::Space,
                                              ParamGroup::Training,     ParamGroup::Cluster,
                                              ParamGroup::Strategy,     ParamGroup::Search};

std::string_view paramGroupName(ParamGroup group); // "architecture", "architecture_space", ...
// The group whose section a project file names `name`, if any.
std::optional<ParamGroup> paramGroupFromName(std::string_view name);

// One parameter's value in the shape its field holds. Booleans are 0 or 1, choices the index.
struct ParamValue {
    double number = 0.0;      // ParamShape::Scalar
    std::vector<double> list; // ParamShape::List
    ValueRange range;         // ParamShape::Range
    std::string preset;       // a Scalar given as a preset name (area_budget), else ""
    bool operator==(const ParamValue &) const = default;
};

// Reads and writes one field of the struct S (the struct of the parameter's group).
template <typename S> struct FieldBinding {
    ParamValue (*get)(const S &) = nullptr;
    void (*set)(S &, const ParamValue &) = nullptr;
};

using ParamBinding =
    std::variant<std::monostate, FieldBinding<AcceleratorConfig>, FieldBinding<ArchSpaceSpec>,
                 FieldBinding<TrainingSpec>, FieldBinding<ClusterSpec>,
                 FieldBinding<StrategySpec>, FieldBinding<SearchSpec>>;

// Which model profile reads a parameter: a project file may give it only under that profile
// (a setting the profile would ignore is refused), and the workbench shows it only there.
enum class ProfileScope { Both, Phaze, System };

struct ParameterSpec {
    std::string key; // YAML key, e.g. "hbm_sizes"
    ParamGroup group = ParamGroup::Architecture;
    ParamType type = ParamType::Real;
    ParamShape shape = ParamShape::Scalar;
    Dimension dimension = Dimension::Count;
    bool list = false;         // shape is List or Range (one value per search alternative)
    bool powerOfTwo = false;   // values must be powers of two
    bool emptyAllowed = false; // a List may be empty
    std::string emptyWord;     // how an empty List is written ("tied"); "" writes []
    bool presetName = false;   // a Scalar may be given as a preset's name (area_budget)
    double min = 0.0;          // SI, inclusive
    double defaultValue = 0.0; // a Scalar's default (0 for lists)
    double max = 0.0;
    std::vector<std::string> choices; // ParamType::Choice
    std::string defaultText;          // how the default reads in a project file
    std::string description;
    ParamBinding binding; // the field; std::monostate only for specs built outside the registry
    ProfileScope scope = ProfileScope::Both;
    // Whether a project under this profile reads the parameter.
    bool appliesTo(bool systemProfile) const
    {
        return scope == ProfileScope::Both || (scope == ProfileScope::System) == systemProfile;
    }

    // "" when value is acceptable, otherwise why not ("must be at least 1 B", ...).
    std::string checkValue(double value) const;
    // Human text of the range, e.g. "1 .. 4096, power of two" or "1 MiB .. 64 GiB".
    std::string rangeText() const;
    std::string unitText() const; // "GiB" style unit hint, "" for plain numbers
    // A value as a project file writes it: "32 GiB", "[1, 2, 4]", "{min: 1, max: 64}", "tied".
    std::string valueText(const ParamValue &value) const;

    // The bound field of `s`, which must be the struct of this parameter's group (another
    // struct gives ParamValue{}: a test checks every binding).
    template <typename S> ParamValue get(const S &s) const
    {
        const auto *b = std::get_if<FieldBinding<S>>(&binding);
        return b ? b->get(s) : ParamValue{};
    }
    // Stores `value` (in this parameter's shape, already checked) in the bound field of `s`.
    // False when `s` is not the struct of this parameter's group.
    template <typename S> bool set(S &s, const ParamValue &value) const
    {
        const auto *b = std::get_if<FieldBinding<S>>(&binding);
        if (!b)
            return false;
        b->set(s, value);
        return true;
    }
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
    std::string toMarkdown() const; // `phaze params --markdown`, committed as docs/parameters.md

private:
    ParameterRegistry();
    std::vector<ParameterSpec> m_parameters;
};

// Levenshtein distance, used for suggestions on misspelt keys and names.
int editDistance(std::string_view a, std::string_view b);

} // namespace phaze
