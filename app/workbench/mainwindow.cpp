#include "app/workbench/mainwindow.h"

#include <algorithm>
#include <climits>

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScopeGuard>
#include <QStatusBar>
#include <QCoreApplication>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

#include "widgets/acceleratorpanel.h"
#include "widgets/comparetab.h"
#include "widgets/layerscheduletab.h"
#include "widgets/memorytab.h"
#include "widgets/paretoplot.h"
#include "widgets/pinnedtab.h"
#include "widgets/pipelinetab.h"
#include "widgets/problemspanel.h"
#include "widgets/projectoverview.h"
#include "widgets/projectpanel.h"
#include "widgets/recentfiles.h"
#include "widgets/resultstab.h"
#include "widgets/searchhistory.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/shardwatch.h"
#include "widgets/sweeptab.h"
#include "widgets/timetab.h"
#include "widgets/validationview.h"
#include "widgets/whatifjob.h"

// The icons and the user guide are compiled into the static widget library; its resources
// need registering wherever the window is built (the workbench, the window tests).
static void registerResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace phaze {

using namespace Qt::StringLiterals;

MainWindow::MainWindow(Session *session, QWidget *parent)
    : QMainWindow(parent), m_session(session), m_tabs(new QTabWidget(this)),
      m_overview(new ProjectOverview(session, this)), m_problems(new ProblemsPanel(session, this)),
      m_problemsDock(new QDockWidget(tr("Problems"), this)),
      m_searchJob(new SearchJob(session, this)), m_shardWatch(new ShardWatch(session, this)),
      m_whatIf(new WhatIfJob(session, this)),
      m_explore(new ParetoPlot(session->results(), this)), m_searchBar(new QProgressBar(this)),
      m_searchLabel(new QLabel(this)), m_whatIfLabel(new QLabel(this)),
      m_resultsLoader(
          this,
          [this](LoadedResults loaded) {
              if (!loaded.result.hasValue()) {
                  statusBar()->showMessage(tr("Saved results not loaded: %1")
                                               .arg(QString::fromStdString(loaded.result.message)));
              } else if (!loaded.matches) {
                  statusBar()->showMessage(tr("%1 belongs to another version of the project: not "
                                              "loaded (run the search again)")
                                               .arg(loaded.path));
              } else { // runSearch cancels a load: a search's results are never replaced
                  m_session->results()->setSearchedProject(std::move(loaded.project));
                  m_session->results()->setResult(std::move(*loaded.result.value));
                  m_history->setShown(std::nullopt); // the saved results, not a run of today
                  statusBar()->showMessage(tr("Loaded the saved results %1").arg(loaded.path));
              }
          }),
      m_resultsSaver(this, [this](SavedResults saved) {
          if (saved.stale) {
              statusBar()->showMessage(tr("The search's results are of the project before the "
                                          "edit, which changed its candidates: run the search "
                                          "again"));
              return;
          }
          if (saved.error.isEmpty() && saved.fingerprint && saved.project)
              m_session->results()->rebaseResult(std::move(*saved.project),
                                                 std::move(*saved.fingerprint));
          statusBar()->showMessage(saved.error.isEmpty()
                                       ? tr("Results saved beside the project")
                                       : tr("Results not saved: %1").arg(saved.error));
      })
{
    registerResources();
    setObjectName("mainWindow");
    setWindowIcon(QIcon(u":/icons/phaze-workbench.svg"_s));
    createTabs();
    connectShardWatch();
    m_problemsDock->setObjectName("problemsDock");
    m_problemsDock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    addPanelDock(tr("Project"), u"projectDock"_s, new ProjectPanel(session, this),
                 Qt::LeftDockWidgetArea);
    addPanelDock(tr("Accelerator"), u"acceleratorDock"_s, new AcceleratorPanel(session, this),
                 Qt::RightDockWidgetArea);
    createMenus();
    // The rows shown stay those of the project as it was searched; edits since are not in them.
    m_staleLabel = new QLabel(tr("<i>Results of the project before its edits (F5 searches "
                                 "again)</i>"),
                              this);
    m_staleLabel->setObjectName("staleResultsLabel");
    m_staleLabel->hide();
    statusBar()->addPermanentWidget(m_staleLabel);
    connect(session, &Session::projectChanged, this, &MainWindow::showWhetherResultsAreStale);
    connect(session->results(), &ResultStore::resultsReset, this,
            &MainWindow::showWhetherResultsAreStale);
    m_whatIfLabel->setObjectName("whatIfLabel");
    // Permanent, so that transient status messages do not paint over it.
    statusBar()->addPermanentWidget(m_whatIfLabel);
    connect(m_whatIf, &WhatIfJob::started, this,
            [this] { m_whatIfLabel->setText(m_whatIf->statusText()); });
    connect(m_whatIf, &WhatIfJob::evaluated, this,
            [this] { m_whatIfLabel->setText(m_whatIf->statusText()); });
    connect(session, &Session::filePathChanged, this, &MainWindow::updateTitle);
    connect(session, &Session::modifiedChanged, this, &MainWindow::updateTitle);
    connect(session, &Session::problemsChanged, this, [this] {
        const auto n = m_session->problems().size();
        statusBar()->showMessage(n == 0 ? tr("Ready")
                                        : tr("%n problem(s) in the project", "", int(n)));
        if (n > 0)
            m_problemsDock->show();
    });
    // Whoever waits for the window to be idle hears of it as soon as a job reports; the poll
    // catches a job that ends without a signal (a cancelled run's dropped result).
    m_idleCheck.setInterval(50);
    connect(&m_idleCheck, &QTimer::timeout, this, &MainWindow::checkIdle);
    const auto recheck = [this] {
        if (!m_idleWaiters.empty())
            QMetaObject::invokeMethod(this, &MainWindow::checkIdle, Qt::QueuedConnection);
    };
    connect(m_whatIf, &WhatIfJob::evaluated, this, recheck);
    connect(m_searchJob, &SearchJob::finished, this, recheck);
    connect(m_scheduleTab, &LayerScheduleTab::scheduleReady, this, recheck);
    connect(m_pipelineTab, &PipelineTab::replayReady, this, recheck);
    connect(m_memoryTab, &MemoryTab::replayReady, this, recheck);
    connect(m_timeTab, &TimeTab::replayReady, this, recheck);
    connect(m_sweepTab, &SweepTab::sweepFinished, this, recheck);
    resize(1280, 800);
    updateTitle();
    statusBar()->showMessage(tr("Ready"));
    m_defaultLayout = saveState(); // every dock shown where addPanelDock put it
}

MainWindow::~MainWindow() = default;

void MainWindow::createTabs()
{
    m_tabs->setObjectName("centralTabs");
    m_scheduleTab = new LayerScheduleTab(m_session, this);
    m_pipelineTab = new PipelineTab(m_session, this);
    m_memoryTab = new MemoryTab(m_session, this);
    m_timeTab = new TimeTab(m_session, this);
    m_compareTab = new CompareTab(m_session, this);
    m_validation = new ValidationView(this);
    m_pinnedTab = new PinnedTab(m_session, this);
    m_sweepTab = new SweepTab(m_session, this);
    addTab(m_overview, tr("Project"), u"project"_s);
    addTab(m_explore, tr("Explore"), u"explore"_s);
    addTab(new ResultsTab(m_session->results(), this), tr("Results"), u"results"_s);
    addTab(m_scheduleTab, tr("Layer schedule"), u"schedule"_s);
    addTab(m_pipelineTab, tr("Pipeline"), u"pipeline"_s);
    addTab(m_memoryTab, tr("Memory"), u"memory"_s);
    addTab(m_timeTab, tr("Time"), u"time"_s);
    addTab(m_compareTab, tr("Compare"), u"compare"_s);
    addTab(m_compareTab->breakdownPlot(), tr("Chip"), u"chip"_s);
    addTab(m_pinnedTab, tr("Pinned"), u"pinned"_s);
    addTab(m_sweepTab, tr("Sweep"), u"sweep"_s);
    addTab(m_validation, tr("Validation"), u"validation"_s);
    setCentralWidget(m_tabs);
}

void MainWindow::addTab(QWidget *tab, const QString &title, const QString &name)
{
    m_tabs->addTab(tab, title);
    m_tabsByName.insert(name, tab);
}

QPixmap MainWindow::screenshot()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return grab();
}

