// Fuzz target: the schedule-instance reader (parseScheduleInstance). An instance that parses
// is valid and survives writing and reading back; a tiny one is also solved by the exact
// scheduler (list heuristic, lower bound and, when they differ, the GLPK model), whose every
// schedule must pass the validator, as `phaze schedule` does.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/io/scheduleinstancejson.h"
#include "core/schedule/exactscheduler.h"
#include "core/schedule/schedulevalidator.h"
#include "tests/fuzz/fuzzcheck.h"

namespace {

using namespace phaze;

const std::string kFile = "fuzz.json";

bool sameProblem(const ScheduleProblem &a, const ScheduleProblem &b)
{
    if (a.numTc != b.numTc || a.numVc != b.numVc || a.ops.size() != b.ops.size() ||
        a.edges != b.edges)
        return false;
    for (std::size_t i = 0; i < a.ops.size(); ++i) {
        const ScheduleOp &x = a.ops[i];
        const ScheduleOp &y = b.ops[i];
        if (x.kind != y.kind || x.name != y.name || x.latency != y.latency ||
            x.intraLatency != y.intraLatency)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    const Result<ScheduleInstance> load = parseScheduleInstance(text, kFile);
    fuzz::checkDiagnostics(load.diagnostics, kFile);
    fuzz::check(load.value.has_value() == load.diagnostics.empty(),
                "an instance is returned exactly when there are no errors");
    if (!load.value)
        return 0;
    const ScheduleInstance &instance = *load.value;
    fuzz::check(instance.problem.validate().empty(), "a parsed instance does not validate");

    const std::string written = scheduleInstanceJson(instance);
    const Result<ScheduleInstance> again = parseScheduleInstance(written, kFile);
    if (!again.value)
        fuzz::fail("the written instance does not parse: " + fuzz::firstError(again.diagnostics) +
                   "\n--- written:\n" + written);
    fuzz::check(sameProblem(again.value->problem, instance.problem) &&
                    again.value->ids == instance.ids,
                "the written instance parses back different\n--- written:\n" + written);

    // The ILP grows with the square of the operators; a handful keeps a solve in milliseconds.
    if (instance.problem.ops.size() > 6 || instance.problem.numTc > 64 ||
        instance.problem.numVc > 64)
        return 0;
    SchedulerOptions options;
    options.timeLimitSeconds = 1.0;
    const Result<ScheduleSolution> result = ExactScheduler(options).solve(instance.problem);
    // The instance validated, so the scheduler has no reason to refuse it.
    fuzz::check(result.status != Status::Error, "the scheduler failed: " + result.message);
    if (result.hasValue()) {
        const ScheduleSolution &s = *result.value;
        const std::vector<std::string> problems =
            ScheduleValidator().check(instance.problem, s.schedule);
        fuzz::check(problems.empty(), "the scheduler returned an invalid schedule: " +
                                          (problems.empty() ? "" : problems.front()));
        fuzz::check(!(s.lowerBound > s.schedule.makespan * (1 + 1e-9) + 1e-12),
                    "the lower bound exceeds the makespan");
    }
    scheduleResultJson(instance, result);
    return 0;
}
