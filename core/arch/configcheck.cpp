#include "core/arch/configcheck.h"

#include <utility>
#include <vector>

#include "core/arch/parameterregistry.h"

namespace phaze {

std::string checkAcceleratorConfig(const AcceleratorConfig &c)
{
    const ParameterRegistry &registry = ParameterRegistry::instance();
    const ParamGroup a = ParamGroup::Architecture;
    const std::vector<std::pair<const ParameterSpec *, double>> fields = {
        {registry.find(a, "num_tc"), double(c.numTc)},
        {registry.find(a, "tc_width"), double(c.tcWidth)},
        {registry.find(a, "tc_depth"), double(c.tcDepth)},
        {registry.find(a, "num_vc"), double(c.numVc)},
        {registry.find(a, "vc_width"), double(c.vcWidth)},
        {registry.find(a, "glb_size"), c.glbBytes},
        {registry.find(a, "hbm_size"), c.hbmBytes},
        {registry.find(a, "hbm_bandwidth"), c.hbmBandwidth},
        {registry.find(a, "frequency"), c.frequency},
        {registry.find(a, "bytes_per_element"), double(c.bytesPerElement)},
        {registry.find(ParamGroup::Training, "link_bandwidth"), c.linkBandwidth},
    };
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