QStringList MainWindow::viewNames() const
{
    return tabNames() << u"roofline"_s << u"pinned-pipelines"_s;
}

bool MainWindow::showTab(const QString &name)
{
    if (name.toLower() == u"roofline"_s) {
        m_tabs->setCurrentWidget(m_scheduleTab);
        m_scheduleTab->setShowsRoofline(true);
        return true;
    }
    if (name.toLower() == u"pinned-pipelines"_s) {
        m_tabs->setCurrentWidget(m_pinnedTab);
        m_pinnedTab->views()->setCurrentWidget(m_pinnedTab->pipelines());
        return true;
    }
    QWidget *tab = m_tabsByName.value(name.toLower());
    if (!tab)
        return false;
    m_tabs->setCurrentWidget(tab);
    return true;
}

bool MainWindow::isIdle() const
{
    QWidget *tab = m_tabs->currentWidget();
    return !m_whatIf->isPending() && !m_searchJob->isRunning() &&
           !(tab == m_explore && m_explore->isRebuildPending()) &&
           !(tab == m_scheduleTab && m_scheduleTab->isRunning()) &&
           !(tab == m_pipelineTab && m_pipelineTab->isRunning()) &&
           !(tab == m_memoryTab && m_memoryTab->isRunning()) &&
           !(tab == m_timeTab && m_timeTab->isRunning()) && !m_validation->isRunning() &&
           !m_sweepTab->isRunning() &&
           !(tab == m_pinnedTab && m_pinnedTab->pipelines()->isRunning());
}

