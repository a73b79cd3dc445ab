#include "core/io/chrometrace.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/io/jsontext.h"

namespace phaze {

void ChromeTrace::nameProcess(int pid, const std::string &name)
{
    m_processes.emplace_back(pid, name);
}

void ChromeTrace::nameTrack(int pid, int tid, const std::string &name)
{
    m_tracks.push_back({{pid, tid}, name});
}

std::string ChromeTrace::toJson() const
{
    using nlohmann::json;
    json events = json::array();
    for (const auto &[pid, name] : m_processes)
        events.push_back({{"ph", "M"},
                          {"name", "process_name"},
                          {"pid", pid},
                          {"tid", 0},
                          {"args", {{"name", name}}}});
    for (const auto &[ids, name] : m_tracks) {
        events.push_back({{"ph", "M"},
                          {"name", "thread_name"},
                          {"pid", ids.first},
                          {"tid", ids.second},
                          {"args", {{"name", name}}}});
        // Keep tracks in the order they were named rather than alphabetically.
        events.push_back({{"ph", "M"},
                          {"name", "thread_sort_index"},
                          {"pid", ids.first},
                          {"tid", ids.second},
                          {"args", {{"sort_index", ids.second}}}});
    }
    for (const TraceEvent &e : m_events) {
        json args = json::object();
        for (const auto &[key, value] : e.args) {
            if (const double *d = std::get_if<double>(&value))
                args[key] = std::isfinite(*d) ? json(*d) : json(nullptr);
            else
                args[key] = std::get<std::string>(value);
        }
        const double ts = std::isfinite(e.startSeconds) ? e.startSeconds * 1e6 : 0.0;
        const double dur = std::isfinite(e.durationSeconds) ? e.durationSeconds * 1e6 : 0.0;
        events.push_back({{"ph", "X"},
                          {"name", e.name},
                          {"cat", e.category},
                          {"pid", e.pid},
                          {"tid", e.tid},
                          {"ts", ts},
                          {"dur", dur},
                          {"args", args}});
    }
    json root = {{"traceEvents", events}, {"displayTimeUnit", "ms"}};
    return dumpJson(root, 1);
}

} // namespace phaze
