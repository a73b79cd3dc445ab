#pragma once

// Chrome-trace JSON (the Trace Event Format read by Perfetto and chrome://tracing) for operator
// schedules and pipeline timelines: one process per view, one track (thread) per core or stage,
// one complete ("X") event per scheduled item. Times are given in seconds and written in the
// format's microseconds.

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace phaze {

struct TraceEvent {
    std::string name;
    std::string category; // e.g. "forward", "backward", "all-reduce"
    int pid = 0;
    int tid = 0;
    double startSeconds = 0.0;
    double durationSeconds = 0.0;
    std::vector<std::pair<std::string, std::variant<double, std::string>>> args;
};

class ChromeTrace
{
public:
    // Names a process (a view, e.g. "layer block.0 forward") and one of its tracks (e.g. "TC 0").
    void nameProcess(int pid, const std::string &name);
    void nameTrack(int pid, int tid, const std::string &name);
    void add(TraceEvent event) { m_events.push_back(std::move(event)); }

    const std::vector<TraceEvent> &events() const { return m_events; }
    std::string toJson() const;

private:
    std::vector<std::pair<int, std::string>> m_processes;
    std::vector<std::pair<std::pair<int, int>, std::string>> m_tracks;
    std::vector<TraceEvent> m_events;
};

} // namespace phaze