void MainWindow::whenIdle(std::function<void(bool)> then, int timeoutMs)
{
    m_idleWaiters.push_back({std::move(then), QDeadlineTimer(timeoutMs)});
    // The first answer comes from the event loop too: a caller may go on after this call.
    QMetaObject::invokeMethod(this, &MainWindow::checkIdle, Qt::QueuedConnection);
    m_idleCheck.start();
}

void MainWindow::checkIdle()
{
    const bool idle = isIdle();
    std::vector<IdleWaiter> answered;
    for (auto it = m_idleWaiters.begin(); it != m_idleWaiters.end();) {
        if (idle || it->deadline.hasExpired()) {
            answered.push_back(std::move(*it));
            it = m_idleWaiters.erase(it);
        } else {
            ++it;
        }
    }
    if (m_idleWaiters.empty())
        m_idleCheck.stop();
    // After the list is settled: a callback may wait again (the next figure of an export).
    for (IdleWaiter &waiter : answered)
        waiter.then(idle);
}

QDockWidget *MainWindow::addPanelDock(const QString &title, const QString &name, QWidget *panel,
                                      Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(panel);
    addDockWidget(area, dock);
    m_panelDocks.append(dock);
    return dock;
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project"), QKeySequence::New, this, [this] {
        if (!maybeSave())
            return;
        m_shardWatch->stop();
        m_history->clear();
        m_session->newProject();
    });
    file->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::openInteractively);
    QMenu *recent = file->addMenu(tr("Open &Recent"));
    recent->setObjectName("recentMenu");
    m_recent = new RecentFiles(recent, this);
    connect(m_recent, &RecentFiles::openRequested, this, [this](const QString &path) {
        if (maybeSave())
            openProject(path);
    });
    QAction *shards = file->addAction(tr("Open S&hard Set..."), this,
                                      &MainWindow::openShardSetInteractively);
    shards->setObjectName("openShardSet");
    shards->setToolTip(tr("Show a search split over a cluster (phaze search --shard I/N "
                          "--journal ...) as one search of this project, live, from its journals"));
    file->addAction(tr("&Save"), QKeySequence::Save, this, [this] { save(); });
    file->addAction(tr("Save &As..."), QKeySequence::SaveAs, this, [this] { saveAs(); });
    file->addSeparator();
    createExportMenu(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_session->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_session->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : m_panelDocks)
        view->addAction(dock->toggleViewAction());
    view->addAction(m_problemsDock->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout)
        ->setObjectName("resetLayout");

    createSearchActions();
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&User Guide"), QKeySequence::HelpContents, this,
                    &MainWindow::showUserGuide)
        ->setObjectName("userGuide");
    help->addAction(tr("&About Phaze Workbench"), this, [this] {
        QMessageBox::about(this, tr("About Phaze Workbench"),
                           tr("<b>Phaze Workbench %1</b><p>Co-design of a deep-learning training "
                              "accelerator and its device placement, after PHAZE (Wang et al., "
                              "ICML 2024).</p>")
                               .arg(QStringLiteral(PHAZE_VERSION)));
    });
}

