#pragma once

// Checks an accelerator configuration against the parameter registry's ranges, for
// configurations built in code rather than read from a file (the file readers check each field
// as they read it). Inside the ranges the area and cost models give finite results; outside
// (1e308 Hz, a denormal bandwidth, INT_MAX cores) sums and products overflow or underflow.

#include <string>

#include "core/spec/acceleratorconfig.h"

namespace phaze {

// "" when every field is within its registry range, else the first problem, naming the field
// the way a project file does ("architecture.frequency: 1e+308 Hz must be at most 100 GHz").
std::string checkAcceleratorConfig(const AcceleratorConfig &config);

} // namespace phaze
