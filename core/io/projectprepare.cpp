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

} // namespace

std::string PreparedLoad::message() const
{
    if (errors.empty())
        return project ? std::string() : "cannot prepare the project";
    if (!failedModel.empty())
        return failedModel + ": " + lineOf(errors.front());
    std::string out;
    for (const Diagnostic &d : errors)
        out += (out.empty() ? "" : "\n") + lineOf(d);
    return out;
}

ModelLoad buildModelVariant(const ProjectSpec &spec, const ModelRef &ref, int microbatch,
                            int width, const std::string &baseDir)
{
    GraphBuildOptions options;
    options.microbatch = microbatch;
    options.tensorParallel = ref.file.empty() ? width : 1;
    options.fusion = spec.search.fusion;
    return loadModel(ref, options, baseDir);
}

PreparedLoad prepareProject(const ProjectSpec &spec, const std::string &baseDir)
{
    PreparedLoad out;
    const TechnologyLoad tech = resolveTechnology(spec.technology, baseDir);
    if (!tech.table) {
        out.errors = tech.errors;
        if (out.errors.empty())
            out.errors.push_back({spec.technology, 0, 0, "", "cannot load the technology table"});
        return out;
    }
    auto prepared = std::make_shared<PreparedProject>();
    prepared->spec = spec;
    prepared->baseDir = baseDir;
    prepared->technology = *tech.table;
    const TrainingSpec &t = spec.training;
    for (const ModelRef &ref : spec.models) {
        PreparedModel model;
        model.label = ref.label();
        const std::vector<int> widths = tensorParallelWidthsFor(ref, t);
        for (int b : t.microbatchSizes) {
            for (int width : widths) {
                ModelLoad load = buildModelVariant(spec, ref, b, width, baseDir);
                if (!load.graph) {
                    out.failedModel = ref.label();
                    out.errors = std::move(load.errors);
                    if (out.errors.empty())
                        out.errors.push_back({"", 0, 0, "", "cannot build the model"});
                    return out;
                }
                model.variants.push_back({b, ref.file.empty() ? width : 1, std::move(*load.graph)});
                if (!ref.file.empty())
                    break; // an imported graph has one width and no microbatch dimension
            }
        }
        if (const TransformerSpec *zoo = findZooModel(ref.zoo)) {
            const MegatronBaseline &f = zoo->fixedStrategy;
            if (std::find(widths.begin(), widths.end(), f.tensor) != widths.end())
                model.fixed = FixedStrategy{f.pipeline, f.tensor, f.data, zoo->layers};
        }
        prepared->models.push_back(std::move(model));
    }
    if (prepared->models.empty()) {
        out.errors.push_back({"", 0, 0, "", "the project has no models"});
        return out;
    }
    out.project = std::move(prepared);
    return out;
}

Result<std::shared_ptr<const Evaluator>> evaluatorFor(const ProjectSpec &spec,
                                                      const std::string &baseDir)
{
    using R = Result<std::shared_ptr<const Evaluator>>;
    PreparedLoad load = prepareProject(spec, baseDir);
    if (!load.project)
        return R::error(load.message());
    return R::optimal(std::make_shared<const Evaluator>(std::move(load.project)));
}

} // namespace phaze
