#pragma once

// Turns a pass schedule into Chrome-trace events (opens in Perfetto): one process per pass, one
// track per TC, per VC and one for the links; a fused operator appears on its TC and its VC
// track, an intra-operator one on every core track.

#include <string>
#include <vector>

#include "core/io/chrometrace.h"
#include "core/schedule/layerscheduler.h"
#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

namespace phaze {

// Adds the schedule as process `pid` named `title`. Times stay in the problem's unit, which the
// trace takes as seconds.
void addScheduleToTrace(ChromeTrace &trace, int pid, const std::string &title,
                        const ScheduleProblem &problem, const Schedule &schedule);

// Every scheduled pass of the layers, forward then backward, one process each ("block.0
// forward"), numbered from 1.
ChromeTrace layerSchedulesToTrace(const std::vector<LayerScheduleEntry> &layers);

} // namespace phaze
