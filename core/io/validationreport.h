#pragma once

// Predictions of a validation suite against its measurements (`phaze validate`): one entry per
// run and quantity with the signed error, and per quantity the mean and maximum absolute error.

#include <string>
#include <vector>

#include "core/cost/costmodel.h"
#include "core/io/validationfile.h"

namespace phaze {

struct ValidationEntry {
    std::string run;
    ValidationQuantity quantity = ValidationQuantity::IterationTime;
    double predicted = 0.0; // SI
    double measured = 0.0;  // SI
    double error = 0.0;     // (predicted - measured) / measured
};

struct ValidationSummary {
    ValidationQuantity quantity = ValidationQuantity::IterationTime;
    int count = 0;
    double meanAbsError = 0.0;
    double maxAbsError = 0.0;
    std::string worstRun;
};

struct ValidationRunEstimate {
    std::string run;
    TrainingEstimate estimate;
};

struct ValidationReport {
    std::vector<std::string> files;
    std::vector<ValidationRunEstimate> estimates; // every run predicted, in file order
    std::vector<ValidationEntry> entries;
    std::vector<ValidationSummary> summary; // quantities in the order of ValidationQuantity
    // Runs the model refused (layout does not fit the model, ...): "file: run: why".
    std::vector<std::string> failures;
};

// Predicts every run of every suite with the system model, each with `technology` as its chip
// sees it (technologyForChip: a chip preset's measurements replace the table's).
ValidationReport validateSuites(const std::vector<ValidationSuite> &suites,
                                const TechnologyTable &technology);
// `phaze validate FILE...`: reads every file (Error with all their located problems when one
// cannot be read) and predicts every run with the system profile on the built-in technology
// table, as `phaze validate` and the workbench's Validation tab both do.
Result<ValidationReport> validateFiles(const std::vector<std::string> &paths);

// The table a person reads: one line per run and quantity, then the summary.
std::string validationReportText(const ValidationReport &report);
// Each run's time and memory breakdown (the slowest and the fullest device).
std::string validationBreakdownText(const ValidationReport &report);
// {"format": "phaze-validation-report/1", "files": [...], "entries": [{name, quantity, unit,
// predicted, measured, error}], "summary": [{quantity, unit, count, mean_abs_error,
// max_abs_error, worst}], "runs": [{name, iteration_time_s, time_s: {...}, memory_bytes: {...},
// fits, ...}] (each run's breakdown), "failures": [...]}
std::string validationReportJson(const ValidationReport &report);

} // namespace phaze
