#include "core/io/scheduletrace.h"

namespace phaze {

void addScheduleToTrace(ChromeTrace &trace, int pid, const std::string &title,
                        const ScheduleProblem &problem, const Schedule &schedule)
{
    trace.nameProcess(pid, title);
    const int vcBase = problem.numTc, link = problem.numTc + problem.numVc;
    for (int c = 0; c < problem.numTc; ++c)
        trace.nameTrack(pid, c, "TC " + std::to_string(c));
    for (int c = 0; c < problem.numVc; ++c)
        trace.nameTrack(pid, vcBase + c, "VC " + std::to_string(c));
    trace.nameTrack(pid, link, "links");
    for (const ScheduledOp &s : schedule.ops) {
        const ScheduleOp &op = problem.ops[std::size_t(s.op)];
        if (s.end <= s.start)
            continue; // zero-cost operators take no time
        TraceEvent e;
        e.name = op.name.empty() ? "op " + std::to_string(s.op) : op.name;
        e.category = std::string(opModeName(s.mode));
        e.pid = pid;
        e.startSeconds = s.start;
        e.durationSeconds = s.end - s.start;
        e.args = {{"operator", double(s.op)},
                  {"kind", std::string(scheduleOpKindName(op.kind))},
                  {"mode", std::string(opModeName(s.mode))}};
        std::vector<int> tracks;
        if (op.kind == ScheduleOpKind::Collective) {
            tracks.push_back(link);
        } else if (s.mode == OpMode::Intra) {
            for (int c = 0; c < link; ++c)
                tracks.push_back(c);
        } else {
            if (s.tcCore >= 0)
                tracks.push_back(s.tcCore);
            if (s.vcCore >= 0)
                tracks.push_back(vcBase + s.vcCore);
        }
        for (int tid : tracks) {
            e.tid = tid;
            trace.add(e);
        }
    }
}

ChromeTrace layerSchedulesToTrace(const std::vector<LayerScheduleEntry> &layers)
{
    ChromeTrace trace;
    int pid = 1;
    for (const LayerScheduleEntry &e : layers)
        for (const auto &[pass, what] : {std::pair{&e.schedule.forward, " forward"},
                                         std::pair{&e.schedule.backward, " backward"}})
            if (pass->hasSchedule())
                addScheduleToTrace(trace, pid++, e.name + what, pass->problem,
                                   pass->result->value->schedule);
    return trace;
}

} // namespace phaze
