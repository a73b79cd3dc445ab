#include "core/io/pipelinetrace.h"

namespace phaze {
namespace {

const char *traceCategory(TimelineKind kind)
{
    switch (kind) {
    case TimelineKind::Forward:
        return "forward";
    case TimelineKind::Backward:
        return "backward";
    case TimelineKind::AllReduce:
        return "all-reduce";
    case TimelineKind::Transfer:
        return "transfer";
    case TimelineKind::OptimizerStep:
        return "optimizer step";
    }
    return "other";
}

// F3, B3, or with model chunks F3.1 (microbatch 3, chunk 1); a transfer is named after the
// pass it sends the result of, the event just before it ("send F3", "send B3").
std::string traceName(const TimelineEvent &e, const TimelineEvent *before)
{
    const bool backward = e.kind == TimelineKind::Backward ||
                          (e.kind == TimelineKind::Transfer && before &&
                           before->kind == TimelineKind::Backward);
    std::string name = e.kind == TimelineKind::Transfer ? "send " : "";
    name += backward ? "B" : "F";
    name += std::to_string(e.microbatch);
    if (e.chunk > 0)
        name += "." + std::to_string(e.chunk);
    return name;
}

} // namespace

void appendPipelineTrace(ChromeTrace &trace, int pid, const std::vector<TimelineEvent> &events,
                         int stages, const std::string &title, double secondsPerUnit)
{
    trace.nameProcess(pid, title);
    for (int i = 0; i < stages; ++i)
        trace.nameTrack(pid, i, "stage " + std::to_string(i + 1));
    for (std::size_t i = 0; i < events.size(); ++i) {
        const TimelineEvent &e = events[i];
        const char *kind = traceCategory(e.kind);
        TraceEvent t;
        t.name = e.microbatch < 0 ? std::string(kind) : traceName(e, i > 0 ? &events[i - 1] : nullptr);
        t.category = kind;
        t.pid = pid;
        t.tid = e.stage;
        t.startSeconds = e.start * secondsPerUnit;
        t.durationSeconds = (e.end - e.start) * secondsPerUnit;
        if (e.microbatch >= 0)
            t.args.push_back({"microbatch", double(e.microbatch)});
        if (e.chunk > 0)
            t.args.push_back({"chunk", double(e.chunk)});
        trace.add(std::move(t));
    }
}

ChromeTrace pipelineToTrace(const PipelineTimeline &timeline, int stages, const std::string &title,
                            double secondsPerUnit)
{
    ChromeTrace trace;
    appendPipelineTrace(trace, 1, timeline.events, stages, title, secondsPerUnit);
    return trace;
}

} // namespace phaze
