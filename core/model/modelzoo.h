#pragma once

// The built-in model zoo: the eight models PHAZE evaluated (models.md).

#include <string_view>
#include <vector>

#include "core/model/transformerspec.h"

namespace phaze {

const std::vector<TransformerSpec> &modelZoo();
const TransformerSpec *findZooModel(std::string_view key); // nullptr when unknown

} // namespace phaze
