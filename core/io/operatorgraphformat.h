#pragma once

// Constants of the operator-graph JSON format (docs/operator-graph-format.md) shared by its
// importer and its exporter, so that what one writes the other reads.

#include <cstdint>

#include "core/model/operator.h"

namespace phaze {

inline constexpr const char *kOperatorGraphFormatName = "phaze-operator-graph";
inline constexpr int kOperatorGraphFormatVersion = 1;
inline constexpr std::int64_t kOperatorGraphMaxGroup = std::int64_t(1) << 20;
// The limits of operatorgraphjson.h as diagnostics word them.
inline constexpr const char *kOperatorGraphBytesLimitText = "1e18 bytes";
inline constexpr const char *kOperatorGraphElementsLimitText = "2^53";

// Only these kinds carry a "group" field.
inline bool operatorGraphTakesGroup(OpKind kind)
{
    return kind == OpKind::AllReduce || kind == OpKind::TpIdentity;
}

} // namespace phaze
