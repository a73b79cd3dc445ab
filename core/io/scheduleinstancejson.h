#pragma once

// The per-layer scheduling instance format (tests/data/schedule/README.md, the input of
// `phaze schedule`): num_tc, num_vc, ops (id, kind "TC" | "VC" | "TCVC" | "collective", latency,
// intra_latency, optional name), edges as [from_id, to_id] pairs and an optional
// expected_makespan. Errors are located (file:line:column: path: message). Also writes the
// instance back and the solver's answer as JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/diagnostic.h"
#include "core/base/status.h"
#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

namespace phaze {

struct ScheduleInstance {
    ScheduleProblem problem;
    std::vector<std::int64_t> ids; // the file's id of problem.ops[k]
    std::optional<double> expectedMakespan;
};

// Optimal with the instance, or Error with every problem located in `diagnostics`.
Result<ScheduleInstance> parseScheduleInstance(const std::string &text, const std::string &file);
Result<ScheduleInstance> loadScheduleInstance(const std::string &path);
std::string scheduleInstanceJson(const ScheduleInstance &instance);

// {status, makespan, lower_bound, gap, solve_seconds, message, ops: [{id, mode, start, end,
// tc_core, vc_core}]}; makespan and ops are null/empty when there is no schedule.
std::string scheduleResultJson(const ScheduleInstance &instance,
                               const Result<ScheduleSolution> &result);

} // namespace phaze
