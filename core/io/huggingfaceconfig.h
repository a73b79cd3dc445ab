#pragma once

// Hugging Face `config.json` as a model source (docs/models.md, "Hugging Face configs"): the
// dense decoder families the transformer builder represents exactly (llama, mistral, gpt2) are
// read into a TransformerSpec; anything it cannot represent (mixture of experts, latent
// attention, a separate head width, partial biases, sliding windows, another model_type) is
// refused with a located error that names the field, never approximated.

#include <string>

#include "core/base/status.h"
#include "core/spec/transformerspec.h"

namespace phaze {

// `name` becomes the spec's key. The training sequence is not the config's: the spec's
// sequence is 0 and a project or the command line gives it (max_position_embeddings is only
// the longest the model supports; it bounds learned positions).
Result<TransformerSpec> parseHuggingFaceConfig(const std::string &jsonText,
                                               const std::string &fileName,
                                               const std::string &name);
Result<TransformerSpec> loadHuggingFaceConfig(const std::string &path, const std::string &name);

// True when the text is a JSON object with a "model_type" string (what every Hugging Face
// config has and no operator-graph file does).
bool looksLikeHuggingFaceConfig(const std::string &jsonText);

// The model's key when a project does not name it: the directory of a file called config.json
// ("llama3-8b/config.json" -> "llama3-8b"), else the file's stem.
std::string huggingFaceModelName(const std::string &path);

// A config.json that reads back to the same spec (llama for RMSNorm + SwiGLU models, gpt2 for
// LayerNorm + GELU ones); Error for a spec no supported model_type describes.
Result<std::string> huggingFaceConfigText(const TransformerSpec &spec);

} // namespace phaze
