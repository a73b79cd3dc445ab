#include "core/io/pipelinetrace.h"

namespace phaze {

ChromeTrace pipelineToTrace(const PipelineTimeline &timeline, int stages, const std::string &title,
                            double secondsPerUnit)
{
    ChromeTrace trace;
    trace.nameProcess(1, title);
    for (int i = 0; i < stages; ++i)
        trace.nameTrack(1, i, "stage " + std::to_string(i + 1));
    for (const TimelineEvent &e : timeline.events) {
        const char *kind = e.kind == TimelineKind::Forward    ? "forward"
                           : e.kind == TimelineKind::Backward ? "backward"
                                                              : "all-reduce";
        TraceEvent t;
        t.name = e.kind == TimelineKind::AllReduce
                     ? std::string("all-reduce")
                     : std::string(e.kind == TimelineKind::Forward ? "F" : "B") +
                           std::to_string(e.microbatch);
        t.category = kind;
        t.pid = 1;
        t.tid = e.stage;
        t.startSeconds = e.start * secondsPerUnit;
        t.durationSeconds = (e.end - e.start) * secondsPerUnit;
        if (e.microbatch >= 0)
            t.args.push_back({"microbatch", double(e.microbatch)});
        trace.add(std::move(t));
    }
    return trace;
}

} // namespace phaze
