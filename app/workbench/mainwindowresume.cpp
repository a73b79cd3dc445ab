// MainWindow: the journal of a search run from the workbench, so that a search the workbench
// did not finish (cancelled, or the program killed) can be resumed: Search > Resume Search.
// Journals live in a directory of their own (enableSearchJournals), one per project file, named
// by a hash of its absolute path; the header's fingerprint says which search wrote it, so a
// journal of an edited project is never resumed into the wrong search.

#include "app/workbench/mainwindow.h"

#include <QAction>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>

#include "core/io/searchjson.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/shardwatch.h"

namespace phaze {

using namespace Qt::StringLiterals;

void MainWindow::enableSearchJournals(const QString &directory)
{
    m_journalDirectory = directory;
    updateResumeAction();
}

QString MainWindow::searchJournalPath() const
{
    if (m_journalDirectory.isEmpty() || m_session->filePath().isEmpty())
        return {};
    const QByteArray key = QFileInfo(m_session->filePath()).absoluteFilePath().toUtf8();
    const QString hash =
        QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex());
    return QDir(m_journalDirectory).filePath(hash.left(20) + u".jsonl"_s);
}

long long MainWindow::resumableEvaluations() const
{
    const QString path = searchJournalPath();
    if (path.isEmpty() || m_searchJob->isRunning())
        return 0;
    const SearchJournal::State state = SearchJournal::inspect(path.toStdString());
    if (!state.exists || !state.hasHeader || state.lines == 0)
        return 0;
    // The journal must be of this project's search as it is now.
    const Result<std::string> fingerprint =
        searchFingerprint(m_session->project(), m_session->baseDir());
    if (!fingerprint.hasValue() || *fingerprint.value != state.fingerprint)
        return 0;
    return (long long)state.lines;
}

void MainWindow::updateResumeAction()
{
    if (!m_resumeSearch)
        return;
    const long long done = resumableEvaluations();
    m_resumeSearch->setEnabled(done > 0);
    m_resumeSearch->setText(done > 0 ? tr("Res&ume Search (%n evaluated)", "", int(done))
                                     : tr("Res&ume Search"));
}

void MainWindow::startSearch(bool resume)
{
    m_shardWatch->stop(); // the search's results replace the shards'
    CodesignOptions options;
    options.exactFronts = m_exactFronts->isChecked();
    const QString journal = searchJournalPath();
    // Without a writable journal directory the search runs unjournalled rather than failing.
    if (!journal.isEmpty() && QDir().mkpath(QFileInfo(journal).absolutePath())) {
        options.journalPath = journal.toStdString();
        options.resume = resume && QFileInfo::exists(journal);
    }
    if (!m_searchJob->start(options))
        return;
    m_resultsLoader.cancel(); // a late load must not replace the new search's results
    m_runSearch->setEnabled(false);
    m_resumeSearch->setEnabled(false);
    m_cancelSearch->setEnabled(true);
    m_searchBar->setRange(0, 0); // busy until the first progress report gives the total
    m_searchBar->show();
    m_searchLabel->setText(resume ? tr("Resuming the search...") : tr("Searching..."));
    showExplore();
}

void MainWindow::runSearch()
{
    startSearch(false);
}

void MainWindow::resumeSearch()
{
    startSearch(true);
}

void MainWindow::forgetFinishedJournal()
{
    // A search that ran to its end has its results saved beside the project: nothing to resume.
    if (const QString journal = searchJournalPath(); !journal.isEmpty())
        QFile::remove(journal);
}

} // namespace phaze
