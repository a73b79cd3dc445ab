#include "core/io/projectsweep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/base/csvtext.h"
#include "core/base/units.h"
#include "core/io/jsontext.h"
#include "core/io/projectedit.h"
#include "core/io/projectsearch.h"

namespace phaze {
namespace {

// The parameter's value in the project, in its shape (ParamValue{} when the section is absent).
ParamValue valueIn(const ProjectSpec &project, const ParameterSpec &spec)
{
    switch (spec.group) {
    case ParamGroup::Architecture:
        return project.architecture ? spec.get(project.architecture->config) : ParamValue{};
    case ParamGroup::Space:
        return project.space ? spec.get(*project.space) : ParamValue{};
    case ParamGroup::Training:
        return spec.get(project.training);
    case ParamGroup::Cluster:
        return spec.get(project.cluster);
    case ParamGroup::Strategy:
        return spec.get(project.strategy);
    case ParamGroup::Search:
        return spec.get(project.search);
    }
    return {};
}

// The SI number a point is plotted at: a scalar's value, a list's first element.
double numberOf(const ParameterSpec &spec, const ParamValue &value)
{
    if (spec.shape == ParamShape::Scalar)
        return value.number;
    return value.list.empty() ? 0.0 : value.list.front();
}

std::string layoutText(const ModelOutcome &m)
{
    std::ostringstream out;
    out << "t " << m.tensorParallel << " p " << m.pipelineStages << " d " << m.dataParallel
        << " mb " << m.microbatch;
    return out.str();
}

// The project a design is swept in: its architecture, and the HBM size it was found at as the
// only one (a search result is one architecture at one HBM size), unless the sweep varies it.
ProjectSpec designProject(const ProjectSpec &project, const SweepDesign &design,
                          const ParameterSpec &swept)
{
    ProjectSpec out = project;
    out.architecture = design.architecture;
    const bool sweepsHbmSizes = swept.group == ParamGroup::Training && swept.key == "hbm_sizes";
    if (!sweepsHbmSizes && design.architecture.config.hbmBytes > 0)
        out.training.hbmSizes = {design.architecture.config.hbmBytes};
    return out;
}

} // namespace

std::vector<const ParameterSpec *> sweepableParameters(bool systemProfile)
{
    std::vector<const ParameterSpec *> out;
    for (const ParameterSpec &spec : ParameterRegistry::instance().all()) {
        if (!spec.appliesTo(systemProfile))
            continue;
        if (spec.type != ParamType::Integer && spec.type != ParamType::Real)
            continue;
        const bool scalar = spec.shape == ParamShape::Scalar;
        // A strategy list fixes its choice to one value per point; hbm_sizes likewise.
        const bool oneOfList = spec.shape == ParamShape::List &&
                               (spec.group == ParamGroup::Strategy || spec.key == "hbm_sizes");
        const bool section =
            spec.group == ParamGroup::Training || spec.group == ParamGroup::Architecture ||
            (systemProfile &&
             (spec.group == ParamGroup::Cluster || spec.group == ParamGroup::Strategy));
        if (section && (scalar || oneOfList))
            out.push_back(&spec);
    }
    return out;
}

std::vector<std::string> suggestedSweepValues(const ProjectSpec &project, const ParameterSpec &spec)
{
    const bool absent = (spec.group == ParamGroup::Architecture && !project.architecture) ||
                        (spec.group == ParamGroup::Space && !project.space);
    return suggestedSweepValues(spec, absent ? 0.0 : numberOf(spec, valueIn(project, spec)));
}

std::vector<std::string> splitSweepValues(std::string_view text)
{
    std::vector<std::string> out;
    std::string item;
    int depth = 0;
    const auto flush = [&] {
        const auto first = item.find_first_not_of(" \t");
        const auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos)
            out.push_back(item.substr(first, last - first + 1));
        item.clear();
    };
    for (char c : text) {
        if (c == '[' || c == '{')
            ++depth;
        if (c == ']' || c == '}')
            --depth;
        if (c == ',' && depth == 0)
            flush();
        else
            item += c;
    }
    flush();
    return out;
}

bool SweepResult::anyFeasible() const
{
    for (const SweepCurve &c : curves)
        for (const SweepPoint &p : c.points)
            if (p.feasible)
                return true;
    return false;
}

