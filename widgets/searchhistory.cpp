#include "widgets/searchhistory.h"

#include <QAction>
#include <QLocale>
#include <QMenu>

namespace phaze {

QString SearchRun::label() const
{
    const SearchCounts &c = result.search.counts;
    QString text = QObject::tr("Run %1, %2: %3 evaluated, %4 pruned")
                       .arg(number)
                       .arg(finished.toString(u"HH:mm:ss"))
                       .arg(QLocale().toString(qulonglong(c.evaluated)))
                       .arg(QLocale().toString(qulonglong(c.pruned + c.skipped)));
    const SearchResult &s = result.search;
    if (s.best)
        text += QObject::tr(", best %1 samples/s").arg(s.evaluations[*s.best].throughput, 0, 'f', 1);
    if (s.status == Status::Cancelled)
        text += QObject::tr(" (cancelled)");
    if (s.exactFronts)
        text += QObject::tr(" (exact fronts)");
    return text;
}

SearchHistory::SearchHistory(QMenu *menu, QObject *parent) : QObject(parent), m_menu(menu)
{
    rebuildMenu();
}

int SearchHistory::add(ProjectSnapshot project, CodesignResult result)
{
    SearchRun run;
    run.number = m_next++;
    run.finished = QDateTime::currentDateTime();
    run.project = std::move(project);
    run.result = std::move(result);
    // Only the newest run keeps its evaluator (prepared project, schedule caches: the largest
    // part of a big search's memory); an earlier one shown again prepares its project anew.
    if (!m_runs.empty()) {
        m_runs.front().result.evaluator.reset();
        m_runs.front().project.evaluator.reset();
    }
    m_runs.push_front(std::move(run));
    while (m_runs.size() > kMaxRuns)
        m_runs.pop_back();
    m_shown = m_runs.front().number;
    rebuildMenu();
    return m_runs.front().number;
}

void SearchHistory::clear()
{
    m_runs.clear();
    m_next = 1;
    m_shown.reset();
    rebuildMenu();
}

void SearchHistory::setShown(std::optional<int> number)
{
    m_shown = number;
    rebuildMenu();
}

const SearchRun *SearchHistory::run(int number) const
{
    for (const SearchRun &r : m_runs)
        if (r.number == number)
            return &r;
    return nullptr;
}

void SearchHistory::rebuildMenu()
{
    m_menu->clear();
    for (const SearchRun &r : m_runs) {
        QAction *action = m_menu->addAction(r.label());
        action->setCheckable(true);
        action->setChecked(m_shown == r.number);
        action->setData(r.number);
        const int number = r.number;
        connect(action, &QAction::triggered, this, [this, number] { emit reopenRequested(number); });
    }
    if (m_runs.empty())
        m_menu->addAction(tr("No search run yet"))->setEnabled(false);
}

} // namespace phaze
