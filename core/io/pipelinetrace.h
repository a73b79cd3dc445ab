#pragma once

// A simulated pipeline timeline as Chrome-trace events (opens in Perfetto): one process for the
// pipeline of one data-parallel replica, one track per stage, F<m>/B<m> blocks per microbatch
// and the gradient all-reduce.

#include <string>
#include <vector>

#include "core/io/chrometrace.h"
#include "core/placement/pipelinetimeline.h"

namespace phaze {

// secondsPerUnit converts the timeline's times to seconds (1 for the engine's seconds, 1e-3 for
// PHAZE files in milliseconds). The process is named title.
ChromeTrace pipelineToTrace(const PipelineTimeline &timeline, int stages, const std::string &title,
                            double secondsPerUnit = 1.0);

// The same events as process pid of an existing trace (one process per model of a project).
void appendPipelineTrace(ChromeTrace &trace, int pid, const std::vector<TimelineEvent> &events,
                         int stages, const std::string &title, double secondsPerUnit = 1.0);

} // namespace phaze
