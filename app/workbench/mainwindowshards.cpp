// The main window's view of a distributed search: a shard set opened from File > Open Shard Set
// (or `phaze-workbench PROJECT --shards DIR`) streams into the views as a running search does,
// and the search's progress bar and label follow the shards (ShardWatch).

#include "app/workbench/mainwindow.h"

#include <QFileDialog>
#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

#include <algorithm>
#include <climits>

#include "widgets/searchhistory.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/shardwatch.h"

namespace phaze {

void MainWindow::connectShardWatch()
{
    connect(m_shardWatch, &ShardWatch::updated, this, &MainWindow::showShardStatus);
    connect(m_shardWatch, &ShardWatch::completed, this, [this](const ShardSetStatus &s) {
        m_searchBar->hide();
        m_searchLabel->setText(shardStatusText(s, m_shardWatch->unidentified()));
        statusBar()->showMessage(
            tr("Every shard of %1 has finished").arg(m_shardWatch->paths().join(u", ")));
    });
    connect(m_shardWatch, &ShardWatch::failed, this, [this](const QString &message) {
        m_searchBar->hide();
        m_searchLabel->setText(tr("Shard set not shown"));
        statusBar()->showMessage(message);
    });
}

bool MainWindow::openShardSet(const QStringList &paths)
{
    if (m_searchJob->isRunning()) {
        statusBar()->showMessage(tr("A search is running: cancel it before opening a shard set"));
        return false;
    }
    m_resultsLoader.cancel(); // a late load must not replace the shards' evaluations
    m_history->setShown(std::nullopt); // the views show the shards, not one of the runs
    m_searchLabel->setText(tr("Reading the shards..."));
    m_searchBar->setRange(0, 0);
    m_searchBar->show();
    m_shardWatch->watch(paths);
    showExplore();
    return true;
}

void MainWindow::openShardSetInteractively()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Open the folder of a shard set's journals (*.jsonl)"));
    if (!folder.isEmpty())
        openShardSet({folder});
}

void MainWindow::showShardStatus(const ShardSetStatus &s)
{
    m_searchBar->setRange(0, int(std::min<long long>(std::max<long long>(s.total, 1), INT_MAX)));
    m_searchBar->setValue(int(std::min<long long>(s.done, INT_MAX)));
    m_searchBar->setVisible(!s.complete());
    m_searchLabel->setText(shardStatusText(s, m_shardWatch->unidentified()));
}

} // namespace phaze
