#include "core/io/modelloader.h"

#include <filesystem>

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
