// The main window's earlier runs: each finished search joins the project's history (Search >
// Earlier Runs), so that a new run does not silently replace the last one, and any of them can
// be shown again in every view.

#include "app/workbench/mainwindow.h"

#include <QLabel>
#include <QStatusBar>

#include "widgets/resultstore.h"
#include "widgets/searchhistory.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/shardwatch.h"

namespace phaze {

int MainWindow::recordRun()
{
    ResultStore *store = m_session->results();
    if (!store->result() || !store->searchedProject())
        return 0;
    return m_history->add(*store->searchedProject(), *store->result());
}

bool MainWindow::reopenRun(int number)
{
    const SearchRun *run = m_history->run(number);
    if (!run || m_searchJob->isRunning()) {
        statusBar()->showMessage(run ? tr("A search is running: cancel it before showing an "
                                          "earlier run")
                                     : tr("Run %1 is no longer kept").arg(number));
        return false;
    }
    m_shardWatch->stop();
    m_resultsLoader.cancel();
    ResultStore *store = m_session->results();
    store->setSearchedProject(run->project);
    store->setResult(run->result);
    m_history->setShown(number);
    statusBar()->showMessage(tr("Showing %1").arg(run->label()));
    return true;
}

bool MainWindow::sameSearchBesidesArchitecture(const ProjectSnapshot &a, const ProjectSnapshot &b)
{
    ProjectSpec left = a.project, right = b.project;
    left.architecture.reset();
    right.architecture.reset();
    return left == right && a.baseDir == b.baseDir;
}

void MainWindow::showWhetherResultsAreStale()
{
    // The fixed architecture alone does not change what was searched (only the what-if):
    // "Use selected" keeps the results current.
    const ProjectSnapshot *searched = m_session->results()->searchedProject();
    m_staleLabel->setVisible(searched &&
                             !sameSearchBesidesArchitecture(*searched, m_session->snapshot()));
}

} // namespace phaze