void MainWindow::createSearchActions()
{
    QMenu *search = menuBar()->addMenu(tr("&Search"));
    m_runSearch = search->addAction(tr("&Run Search"), QKeySequence(Qt::Key_F5), this,
                                    &MainWindow::runSearch);
    m_runSearch->setObjectName("runSearch");
    m_cancelSearch = search->addAction(tr("&Cancel Search"), QKeySequence(Qt::Key_Escape),
                                       m_searchJob, &SearchJob::cancel);
    m_cancelSearch->setObjectName("cancelSearch");
    m_cancelSearch->setEnabled(false);
    // A search the workbench did not finish (cancelled, or the program killed) continues from
    // its journal: what it evaluated is not evaluated again.
    m_resumeSearch = search->addAction(tr("Res&ume Search"), this, &MainWindow::resumeSearch);
    m_resumeSearch->setObjectName("resumeSearch");
    m_resumeSearch->setEnabled(false);
    m_resumeSearch->setToolTip(tr("Continues the last search of this project that did not "
                                  "finish, from its journal"));
    search->addSeparator();
    // By default the search prunes every candidate that cannot beat the best, so the Explore
    // tab's front misses its cheap end; phaze search --exact-fronts is the same switch.
    m_exactFronts = search->addAction(tr("E&xact Pareto fronts"));
    m_exactFronts->setObjectName("exactFronts");
    m_exactFronts->setCheckable(true);
    m_exactFronts->setToolTip(tr("Evaluates more candidates (only those another evaluated design "
                                 "beats in throughput, area and HBM are pruned); the area and HBM "
                                 "Pareto fronts are then exact"));
    m_exactFronts->setStatusTip(m_exactFronts->toolTip());
    search->setToolTipsVisible(true);
    QMenu *earlier = search->addMenu(tr("Earlier &Runs"));
    earlier->setObjectName("earlierRuns");
    m_history = new SearchHistory(earlier, this);
    connect(m_history, &SearchHistory::reopenRequested, this, &MainWindow::reopenRun);
    search->addSeparator();
    search->addAction(tr("Re-evaluate the current architecture"), QKeySequence(Qt::Key_F6),
                      m_whatIf, &WhatIfJob::evaluateNow);
    // Pinned designs outlive a new search and a reopened run: the way runs are compared.
    QAction *pin = search->addAction(tr("&Pin Focused Design"),
                                     QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), this, [this] {
                                         m_pinnedTab->pinFocused();
                                         showTab(u"pinned"_s);
                                     });
    pin->setObjectName("pinFocused");
    search->addAction(tr("S&weep a Parameter..."), this, [this] { showTab(u"sweep"_s); })
        ->setObjectName("showSweep");
    QToolBar *toolbar = addToolBar(tr("Search"));
    toolbar->setObjectName("searchToolbar");
    toolbar->addAction(m_runSearch);
    toolbar->addAction(m_cancelSearch);

    m_searchBar->setObjectName("searchProgress");
    m_searchBar->setMaximumWidth(220);
    m_searchBar->hide();
    m_searchLabel->setObjectName("searchLabel");
    statusBar()->addPermanentWidget(m_searchLabel);
    statusBar()->addPermanentWidget(m_searchBar);
    connect(m_searchJob, &SearchJob::progressChanged, this, &MainWindow::showSearchProgress);
    connect(m_searchJob, &SearchJob::finished, this, &MainWindow::searchFinished);
}

void MainWindow::showExplore()
{
    m_tabs->setCurrentWidget(m_explore);
}

void MainWindow::showSearchProgress(const SearchProgress &p)
{
    m_searchBar->setRange(0, int(std::min<long long>(p.total, INT_MAX)));
    m_searchBar->setValue(int(std::min<long long>(p.done, INT_MAX)));
    QString text = tr("%1 / %2 done, %3 pruned").arg(p.done).arg(p.total).arg(p.pruned);
    if (p.best)
        text += tr(", best %1 samples/s").arg(*p.best, 0, 'f', 1);
    if (p.etaSeconds)
        text += tr(", ETA %1 s").arg(*p.etaSeconds, 0, 'f', 0);
    m_searchLabel->setText(text);
}

void MainWindow::searchFinished()
{
    m_runSearch->setEnabled(true);
    m_cancelSearch->setEnabled(false);
    m_searchBar->hide();
    const SearchProgress &p = m_searchJob->progress();
    // After the switch: a finished search's journal is gone, a cancelled one's is resumable.
    const auto resumable = qScopeGuard([this] { updateResumeAction(); });
    // The run joins the history; from the second on, the label says the earlier ones are kept.
    const auto runText = [this](int run) {
        return run > 1 ? tr(" (run %1; earlier runs: Search > Earlier Runs)").arg(run) : QString();
    };
    switch (m_searchJob->lastStatus()) {
    case Status::Optimal:
    case Status::Feasible: {
        QString text =
            tr("Search done: %1 evaluated, %2 pruned%3")
                .arg(p.done - p.pruned)
                .arg(p.pruned)
                .arg(p.best ? tr(", best %1 samples/s").arg(*p.best, 0, 'f', 1) : QString());
        m_searchLabel->setText(text + runText(recordRun()));
        saveResultsBesideProject();
        forgetFinishedJournal();
        break;
    }
    case Status::Cancelled:
        m_searchLabel->setText(tr("Search cancelled") + runText(recordRun()) +
                               (searchJournalPath().isEmpty()
                                    ? QString()
                                    : tr("; Search > Resume Search continues it")));
        break;
    default:
        m_searchLabel->setText(tr("Search failed"));
        QMessageBox::warning(this, tr("Search failed"), m_searchJob->lastMessage());
    }
}

void MainWindow::updateTitle()
{
    setWindowTitle(
        tr("%1%2 - Phaze Workbench")
            .arg(m_session->displayName(), m_session->isModified() ? u"*"_s : QString()));
}

} // namespace phaze
