#include "core/arch/configcheck.h"

#include <utility>
#include <vector>

#include "core/arch/parameterregistry.h"

namespace phaze {

std::string checkAcceleratorConfig(const AcceleratorConfig &c)
{
    const ParameterRegistry &registry = ParameterRegistry::instance();
    // Every architecture parameter through its binding, and the link bandwidth the config
    // carries for the cluster (a training setting).
    std::vector<std::pair<const ParameterSpec *, double>> fields;
    for (const ParameterSpec *spec : registry.group(ParamGroup::Architecture))
        fields.emplace_back(spec, spec->get(c).number);
    fields.emplace_back(registry.find(ParamGroup::Training, "link_bandwidth"), c.linkBandwidth);
    for (const auto &[spec, value] : fields) {
        if (const std::string problem = spec->checkValue(value); !problem.empty()) {
            // In the base unit: formatQuantity would spell 1e308 out digit by digit.
            const std::string unit(baseUnit(spec->dimension));
            return std::string(paramGroupName(spec->group)) + "." + spec->key + ": " +
                   shortestNumber(value) + (unit.empty() ? "" : " " + unit) + " " + problem;
        }
    }
    return {};
}

} // namespace phaze