std::vector<std::string> suggestedSweepValues(const ParameterSpec &spec, double current)
{
    std::vector<double> values;
    if (!(current > 0.0))
        current = std::max(spec.min, spec.type == ParamType::Integer ? 1.0 : spec.defaultValue);
    if (spec.type == ParamType::Integer) {
        // Powers of two around the current value (itself included when it is one).
        const double base = std::exp2(std::round(std::log2(std::max(current, 1.0))));
        for (double f : {0.25, 0.5, 1.0, 2.0, 4.0})
            values.push_back(std::round(base * f));
    } else {
        for (double f : {0.25, 0.5, 1.0, 2.0, 4.0})
            values.push_back(current * f);
    }
    std::vector<std::string> out;
    double last = -1.0;
    for (double v : values) {
        if (v < spec.min || v > spec.max || v == last || !spec.checkValue(v).empty())
            continue;
        last = v;
        out.push_back(formatQuantity(v, spec.dimension));
    }
    return out;
}

Result<SweepResult> runSweep(const ProjectSpec &project, const std::string &baseDir,
                             const SweepRequest &request, ProgressSink progress, CancelToken cancel)
{
    using R = Result<SweepResult>;
    const std::string parameter = request.section + "." + request.key;
    const std::optional<ParamGroup> group = paramGroupFromName(request.section);
    const ParameterSpec *spec =
        group ? ParameterRegistry::instance().find(*group, request.key) : nullptr;
    const bool system = project.training.profile == ModelProfile::System;
    const std::vector<const ParameterSpec *> sweepable = sweepableParameters(system);
    if (!spec || std::find(sweepable.begin(), sweepable.end(), spec) == sweepable.end())
        return R::error(parameter + ": not a parameter a sweep can vary under the " +
                        (system ? "system" : "phaze") +
                        " profile (a number of training:, architecture:" +
                        (system ? ", cluster: or strategy:" : "") + ")");
    if (request.values.empty())
        return R::error(parameter + ": no values to sweep");
    std::vector<SweepDesign> designs = request.designs;
    if (designs.empty()) {
        if (!project.architecture)
            return R::error("architecture: the project has no architecture to sweep (name "
                            "designs, or give the project an architecture)");
        designs.push_back({project.architecture->preset.empty() ? std::string("architecture")
                                                                : project.architecture->preset,
                           *project.architecture});
    }

    // Every (design, value) project first: a bad value is refused before any evaluation.
    struct Point {
        ProjectSpec project;
        double x = 0.0;
    };
    std::vector<std::vector<Point>> points(designs.size());
    for (std::size_t d = 0; d < designs.size(); ++d) {
        const ProjectSpec base = designProject(project, designs[d], *spec);
        for (std::size_t v = 0; v < request.values.size(); ++v) {
            std::string text = request.values[v];
            if (spec->shape == ParamShape::List && text.find('[') == std::string::npos)
                text = "[" + text + "]";
            Result<ProjectSpec> edited =
                editProjectField(base, request.section, request.key, text, baseDir);
            if (!edited.value) {
                // The field's own path and message (the edit's text has no file to name).
                std::string why;
                for (const Diagnostic &d : edited.diagnostics)
                    why += (why.empty() ? "" : "; ") +
                           (d.path.empty() ? d.message : d.path + ": " + d.message);
                return R::error("value " + std::to_string(v + 1) + " (\"" + request.values[v] +
                                "\") of " + parameter + ": " + why);
            }
            const double x = numberOf(*spec, valueIn(*edited.value, *spec));
            points[d].push_back({std::move(*edited.value), x});
        }
    }

    SweepResult out;
    out.parameter = parameter;
    out.dimension = spec->dimension;
    const long long total = static_cast<long long>(designs.size() * request.values.size());
    long long done = 0;
    for (std::size_t d = 0; d < designs.size(); ++d) {
        SweepCurve curve;
        curve.label = designs[d].label;
        for (std::size_t v = 0; v < request.values.size(); ++v) {
            if (cancel.isCancelled())
                break;
            const Point &point = points[d][v];
            CodesignOptions options;
            options.architecture = point.project.architecture->config;
            options.baselines = false;
            options.threads = std::max(1, request.threads);
            SweepPoint p;
            p.value = request.values[v];
            p.x = point.x;
            Result<CodesignResult> r = runCodesign(point.project, baseDir, options, {}, cancel);
            if (!r.value) {
                if (cancel.isCancelled())
                    break;
                p.message = r.message;
            } else if (const SearchResult &s = r.value->search; s.best) {
                const Evaluation &best = s.evaluations[*s.best];
                p.feasible = true;
                p.throughput = best.throughput;
                if (!best.models.empty()) {
                    p.timePerBatch = best.models.front().timePerBatch;
                    p.layout = layoutText(best.models.front());
                }
            } else {
                p.message = s.evaluations.empty() ? s.message : s.evaluations.front().message;
            }
            curve.points.push_back(std::move(p));
            progress.report({"sweep", ++done, total, 0.0, std::nullopt, 0});
        }
        out.curves.push_back(std::move(curve));
        if (cancel.isCancelled())
            break;
    }
    return R::optimal(std::move(out));
}

