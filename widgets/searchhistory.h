#pragma once

// The searches run on the open project in this session: a new run no longer silently replaces
// the last one. Each finished search (also a cancelled one's best so far) is kept with the
// project it searched, newest first, up to kMaxRuns, and listed in a menu (Search > Earlier
// Runs) from which one is shown again in every view. The results of the newest run are also
// saved beside the project (MainWindow); earlier ones live in memory only and are forgotten
// when another project is opened. Only the newest keeps its evaluator (the caches that make a
// replay fast); an earlier one prepares its project again when a detail view needs it.

#include <QDateTime>
#include <QObject>
#include <QString>

#include <deque>
#include <optional>

#include "core/search/codesign.h"
#include "widgets/resultstore.h"

class QMenu;

namespace phaze {

struct SearchRun {
    int number = 0; // 1, 2, ... in the order run
    QDateTime finished;
    ProjectSnapshot project;
    CodesignResult result;
    // "Run 2, 00:41:07: 16 evaluated, 64 pruned, best 2100.1 samples/s (exact fronts)"
    QString label() const;
};

class SearchHistory : public QObject
{
    Q_OBJECT

public:
    static constexpr std::size_t kMaxRuns = 8;

    // Lists the runs in menu (cleared and refilled on every change).
    explicit SearchHistory(QMenu *menu, QObject *parent = nullptr);

    // Keeps a finished search; returns its number.
    int add(ProjectSnapshot project, CodesignResult result);
    void clear();
    const std::deque<SearchRun> &runs() const { return m_runs; } // newest first
    // The run the views show (its number), when one of these is shown.
    std::optional<int> shown() const { return m_shown; }
    void setShown(std::optional<int> number);
    const SearchRun *run(int number) const;

signals:
    // The user chose a run in the menu.
    void reopenRequested(int number);

private:
    void rebuildMenu();

    QMenu *m_menu;
    std::deque<SearchRun> m_runs;
    int m_next = 1;
    std::optional<int> m_shown;
};

} // namespace phaze
