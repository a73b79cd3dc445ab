#pragma once

// A parametric transformer in YAML, the same keys in project files (`models: [{transformer:
// {...}}]`) and validation files (`models: {NAME: {...}}`): layers, hidden, heads, ffn, sequence,
// vocabulary, and optionally kv_heads, activation (gelu | swiglu), norm (layernorm | rmsnorm),
// tied_embeddings. GPT-like by default (learned positions, biases, dropout); rmsnorm makes it
// Llama-like (rotary positions, no biases, no dropout). Internal to core/io.

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/io/yamlreader.h"
#include "core/spec/transformerspec.h"

namespace phaze {

// The keys a transformer map accepts.
const std::vector<std::string> &transformerKeys();

// Reads the map at `node` (its keys already checked by the caller, who may allow more) into a
// spec named `name`; nullopt once a problem is reported.
std::optional<TransformerSpec> readTransformer(YamlReader &r, const YAML::Node &node,
                                               const std::string &path, const std::string &name);

// Writes the map readTransformer reads (only what differs from the defaults it starts from).
void emitTransformer(YAML::Emitter &out, const TransformerSpec &spec);

} // namespace phaze
