#include "core/io/modelloader.h"

#include <filesystem>
#include <optional>

#include "core/io/documenttext.h"
#include "core/io/huggingfaceconfig.h"
#include "core/io/operatorgraphjson.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"

namespace phaze {

Result<ModelGraph> loadModel(const ModelRef &ref, const GraphBuildOptions &options,
                             const std::string &baseDir)
{
    using R = Result<ModelGraph>;
    GraphBuildOptions opts = options;
    if (ref.sequence > 0)
        opts.sequence = ref.sequence;
    if (!ref.zoo.empty() || ref.transformer) {
        const TransformerSpec *spec = transformerOf(ref);
        if (!spec)
            return R::error(
                Diagnostics{Diagnostic{{}, 0, 0, "", "unknown model \"" + ref.zoo + "\""}});
        Result<ModelGraph> built = buildTransformer(*spec, opts);
        if (!built.hasValue())
            return R::error(Diagnostics{Diagnostic{{}, 0, 0, ref.label(), built.message}});
        return R::optimal(std::move(*built.value));
    }
    const std::filesystem::path path = std::filesystem::path(baseDir) / ref.file;
    R imported = importOperatorGraphFile(path.string(), opts.fusion);
    if (imported.hasValue() && options.tensorParallel != 1 &&
        imported.value->options.tensorParallel != options.tensorParallel)
        return R::error(Diagnostics{Diagnostic{
            path.string(), 0, 0, "tensor_parallel",
            "an imported graph is fixed to tensor-parallel width " +
                std::to_string(imported.value->options.tensorParallel) +
                "; it cannot be re-sliced to " + std::to_string(options.tensorParallel)}});
    return imported;
}

Result<ModelGraph> loadModelByName(const std::string &nameOrFile, const GraphBuildOptions &options)
{
    ModelRef ref;
    // A Hugging Face config: a file called config.json (its own reader then reports what is
    // wrong with it, even a syntax error), or a small JSON object with a model_type string.
    std::error_code missing; // a name too long for the file system must not throw
    const bool namedConfig = std::filesystem::path(nameOrFile).filename() == "config.json" &&
                             std::filesystem::exists(nameOrFile, missing);
    // Operator graphs can be large: only a small file is sniffed for a model_type.
    const std::optional<std::string> text = readFileText(nameOrFile, 1 << 20);
    if (namedConfig ||
        (text && looksLikeHuggingFaceConfig(*text))) {
        // Its training sequence is not in it.
        using R = Result<ModelGraph>;
        if (options.sequence < 1)
            return R::error(Diagnostics{Diagnostic{
                nameOrFile, 0, 0, "", "a Hugging Face config does not say the training sequence "
                                      "length; give it (--seq S)"}});
        Result<TransformerSpec> spec =
            text ? parseHuggingFaceConfig(*text, nameOrFile, huggingFaceModelName(nameOrFile))
                 : loadHuggingFaceConfig(nameOrFile, huggingFaceModelName(nameOrFile));
        if (!spec.ok())
            return R::error(std::move(spec.diagnostics));
        ref.transformer = std::move(*spec.value);
        return loadModel(ref, options);
    }
    const bool looksLikeFile =
        nameOrFile.size() > 5 && nameOrFile.substr(nameOrFile.size() - 5) == ".json";
    std::error_code ec; // without it, a name too long for the file system throws
    if (looksLikeFile || (!findZooModel(nameOrFile) && std::filesystem::exists(nameOrFile, ec)))
        ref.file = nameOrFile;
    else
        ref.zoo = nameOrFile;
    return loadModel(ref, options);
}

std::vector<int> tensorParallelWidthsFor(const ModelRef &ref, const TrainingSpec &training)
{
    if (!training.tensorParallelWidths.empty())
        return training.tensorParallelWidths;
    if (const TransformerSpec *spec = transformerOf(ref))
        return spec->tensorParallelWidths;
    return {1};
}

} // namespace phaze
