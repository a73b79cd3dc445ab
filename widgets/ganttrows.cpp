#include "widgets/ganttrows.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>
#include <utility>

namespace phaze {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("GanttRows", text);
}

QString groupLabel(const QString &kind, int first, const std::vector<int> &cores)
{
    const int n = int(cores.size());
    if (n == 1)
        return QStringLiteral("%1 %2").arg(kind).arg(cores.front() - first);
    // A run of consecutive cores names its range; scattered ones only their count (the
    // tooltip of a bar does not list them either: the count is what the chart is for).
    if (cores.back() - cores.front() + 1 == n)
        return tr("%1 %2–%3 (×%4)")
            .arg(kind)
            .arg(cores.front() - first)
            .arg(cores.back() - first)
            .arg(n);
    return tr("%1 ×%2").arg(kind).arg(n);
}

} // namespace

std::vector<GanttRow> layoutGanttRows(int numTc, int numVc, bool links, bool fold,
                                      std::vector<GanttBar> &bars)
{
    const int numCores = numTc + numVc;
    // What each core holds, as bar indices in bar order: equal lists are equal interval
    // sequences, since a bar is one operator over one interval.
    std::vector<std::vector<int>> held(static_cast<std::size_t>(numCores));
    for (std::size_t b = 0; b < bars.size(); ++b)
        for (int core : bars[b].cores)
            if (core < numCores)
                held[std::size_t(core)].push_back(int(b));

    std::vector<GanttRow> rows;
    std::vector<int> rowOfCore(std::size_t(numCores) + 1, 0);
    std::map<std::pair<bool, std::vector<int>>, int> groupOf;
    for (int core = 0; core < numCores; ++core) {
        const bool tc = core < numTc;
        int row = int(rows.size());
        if (fold) {
            const auto [it, added] =
                groupOf.emplace(std::make_pair(tc, held[std::size_t(core)]), row);
            row = it->second;
            if (added)
                rows.push_back(GanttRow{.label = {}, .cores = {}});
        } else {
            rows.push_back(GanttRow{.label = {}, .cores = {}});
        }
        rows[std::size_t(row)].cores.push_back(core);
        rowOfCore[std::size_t(core)] = row;
    }
    for (GanttRow &r : rows) {
        const bool tc = r.cores.front() < numTc;
        r.label = groupLabel(tc ? tr("TC") : tr("VC"), tc ? 0 : numTc, r.cores);
    }
    if (links) {
        rowOfCore[std::size_t(numCores)] = int(rows.size());
        rows.push_back(GanttRow{.label = tr("Links"), .cores = {numCores}});
    }

    for (GanttBar &bar : bars) {
        bar.rows.clear();
        for (int core : bar.cores)
            bar.rows.push_back(rowOfCore[std::size_t(std::min(core, numCores))]);
        std::sort(bar.rows.begin(), bar.rows.end());
        bar.rows.erase(std::unique(bar.rows.begin(), bar.rows.end()), bar.rows.end());
    }
    return rows;
}

} // namespace phaze
