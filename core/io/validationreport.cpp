#include "core/io/validationreport.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/base/units.h"
#include "core/io/estimatereport.h"
#include "core/io/jsontext.h"

namespace phaze {
namespace {

double predictedValue(const TrainingEstimate &e, ValidationQuantity q)
{
    switch (q) {
    case ValidationQuantity::IterationTime:
        return e.iterationTime;
    case ValidationQuantity::ThroughputPerDevice:
        return e.throughputPerDevice;
    case ValidationQuantity::MemoryParamsAndOptimizer:
        return e.memory.parametersAndOptimizer();
    case ValidationQuantity::MemoryActivations:
        return e.memory.activationTotal();
    }
    return 0.0;
}

std::string percent(double fraction)
{
    char text[32];
    std::snprintf(text, sizeof text, "%+.2f%%", 100.0 * fraction);
    return text;
}

std::string padded(std::string text, std::size_t width)
{
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text;
}

} // namespace

Result<ValidationReport> validateFiles(const std::vector<std::string> &paths)
{
    std::vector<ValidationSuite> suites;
    Diagnostics problems;
    for (const std::string &path : paths) {
        Result<ValidationSuite> load = loadValidationFile(path);
        if (!load.ok()) {
            if (load.diagnostics.empty())
                problems.push_back({path, 0, 0, "", load.message});
            problems.insert(problems.end(), load.diagnostics.begin(), load.diagnostics.end());
            continue;
        }
        suites.push_back(std::move(*load.value));
    }
    if (!problems.empty())
        return Result<ValidationReport>::error(std::move(problems));
    return Result<ValidationReport>::optimal(validateSuites(suites, defaultTechnology()));
}

ValidationReport validateSuites(const std::vector<ValidationSuite> &suites,
                                const TechnologyTable &technology)
{
    ValidationReport report;
    // One cost model (and its cache) per chip preset.
    std::map<std::string, CostModel> costModels;
    for (const ValidationSuite &suite : suites) {
        report.files.push_back(suite.file);
        for (const ValidationRun &run : suite.runs) {
            auto costs = costModels.find(run.chipPreset);
            if (costs == costModels.end())
                costs = costModels
                            .emplace(run.chipPreset,
                                     CostModel::realistic(
                                         technologyForChip(technology, run.chipPreset)))
                            .first;
            const Result<TrainingEstimate> estimate = estimateTraining(run.problem, costs->second);
            if (!estimate.ok()) {
                report.failures.push_back(suite.file + ": " + run.name + ": " + estimate.message);
                continue;
            }
            report.estimates.push_back({run.name, *estimate.value});
            for (const ValidationMeasurement &m : run.measured) {
                ValidationEntry e;
                e.run = run.name;
                e.quantity = m.quantity;
                e.predicted = predictedValue(*estimate.value, m.quantity);
                e.measured = m.value;
                e.error = (e.predicted - e.measured) / e.measured;
                report.entries.push_back(e);
            }
        }
    }
    for (ValidationQuantity q :
         {ValidationQuantity::IterationTime, ValidationQuantity::ThroughputPerDevice,
          ValidationQuantity::MemoryParamsAndOptimizer, ValidationQuantity::MemoryActivations}) {
        ValidationSummary s;
        s.quantity = q;
        double sum = 0.0;
        for (const ValidationEntry &e : report.entries) {
            if (e.quantity != q)
                continue;
            ++s.count;
            sum += std::fabs(e.error);
            if (std::fabs(e.error) > s.maxAbsError || s.worstRun.empty()) {
                s.maxAbsError = std::max(s.maxAbsError, std::fabs(e.error));
                s.worstRun = e.run;
            }
        }
        if (s.count == 0)
            continue;
        s.meanAbsError = sum / s.count;
        report.summary.push_back(s);
    }
    return report;
}

std::string validationReportText(const ValidationReport &report)
{
    std::ostringstream out;
    out << padded("run", 28) << padded("quantity", 30) << padded("predicted", 13)
        << padded("measured", 13) << "error\n";
    for (const ValidationEntry &e : report.entries) {
        const Dimension d = validationQuantityDimension(e.quantity);
        out << padded(e.run, 28) << padded(validationQuantityKey(e.quantity), 30)
            << padded(formatHuman(e.predicted, d, 4), 13)
            << padded(formatHuman(e.measured, d, 4), 13) << percent(e.error) << "\n";
    }
    out << "\n";
    for (const ValidationSummary &s : report.summary) {
        char line[256];
        std::snprintf(line, sizeof line, "%s: %d runs, mean |error| %.2f%%, max %.2f%% (%s)\n",
                      validationQuantityKey(s.quantity).c_str(), s.count, 100.0 * s.meanAbsError,
                      100.0 * s.maxAbsError, s.worstRun.c_str());
        out << line;
    }
    for (const std::string &f : report.failures)
        out << "not predicted: " << f << "\n";
    return out.str();
}

std::string validationBreakdownText(const ValidationReport &report)
{
    std::ostringstream out;
    for (const ValidationRunEstimate &r : report.estimates)
        out << r.run << ": " << formatHuman(r.estimate.iterationTime, Dimension::Time, 4) << " = "
            << timeBreakdownText(r.estimate.time) << " (stage " << r.estimate.criticalStage + 1
            << ")\n    memory " << deviceMemoryText(r.estimate.memory) << " (stage "
            << r.estimate.fullestStage + 1 << ")\n";
    return out.str();
}

std::string validationReportJson(const ValidationReport &report)
{
    nlohmann::json j;
    j["format"] = "phaze-validation-report/1";
    j["files"] = report.files;
    nlohmann::json entries = nlohmann::json::array();
    for (const ValidationEntry &e : report.entries)
        entries.push_back({{"name", e.run},
                           {"quantity", validationQuantityKey(e.quantity)},
                           {"unit", validationQuantityUnit(e.quantity)},
                           {"predicted", e.predicted},
                           {"measured", e.measured},
                           {"error", e.error}});
    j["entries"] = entries;
    nlohmann::json summary = nlohmann::json::array();
    for (const ValidationSummary &s : report.summary)
        summary.push_back({{"quantity", validationQuantityKey(s.quantity)},
                           {"unit", validationQuantityUnit(s.quantity)},
                           {"count", s.count},
                           {"mean_abs_error", s.meanAbsError},
                           {"max_abs_error", s.maxAbsError},
                           {"worst", s.worstRun}});
    j["summary"] = summary;
    nlohmann::json runs = nlohmann::json::array();
    for (const ValidationRunEstimate &r : report.estimates) {
        runs.push_back({{"name", r.run},
                        {"iteration_time_s", r.estimate.iterationTime},
                        {"critical_stage", r.estimate.criticalStage},
                        {"time_s", timeBreakdownJson(r.estimate.time)},
                        {"fullest_stage", r.estimate.fullestStage},
                        {"memory_bytes", deviceMemoryJson(r.estimate.memory)},
                        {"fits", r.estimate.fits},
                        {"throughput_per_device_flop_s", r.estimate.throughputPerDevice}});
    }
    j["runs"] = runs;
    j["failures"] = report.failures;
    return dumpJson(j, 2) + "\n";
}

} // namespace phaze
