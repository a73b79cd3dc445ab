#include "core/io/projectprepare.h"

#include <algorithm>

#include "core/io/modelloader.h"
#include "core/io/technologyfile.h"
#include "core/model/modelzoo.h"

namespace phaze {

namespace {

// A diagnostic without a file is about the project itself: its message alone.
std::string lineOf(const Diagnostic &d)
{
    return d.file.empty() ? (d.path.empty() ? "" : d.path + ": ") + d.message : d.format();
}

using Prepared = Result<std::shared_ptr<const PreparedProject>>;

// The error as the search reports it: "graphs/x.json: graphs/x.json:3:5: ..." for a model that
// did not build (failedModel its label), every diagnostic otherwise.
Prepared failure(Diagnostics errors, const std::string &failedModel = {})
{
    std::string message;
    if (!failedModel.empty()) {
        message = failedModel + ": " + lineOf(errors.front());
    } else {
        for (const Diagnostic &d : errors)
            message += (message.empty() ? "" : "\n") + lineOf(d);
    }
    return Prepared::error(std::move(errors), std::move(message));
}

} // namespace

Result<ModelGraph> buildModelVariant(const ProjectSpec &spec, const ModelRef &ref, int microbatch,
                                     int width, const std::string &baseDir)
{
    GraphBuildOptions options;
    options.microbatch = microbatch;
    options.tensorParallel = ref.file.empty() ? width : 1;
    options.fusion = spec.search.fusion;
    return loadModel(ref, options, baseDir);
}

Prepared prepareProject(const ProjectSpec &spec, const std::string &baseDir)
{
    const Result<TechnologyTable> tech = resolveProjectTechnology(spec, baseDir);
    if (!tech.hasValue()) {
        Diagnostics errors = tech.diagnostics;
        if (errors.empty())
            errors.push_back({spec.technology, 0, 0, "", "cannot load the technology table"});
        return failure(std::move(errors));
    }
    auto prepared = std::make_shared<PreparedProject>();
    prepared->spec = spec;
    prepared->baseDir = baseDir;
    prepared->technology = *tech.value;
    const TrainingSpec &t = spec.training;
    for (const ModelRef &ref : spec.models) {
        PreparedModel model;
        model.label = ref.label();
        const std::vector<int> widths = tensorParallelWidthsFor(ref, t);
        for (int b : t.microbatchSizes) {
            for (int width : widths) {
                Result<ModelGraph> load = buildModelVariant(spec, ref, b, width, baseDir);
                if (!load.hasValue()) {
                    Diagnostics errors = std::move(load.diagnostics);
                    if (errors.empty())
                        errors.push_back({"", 0, 0, "", "cannot build the model"});
                    return failure(std::move(errors), ref.label());
                }
                model.variants.push_back({b, ref.file.empty() ? width : 1, std::move(*load.value)});
                if (!ref.file.empty())
                    break; // an imported graph has one width and no microbatch dimension
            }
        }
        if (const TransformerSpec *zoo = transformerOf(ref); zoo && !ref.transformer) {
            const MegatronBaseline &f = zoo->fixedStrategy;
            if (std::find(widths.begin(), widths.end(), f.tensor) != widths.end())
                model.fixed = FixedStrategy{f.pipeline, f.tensor, f.data, zoo->layers};
        }
        prepared->models.push_back(std::move(model));
    }
    if (prepared->models.empty())
        return failure(Diagnostics{Diagnostic{"", 0, 0, "", "the project has no models"}});
    return Prepared::optimal(std::move(prepared));
}

Result<std::shared_ptr<const Evaluator>> evaluatorFor(const ProjectSpec &spec,
                                                      const std::string &baseDir)
{
    using R = Result<std::shared_ptr<const Evaluator>>;
    Prepared load = prepareProject(spec, baseDir);
    if (!load.hasValue())
        return R::error(std::move(load.diagnostics), std::move(load.message));
    return R::optimal(std::make_shared<const Evaluator>(std::move(*load.value)));
}

} // namespace phaze
