#pragma once

// The workbench main window: wires the session to the panels, tabs, menus and status bar. It
// holds no engine logic (conventions.md rule 13: the main window only wires panels together).
// mainwindow.cpp builds the window and runs searches; mainwindowfiles.cpp opens and saves
// projects, their results and their recovery files; mainwindowexport.cpp exports figures and
// traces; mainwindowshards.cpp shows a distributed search's shards; mainwindowruns.cpp keeps
// the earlier runs; mainwindowlayout.cpp keeps the docks' layout and shows the user guide.

#include <QDeadlineTimer>
#include <QList>
#include <QMainWindow>
#include <QMap>
#include <QPixmap>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>
#include <vector>

#include "core/base/status.h"
#include "core/io/projectsearch.h"
#include "widgets/backgroundjob.h"
#include "widgets/exportdialog.h"
#include "widgets/resultstore.h"

class QAction;
class QDialog;
class QCustomPlot;
class QDockWidget;
class QLabel;
class QProgressBar;
class QTabWidget;

namespace phaze {

class Session;
class CompareTab;
class LayerScheduleTab;
class MemoryTab;
class TimeTab;
class PinnedTab;
class PipelineTab;
class ParetoPlot;
class ProjectOverview;
class ProblemsPanel;
class RecentFiles;
class RecoveryFile;
class SearchHistory;
class SearchJob;
class ValidationView;
class ShardWatch;
class SweepTab;
class WhatIfJob;
struct SearchProgress;
struct ShardSetStatus;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a project; on failure the problems panel shows why and the current project stays.
    // Results saved beside it (a .results.json of the same project version) are loaded too.
    bool openProject(const QString &path);
    // The dock layout of the last session (mainwindowlayout.cpp), and the one of a first start:
    // every dock shown, docked where it starts, at its first size.
    void restoreLayout();
    void resetLayout();
    // Help > User Guide: docs/user-guide.md in a window of its own (not modal).
    void showUserGuide();
    SearchJob *searchJob() const { return m_searchJob; }
    WhatIfJob *whatIfJob() const { return m_whatIf; }
    RecentFiles *recentFiles() const { return m_recent; }
    QAction *runSearchAction() const { return m_runSearch; }
    QAction *cancelSearchAction() const { return m_cancelSearch; }
    // Search > Exact Pareto fronts (checkable): passed to the next search as
    // CodesignOptions::exactFronts.
    QAction *exactFrontsAction() const { return m_exactFronts; }
    // Shows the Explore tab (the Pareto plot of the last search).
    void showExplore();
    ParetoPlot *explorePlot() const { return m_explore; }
    // Shows a distributed search of the open project as one search, live, from the shards'
    // journals and progress files among paths (a folder: its *.jsonl); the status bar follows
    // it (mainwindowshards.cpp). Returns false (nothing starts) while a search runs.
    bool openShardSet(const QStringList &paths);
    ShardWatch *shardWatch() const { return m_shardWatch; }
    ValidationView *validationView() const { return m_validation; }
    PinnedTab *pinnedTab() const { return m_pinnedTab; }
    SweepTab *sweepTab() const { return m_sweepTab; }
    // The searches run on the open project (Search > Earlier Runs, mainwindowruns.cpp).
    SearchHistory *searchHistory() const { return m_history; }
    // Shows an earlier run in every view; false while a search runs or for an unknown run.
    bool reopenRun(int number);

    // Tabs by their command-line names: project, explore, results, schedule, pipeline, memory,
    // time, compare, chip, pinned, sweep, validation. showTab returns false for an unknown name.
    QStringList tabNames() const { return m_tabsByName.keys(); }
    // The tabs and the views inside one that showTab also shows: "roofline" (the Layer
    // schedule tab's roofline view) and "pinned-pipelines" (the Pinned tab's pipelines page).
    QStringList viewNames() const;
    bool showTab(const QString &name);
    // The window as it looks once the layouts the last results asked for are done (a label
    // that now wraps to more lines): grab() alone shows the layout of the previous turn.
    QPixmap screenshot();
    // Whether nothing computes that the window shows: the current tab, the what-if evaluation
    // and the search have finished.
    bool isIdle() const;
    // Calls then(true) once isIdle(), or then(false) when timeoutMs passed first. It returns at
    // once and then runs later from the event loop, never from inside this call: nothing waits
    // in a nested event loop (conventions.md rule 9).
    void whenIdle(std::function<void(bool idle)> then, int timeoutMs = kIdleTimeoutMs);
    static constexpr int kIdleTimeoutMs = 120000;

