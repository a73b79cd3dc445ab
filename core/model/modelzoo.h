#pragma once

// The built-in model zoo: the eight models PHAZE evaluated (models.md) and today's dense and
// mixture-of-experts models (Llama 3, Mixtral, Qwen3).

#include <string_view>
#include <vector>

#include "core/spec/projectspec.h"
#include "core/spec/transformerspec.h"

namespace phaze {

const std::vector<TransformerSpec> &modelZoo();
const TransformerSpec *findZooModel(std::string_view key); // nullptr when unknown
// The transformer a project's model names: its parametric spec, or its zoo entry; nullptr for
// an imported operator graph or an unknown key.
const TransformerSpec *transformerOf(const ModelRef &ref);

} // namespace phaze
