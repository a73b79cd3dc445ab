#include "core/spec/projectspec.h"

#include <cmath>

namespace phaze {

std::vector<double> ValueRange::expand() const
{
    if (!isRange)
        return values;
    std::vector<double> out;
    if (!(min > 0.0) || !(max >= min) || !std::isfinite(max))
        return out;
    // Powers of two from the first one >= min; the count is bounded by the double exponent range.
    double v = std::exp2(std::ceil(std::log2(min)));
    for (; v <= max && out.size() < 2100; v *= 2.0)
        out.push_back(v);
    return out;
}

} // namespace phaze