    // Crash recovery of unsaved edits into directory (the application's data folder by
    // default); offerRecovery asks about files left by a workbench that did not close.
    void enableRecovery(const QString &directory);
    void offerRecovery(const QString &directory);
    RecoveryFile *recoveryFile() const { return m_recovery; }

    // Starts writing every figure (Pareto front, pipeline, layer schedule, memory, compare) of
    // the focused configuration into folder as name.suffix for each suffix: each tab is shown
    // in turn and written once it has computed, while the event loop runs. figuresExported
    // reports the files written and what failed (a figure without data is skipped and listed);
    // the status bar says how it went. Returns false (nothing starts) while an export runs.
    // Journals the workbench's searches in `directory` (one per project file), so that one it
    // did not finish can be resumed (Search > Resume Search); off until called.
    void enableSearchJournals(const QString &directory);
    // The journal of the open project's search, "" when journals are off or it has no file.
    QString searchJournalPath() const;
    QAction *resumeSearchAction() const { return m_resumeSearch; }
    bool exportAllFigures(const QString &folder, const QStringList &suffixes, double widthInches,
                          double heightInches, int dpi,
                          LegendPlacement legend = LegendPlacement::Below);
    bool isExportingFigures() const { return m_figureExport.has_value(); }
    // Starts writing the Chrome trace of the layer schedules (pipeline false) or of the pipeline
    // timeline of the focused configuration to path, once its tab has computed; traceExported
    // follows, and the status bar says how it went.
    void exportTrace(bool pipeline, const QString &path);
    // Chrome-trace JSON of the layer schedules / the pipeline timeline shown now; "" or the
    // error.
    QString exportScheduleTrace(const QString &path);
    QString exportPipelineTrace(const QString &path);
    // Writes the results beside the project (after a search) on the thread pool; the status bar
    // reports the outcome. isSavingResults() while it runs.
    void saveResultsBesideProject();
    bool isSavingResults() const { return m_resultsSaver.isRunning(); }
    // Saves the project (Save As... when it has no file yet); false when it was not saved.
    bool save();
    // Whether a finished search writes its results beside the project (off for screenshots).
    void setSavesResults(bool on) { m_savesResults = on; }

signals:
    // An exportAllFigures run ended: the files written, and what failed.
    void figuresExported(const QStringList &written, const QStringList &errors);
    // An exportTrace run ended: error is "" when path was written.
    void traceExported(const QString &path, const QString &error);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createTabs();
    void applyDefaultDockSizes();
    void createMenus();
    void createExportMenu(QMenu *file);
    void createSearchActions();
    void runSearch();
    void resumeSearch();
    // Starts a search of the project, journalled when journals are on; resume: from the
    // project's journal (mainwindowresume.cpp).
    void startSearch(bool resume);
    // The complete evaluations of a journal of this project's current search (0: none, or of
    // another search), and the Resume action enabled and labelled accordingly.
    long long resumableEvaluations() const;
    void updateResumeAction();
    void forgetFinishedJournal();
    void showSearchProgress(const SearchProgress &progress);
    void searchFinished();
    void connectShardWatch();
    // A finished search joins the history; returns its number (0: nothing to keep).
    int recordRun();
    // Says in the status bar when the results shown are of the project before its edits.
    void showWhetherResultsAreStale();
    // The two projects differ at most in their fixed architecture, which the search uses only
    // as the base of its candidates (the what-if evaluates it): the same search when those are
    // the same.
    static bool sameSearchBesidesArchitecture(const ProjectSnapshot &a, const ProjectSnapshot &b);
    void openShardSetInteractively();
    void showShardStatus(const ShardSetStatus &status);
    QDockWidget *addPanelDock(const QString &title, const QString &name, QWidget *panel,
                              Qt::DockWidgetArea area);
    void addTab(QWidget *tab, const QString &title, const QString &name);
    void updateTitle();
    bool maybeSave();
    bool saveAs();
    // After the project was saved: the results beside it follow it (saveResultsBesideProject,
    // or rebased after an edit the search does not depend on).
    void resultsFollowTheSavedProject(bool newFile);
    void openInteractively();
    void loadResultsBesideProject();
    void exportAllInteractively();
    void exportTraceInteractively(bool pipeline);
    void startTraceExport(bool pipeline, const QString &path, bool interactive);
    // Shows the tab and calls then() once it (and the rest, see isIdle) has computed; when the
    // user switched to another tab meanwhile, shows it again and waits again.
    void whenTabIdle(const QString &tab, std::function<void(bool idle)> then);
    void checkIdle();
    void exportNextFigure();
    void writeFigure(bool idle);
    void finishFigureExport();
    // The figures exportAllFigures writes: file base name, tab name, plot.
    struct Figure {
        QString fileName;
        QString tab;
        QCustomPlot *plot;
    };
    QList<Figure> figures() const;
    // A running exportAllFigures.
    struct FigureExport {
        QString folder;
        QStringList suffixes;
        FigureSize size;
        bool interactive = false; // failures are shown in a message box too
        QList<Figure> figures;
        int next = 0; // of figures
        QStringList written;
        QStringList failed;
        QWidget *returnTo = nullptr; // the tab shown before
    };
    struct IdleWaiter {
        std::function<void(bool)> then;
        QDeadlineTimer deadline;
    };

