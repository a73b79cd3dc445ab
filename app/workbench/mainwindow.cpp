#include "app/workbench/mainwindow.h"

#include <algorithm>
#include <climits>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

#include "widgets/acceleratorpanel.h"
#include "widgets/layerscheduletab.h"
#include "widgets/paretoplot.h"
#include "widgets/pipelinetab.h"
#include "widgets/problemspanel.h"
#include "widgets/projectpanel.h"
#include "widgets/projectoverview.h"
#include "widgets/resultstab.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"

namespace phaze {

MainWindow::MainWindow(Session *session, QWidget *parent)
    : QMainWindow(parent), m_session(session), m_tabs(new QTabWidget(this)),
      m_overview(new ProjectOverview(session, this)), m_problems(new ProblemsPanel(session, this)),
      m_problemsDock(new QDockWidget(tr("Problems"), this)),
      m_searchJob(new SearchJob(session, this)),
      m_explore(new ParetoPlot(session->results(), this)), m_searchBar(new QProgressBar(this)),
      m_searchLabel(new QLabel(this))
{
    setObjectName("mainWindow");
    setWindowIcon(QIcon(":/icons/phaze-workbench.svg"));
    m_tabs->setObjectName("centralTabs");
    m_tabs->addTab(m_overview, tr("Project"));
    m_tabs->addTab(m_explore, tr("Explore"));
    m_tabs->addTab(new ResultsTab(session->results(), this), tr("Results"));
    m_tabs->addTab(new LayerScheduleTab(session, this), tr("Layer schedule"));
    m_tabs->addTab(new PipelineTab(session, this), tr("Pipeline"));
    setCentralWidget(m_tabs);
    m_problemsDock->setObjectName("problemsDock");
    m_problemsDock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    addPanelDock(tr("Project"), "projectDock", new ProjectPanel(session, this),
                 Qt::LeftDockWidgetArea);
    addPanelDock(tr("Accelerator"), "acceleratorDock", new AcceleratorPanel(session, this),
                 Qt::RightDockWidgetArea);
    createMenus();
    connect(session, &Session::filePathChanged, this, &MainWindow::updateTitle);
    connect(session, &Session::modifiedChanged, this, &MainWindow::updateTitle);
    connect(session, &Session::problemsChanged, this, [this] {
        const auto n = m_session->problems().size();
        statusBar()->showMessage(n == 0 ? tr("Ready")
                                        : tr("%n problem(s) in the project", "", int(n)));
        if (n > 0)
            m_problemsDock->show();
    });
    resize(1280, 800);
    updateTitle();
    statusBar()->showMessage(tr("Ready"));
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

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Dock sizes only take effect once the window is laid out; later runs restore the saved state.
    if (!m_layoutApplied) {
        resizeDocks({m_problemsDock}, {110}, Qt::Vertical);
        resizeDocks(m_panelDocks, QList<int>(m_panelDocks.size(), 330), Qt::Horizontal);
        m_layoutApplied = true;
    }
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    m_layoutApplied = settings.contains("mainWindow/state");
    restoreGeometry(settings.value("mainWindow/geometry").toByteArray());
    restoreState(settings.value("mainWindow/state").toByteArray());
}

bool MainWindow::openProject(const QString &path)
{
    if (m_session->open(path))
        return true;
    m_problemsDock->show();
    return false;
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project"), QKeySequence::New, this, [this] {
        if (maybeSave())
            m_session->newProject();
    });
    file->addAction(tr("&Open..."), QKeySequence::Open, this, [this] {
        if (!maybeSave())
            return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                          tr("Phaze projects (*.yaml *.yml)"));
        if (!path.isEmpty())
            openProject(path);
    });
    file->addAction(tr("&Save"), QKeySequence::Save, this, [this] { save(); });
    file->addAction(tr("Save &As..."), QKeySequence::SaveAs, this, [this] { saveAs(); });
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

    createSearchActions();
    QMenu *help = menuBar()->addMenu(tr("&Help"));
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
    m_cancelSearch = search->addAction(tr("&Cancel Search"), QKeySequence(Qt::Key_Escape),
                                       m_searchJob, &SearchJob::cancel);
    m_cancelSearch->setEnabled(false);
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

void MainWindow::runSearch()
{
    if (!m_searchJob->start())
        return;
    m_runSearch->setEnabled(false);
    m_cancelSearch->setEnabled(true);
    m_searchBar->setRange(0, 0); // busy until the first progress report gives the total
    m_searchBar->show();
    m_searchLabel->setText(tr("Searching..."));
    showExplore();
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
    switch (m_searchJob->lastStatus()) {
    case Status::Optimal:
    case Status::Feasible:
        m_searchLabel->setText(
            tr("Search done: %1 evaluated, %2 pruned%3")
                .arg(p.done - p.pruned)
                .arg(p.pruned)
                .arg(p.best ? tr(", best %1 samples/s").arg(*p.best, 0, 'f', 1) : QString()));
        break;
    case Status::Cancelled:
        m_searchLabel->setText(tr("Search cancelled"));
        break;
    default:
        m_searchLabel->setText(tr("Search failed"));
        QMessageBox::warning(this, tr("Search failed"), m_searchJob->lastMessage());
    }
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1%2 - Phaze Workbench")
                       .arg(m_session->displayName(), m_session->isModified() ? "*" : ""));
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
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    event->accept();
}

} // namespace phaze
