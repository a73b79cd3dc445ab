#pragma once

// One-parameter sweeps: a few designs (architectures) re-evaluated with one project parameter
// set to each of a list of values (the inter-node bandwidth, the HBM bandwidth, the global
// batch, the device count, tp, ...), each point scored exactly as `phaze evaluate` scores the
// project with that value: the value is applied with editProjectField (the validation of
// loading a file) and the design evaluated with runCodesign. `phaze sweep` and the workbench's
// Sweep tab run it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arch/parameterregistry.h"
#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/spec/projectspec.h"

namespace phaze {

struct SweepDesign {
    std::string label;             // "candidate 12", "a100-sxm4-80gb"
    ArchitectureSpec architecture; // its preset (a chip's own measurements) and its fields
};

struct SweepRequest {
    std::string section; // "cluster", "training", "architecture", "strategy"
    std::string key;     // "inter_node_bandwidth"
    // Each as the project file writes it ("25 GB/s"); a list-valued parameter (strategy tp)
    // takes one value per point, written bare ("8") or as a list ("[8]").
    std::vector<std::string> values;
    // Empty: the project's own architecture.
    std::vector<SweepDesign> designs;
    int threads = 1; // threads of each point's evaluation
};

struct SweepPoint {
    std::string value; // as requested
    double x = 0.0;    // the value in SI (a list's first element)
    bool feasible = false;
    double throughput = 0.0;   // samples/s, mean over the project's models
    double timePerBatch = 0.0; // s, the first model's
    std::string layout;        // "t 8 p 4 d 2 mb 1" (the first model's)
    std::string message;       // why infeasible
};

struct SweepCurve {
    std::string label;
    std::vector<SweepPoint> points; // in the order of the requested values
};

struct SweepResult {
    std::string parameter; // "cluster.inter_node_bandwidth"
    Dimension dimension = Dimension::Count;
    std::vector<SweepCurve> curves; // one per design
    // Whether any design trains at any value.
    bool anyFeasible() const;
};

// The parameters a sweep can vary under the project's profile: numeric ones (a scalar, or a
// strategy list taking one value per point) of the training, cluster, strategy and
// architecture sections.
std::vector<const ParameterSpec *> sweepableParameters(bool systemProfile);

// Five values around the parameter's value in `project` (a list's first element) for a first
// sweep: x/4 .. 4x for a real quantity, powers of two around it for a count, within the
// parameter's range; from its minimum when the project has no value (no such section, an empty
// strategy list). The second form takes the current value in SI.
std::vector<std::string> suggestedSweepValues(const ProjectSpec &project,
                                              const ParameterSpec &spec);
std::vector<std::string> suggestedSweepValues(const ParameterSpec &spec, double current);

// "a, b, [1, 2]" -> {"a", "b", "[1, 2]"}: the values (or names) of a comma-separated list, split
// at commas outside brackets and braces, each trimmed; empty items are dropped.
std::vector<std::string> splitSweepValues(std::string_view text);

// The sweep. A value the project cannot take (out of range, not valid with the rest) is an
// error naming the field, before anything is evaluated; a point a design cannot train at is a
// point with feasible = false and its reason. Cancelled: the points evaluated so far.
Result<SweepResult> runSweep(const ProjectSpec &project, const std::string &baseDir,
                             const SweepRequest &request, ProgressSink progress = {},
                             CancelToken cancel = {});

// The result as CSV: design, value, x (SI), feasible, throughput, time per batch, layout.
std::string sweepCsv(const SweepResult &result);
// {"format": "phaze-sweep/1", "parameter", "unit", "curves": [{"design", "points": [{"value",
// "x", "feasible", "throughput_samples_per_s", "time_per_batch_s", "layout", "message"}]}]}
std::string sweepJson(const SweepResult &result);
// A table for the terminal: one row per value, one throughput column per design.
std::string sweepText(const SweepResult &result);

} // namespace phaze