    Session *m_session;
    QTabWidget *m_tabs;
    QMap<QString, QWidget *> m_tabsByName;
    ProjectOverview *m_overview;
    ProblemsPanel *m_problems;
    QDockWidget *m_problemsDock;
    SearchJob *m_searchJob;
    ShardWatch *m_shardWatch;
    SearchHistory *m_history = nullptr;
    WhatIfJob *m_whatIf;
    ParetoPlot *m_explore;
    LayerScheduleTab *m_scheduleTab = nullptr;
    PipelineTab *m_pipelineTab = nullptr;
    MemoryTab *m_memoryTab = nullptr;
    TimeTab *m_timeTab = nullptr;
    CompareTab *m_compareTab = nullptr;
    PinnedTab *m_pinnedTab = nullptr;
    SweepTab *m_sweepTab = nullptr;
    ValidationView *m_validation = nullptr;
    RecentFiles *m_recent = nullptr;
    RecoveryFile *m_recovery = nullptr;
    QAction *m_runSearch = nullptr;
    QAction *m_cancelSearch = nullptr;
    QAction *m_resumeSearch = nullptr;
    QAction *m_exactFronts = nullptr;
    QProgressBar *m_searchBar;
    QLabel *m_searchLabel;
    QLabel *m_whatIfLabel;
    QLabel *m_staleLabel = nullptr;
    QList<QDockWidget *> m_panelDocks;
    bool m_layoutApplied = false;
    QByteArray m_defaultLayout; // saveState() as built, for resetLayout
    QDialog *m_userGuide = nullptr;
    bool m_savesResults = true;
    QString m_journalDirectory; // "" : searches are not journalled
    std::optional<FigureExport> m_figureExport;
    std::vector<IdleWaiter> m_idleWaiters;
    // Answers the waiters: the jobs' signals trigger it, and it polls as a fallback (a job whose
    // result is dropped ends without a signal).
    QTimer m_idleCheck;
    // Loads the results saved beside an opened project (off the GUI thread).
    struct LoadedResults {
        QString path;
        Result<CodesignResult> result = Result<CodesignResult>::error("");
        bool matches = false;    // its fingerprint is the project's
        ProjectSnapshot project; // the one it was checked against

        static LoadedResults error(const std::string &why)
        {
            LoadedResults out;
            out.result = Result<CodesignResult>::error(why);
            return out;
        }
    };
    BackgroundJob<LoadedResults> m_resultsLoader;
    // Writes the results beside the project (off the GUI thread); after an edit that changed
    // nothing the search depends on (its fixed architecture, "Use selected"), under the edited
    // project's fingerprint, so that they still load with it.
    struct SavedResults {
        QString error; // "" when written
        // Set when the results now belong to the edited project.
        std::optional<std::string> fingerprint;
        std::optional<ProjectSnapshot> project;
        bool stale = false; // the edit changed the search's candidates: not written
    };
    BackgroundJob<SavedResults> m_resultsSaver;
};

} // namespace phaze