std::string sweepCsv(const SweepResult &result)
{
    std::ostringstream out;
    // The x column carries its SI unit, as the JSON's "unit" (a count has none).
    const std::string unit(baseUnit(result.dimension));
    out << "design,value," << (unit.empty() ? std::string("x") : "x_" + unit)
        << ",feasible,throughput_samples_per_s,time_per_batch_s,layout,message\n";
    for (const SweepCurve &c : result.curves)
        for (const SweepPoint &p : c.points)
            out << csvField(c.label) << ',' << csvField(p.value) << ',' << shortestNumber(p.x)
                << ',' << (p.feasible ? "true" : "false") << ',' << shortestNumber(p.throughput)
                << ',' << shortestNumber(p.timePerBatch) << ',' << csvField(p.layout) << ','
                << csvField(p.message) << '\n';
    return out.str();
}

std::string sweepJson(const SweepResult &result)
{
    nlohmann::ordered_json j;
    j["format"] = "phaze-sweep/1";
    j["parameter"] = result.parameter;
    j["unit"] = std::string(baseUnit(result.dimension));
    nlohmann::ordered_json curves = nlohmann::ordered_json::array();
    for (const SweepCurve &c : result.curves) {
        nlohmann::ordered_json points = nlohmann::ordered_json::array();
        for (const SweepPoint &p : c.points)
            points.push_back({{"value", p.value},
                              {"x", p.x},
                              {"feasible", p.feasible},
                              {"throughput_samples_per_s", p.throughput},
                              {"time_per_batch_s", p.timePerBatch},
                              {"layout", p.layout},
                              {"message", p.message}});
        curves.push_back({{"design", c.label}, {"points", std::move(points)}});
    }
    j["curves"] = std::move(curves);
    return dumpOrderedJson(j, 2) + "\n";
}

std::string sweepText(const SweepResult &result)
{
    const auto cellOf = [](const SweepPoint &p) {
        if (!p.feasible)
            return std::string("infeasible");
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.4g", p.throughput);
        return std::string(buffer) + " (" + p.layout + ")";
    };
    const auto pad = [](const std::string &s, std::size_t w) {
        return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
    };
    std::size_t valueWidth = std::string("value").size();
    std::vector<std::size_t> widths;
    for (const SweepCurve &c : result.curves) {
        std::size_t w = c.label.size();
        for (const SweepPoint &p : c.points) {
            valueWidth = std::max(valueWidth, p.value.size());
            w = std::max(w, cellOf(p).size());
        }
        widths.push_back(w);
    }
    std::ostringstream out;
    out << "sweep of " << result.parameter << " (throughput, samples/s, and layout)\n";
    out << pad("value", valueWidth);
    for (std::size_t i = 0; i < result.curves.size(); ++i)
        out << "  " << pad(result.curves[i].label, widths[i]);
    out << "\n";
    const std::size_t rows = result.curves.empty() ? 0 : result.curves.front().points.size();
    for (std::size_t r = 0; r < rows; ++r) {
        out << pad(result.curves.front().points[r].value, valueWidth);
        for (std::size_t i = 0; i < result.curves.size(); ++i) {
            const SweepCurve &c = result.curves[i];
            out << "  " << pad(r < c.points.size() ? cellOf(c.points[r]) : "-", widths[i]);
        }
        out << "\n";
    }
    for (const SweepCurve &c : result.curves)
        for (const SweepPoint &p : c.points)
            if (!p.feasible && !p.message.empty())
                out << c.label << " at " << p.value << ": " << p.message << "\n";
    // The last column's padding is no use at the end of a line.
    std::string text = out.str(), trimmed;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        trimmed += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
    return trimmed;
}

} // namespace phaze
