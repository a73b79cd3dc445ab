#pragma once

// Validation files (format phaze-validation/1, docs/validation.md): published measurements of
// real training runs, each with its system, model, recipe and layout. Every error is located;
// a key the system model cannot honour yet is an error naming it, never ignored.

#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/base/units.h"
#include "core/system/trainingestimate.h"

namespace phaze {

// The quantities a run may report, with their dimensions.
enum class ValidationQuantity {
    IterationTime,            // s
    ThroughputPerDevice,      // FLOP/s (model FLOPs)
    MemoryParamsAndOptimizer, // bytes on the fullest device
    MemoryActivations,        // bytes on the fullest device
};
std::string validationQuantityKey(ValidationQuantity q); // "iteration_time", ...
std::string validationQuantityUnit(ValidationQuantity q); // "s", "FLOP/s", "B"
Dimension validationQuantityDimension(ValidationQuantity q);

struct ValidationMeasurement {
    ValidationQuantity quantity = ValidationQuantity::IterationTime;
    double value = 0.0; // SI
};

struct ValidationRun {
    std::string name;
    std::string modelName;
    std::string systemName;
    std::string chipPreset; // the system's chip preset: its measurements apply to the run
    TrainingProblem problem;
    std::vector<ValidationMeasurement> measured;
};

struct ValidationSuite {
    std::string file;
    std::string name;
    std::vector<ValidationRun> runs;
};

Result<ValidationSuite> loadValidationText(const std::string &yamlText, const std::string &fileName);
Result<ValidationSuite> loadValidationFile(const std::string &path);

} // namespace phaze
