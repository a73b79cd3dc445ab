#pragma once

// Values of registry parameters for tests (header-only): shared by the registry's own tests and
// the tests of the project and architecture files that read its sections.

#include "core/arch/parameterregistry.h"

namespace testsupport {

// A value of the parameter's shape that differs from its default, inside its range, as a project
// file writes it: the other truth value, or the largest value (for a choice the last one), or
// the smallest when the default is the largest; a list of the smallest and that value; the range of powers of two
// between the bounds, or the two bounds when that range is the default.
inline phaze::ParamValue otherValue(const phaze::ParameterSpec &p)
{
    using namespace phaze;
    ParamValue v;
    const double value = p.type == ParamType::Boolean  ? 1.0 - p.defaultValue
                         : p.defaultValue == p.max ? p.min
                                                   : p.max;
    switch (p.shape) {
    case ParamShape::Scalar:
        v.number = value;
        break;
    case ParamShape::List:
        v.list = {p.type == ParamType::Boolean ? 1.0 : p.min, value};
        break;
    case ParamShape::Range:
        v.range = ValueRange::powersOfTwo(p.min, p.max);
        if (p.defaultText == p.valueText(v)) // the default is the whole range
            v.range = ValueRange::list({p.min, p.max});
        break;
    }
    return v;
}

} // namespace testsupport
