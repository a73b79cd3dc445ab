#include "core/placement/memorymodel.h"

#include <cmath>

namespace phaze {

int MemoryModel::maxInFlight(const StageCost &c) const
{
    // Same comparisons as PHAZE's program, so that boundary cases decide the same way.
    const double constant = constantBytes(c);
    const double stashed = stashedBytes(c);
    if (constant + (m_devices - 1) * stashed <= m_memory)
        return m_devices;
    if (constant > m_memory)
        return 0;
    return 1 + int(std::floor((m_memory - constant) / stashed));
}

long long MemoryModel::maxInFlightUnbounded(const StageCost &c) const
{
    const double constant = constantBytes(c);
    const double stashed = stashedBytes(c);
    if (constant > m_memory)
        return 0;
    if (stashed <= 0.0)
        return kUnbounded;
    const double extra = std::floor((m_memory - constant) / stashed);
    return extra >= double(kUnbounded) ? kUnbounded : 1 + (long long)extra;
}

} // namespace phaze
