// The main window's file handling: open, save, recent files, the results saved beside a
// project, and the recovery of unsaved edits after a crash.

#include "app/workbench/mainwindow.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>

#include "core/io/projectsearch.h"
#include "core/io/savedresults.h"
#include "widgets/recentfiles.h"
#include "widgets/recoveryfile.h"
#include "widgets/resultstore.h"
#include "widgets/searchhistory.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/shardwatch.h"

namespace phaze {

bool MainWindow::openProject(const QString &path)
{
    if (!m_session->open(path)) {
        m_problemsDock->show();
        return false;
    }
    m_shardWatch->stop(); // its shards are the previous project's search
    m_history->clear();   // and so are its runs
    // What the status bar said was about the previous project.
    if (!m_searchJob->isRunning()) {
        m_searchLabel->clear();
        m_searchBar->hide();
    }
    statusBar()->showMessage(tr("Opened %1").arg(path));
    m_recent->add(path);
    loadResultsBesideProject();
    updateResumeAction();
    return true;
}

void MainWindow::openInteractively()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                      tr("Phaze projects (*.yaml *.yml)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::loadResultsBesideProject()
{
    const QString path =
        QString::fromStdString(resultsPathFor(m_session->filePath().toStdString()));
    if (!QFileInfo::exists(path))
        return;
    statusBar()->showMessage(tr("Loading the saved results %1...").arg(path));
    m_resultsLoader.run([path, snapshot = m_session->snapshot()](const CancelToken &) {
        LoadedResults loaded;
        loaded.path = path;
        loaded.project = snapshot;
        loaded.result = loadCodesignResult(path.toStdString());
        if (loaded.result.hasValue()) {
            const Result<std::string> fingerprint =
                searchFingerprint(snapshot.project, snapshot.baseDir);
            loaded.matches =
                fingerprint.hasValue() && *fingerprint.value == loaded.result.value->fingerprint;
        }
        return loaded;
    });
}

void MainWindow::saveResultsBesideProject()
{
    const auto &result = m_session->results()->result();
    if (!m_savesResults || m_session->filePath().isEmpty() || !result)
        return;
    // A big search writes tens of megabytes of JSON: off the GUI thread, from a copy.
    const std::string path = resultsPathFor(m_session->filePath().toStdString());
    m_resultsSaver.run([path, result = *result](const CancelToken &) {
        return SavedResults{QString::fromStdString(saveCodesignResult(result, path).message), {},
                            {}, false};
    });
}

namespace {

// The search's candidates (the finished result's own list; a result read from a file has none,
// so the searched project's are built again) are the project's now: same configurations, same
// areas.
bool sameCandidates(const CodesignResult &result, const ProjectSnapshot &searched,
                    const ProjectSnapshot &now)
{
    Result<std::vector<Candidate>> before = Result<std::vector<Candidate>>::optimal(result.candidates);
    if (result.candidates.empty())
        before = buildCandidates(searched.project, searched.baseDir);
    const Result<std::vector<Candidate>> after = buildCandidates(now.project, now.baseDir);
    if (!before.hasValue() || !after.hasValue() || before.value->size() != after.value->size())
        return false;
    for (std::size_t i = 0; i < after.value->size(); ++i)
        if ((*before.value)[i].config != (*after.value)[i].config ||
            (*before.value)[i].areaMm2 != (*after.value)[i].areaMm2)
            return false;
    return true;
}

} // namespace

void MainWindow::resultsFollowTheSavedProject(bool newFile)
{
    const ResultStore *store = m_session->results();
    const ProjectSnapshot *searched = store->searchedProject();
    if (!m_savesResults || !store->result() || !searched || m_searchJob->isRunning())
        return;
    ProjectSnapshot now = m_session->snapshot();
    if (now.project == searched->project && now.baseDir == searched->baseDir) {
        if (newFile) // a search run before the first save gets its results file now
            saveResultsBesideProject();
        return;
    }
    // Only the fixed architecture differs ("Use selected", or an edit in the Accelerator dock):
    // the search depends on it only through its candidates (the space's base), so the results
    // still hold when those are the same. Any other edit leaves the old file as it was: it
    // belongs to the project before the edit.
    if (!sameSearchBesidesArchitecture(*searched, now))
        return;
    const std::string path = resultsPathFor(m_session->filePath().toStdString());
    m_resultsSaver.run([path, result = *store->result(), searched = *searched,
                        now = std::move(now)](const CancelToken &) mutable {
        if (!sameCandidates(result, searched, now))
            return SavedResults{{}, {}, {}, true};
        const Result<std::string> fingerprint = searchFingerprint(now.project, now.baseDir);
        if (!fingerprint.hasValue())
            return SavedResults{QString::fromStdString(fingerprint.message), {}, {}, false};
        result.fingerprint = *fingerprint.value;
        const Outcome written = saveCodesignResult(result, path);
        return SavedResults{QString::fromStdString(written.message), *fingerprint.value,
                            std::move(now), false};
    });
}

bool MainWindow::save()
{
    if (m_session->filePath().isEmpty())
        return saveAs();
    const QString error = m_session->save();
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Save failed"), error);
        return false;
    }
    resultsFollowTheSavedProject(false);
    return true;
}

bool MainWindow::saveAs()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save project"), m_session->filePath(), tr("Phaze projects (*.yaml)"));
    if (path.isEmpty())
        return false;
    const QString error = m_session->saveAs(path);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Save failed"), error);
        return false;
    }
    m_recent->add(path);
    resultsFollowTheSavedProject(true);
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_session->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("Save the changes to %1?").arg(m_session->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    if (answer == QMessageBox::Discard && m_recovery)
        m_recovery->discard();
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    if (m_searchJob->isRunning())
        m_searchJob->cancel();
    if (m_recovery)
        m_recovery->discard();
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    event->accept();
}

void MainWindow::enableRecovery(const QString &directory)
{
    delete m_recovery;
    m_recovery = new RecoveryFile(m_session, directory, this);
}

void MainWindow::offerRecovery(const QString &directory)
{
    for (const RecoveryFile::Orphan &orphan : RecoveryFile::orphans(directory)) {
        const QString name = orphan.originalPath.isEmpty()
                                 ? tr("an untitled project")
                                 : QFileInfo(orphan.originalPath).fileName();
        const auto answer = QMessageBox::question(
            this, tr("Recover unsaved changes"),
            tr("Phaze Workbench did not close normally. Recover the unsaved changes to %1 "
               "from %2?")
                .arg(name, QLocale().toString(orphan.written, QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
        if (answer == QMessageBox::Yes) {
            QString error;
            const std::optional<ProjectSpec> recovered = RecoveryFile::read(orphan, &error);
            if (!recovered || !m_session->restoreRecovered(orphan.originalPath, *recovered)) {
                QMessageBox::warning(this, tr("Recovery failed"),
                                     error.isEmpty() ? tr("The project could not be opened.")
                                                     : error);
                continue; // keep the file: nothing is lost
            }
            RecoveryFile::remove(orphan);
            if (m_recovery)
                m_recovery->writeNow();
            return; // one project per window
        }
        RecoveryFile::remove(orphan);
    }
}

} // namespace phaze
