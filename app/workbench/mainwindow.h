#pragma once

// The workbench main window: wires the session to the panels, menus and status bar. It holds
// no engine logic (conventions.md rule 13: the main window only wires panels together).

#include <QList>
#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QTabWidget;

namespace phaze {

class Session;
class ProjectOverview;
class ProblemsPanel;
class SearchJob;
struct SearchProgress;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);

    // Opens a project; on failure the problems panel shows why and the current project stays.
    bool openProject(const QString &path);
    void restoreLayout();
    SearchJob *searchJob() const { return m_searchJob; }
    // Shows the Explore tab (the Pareto plot of the last search).
    void showExplore();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createMenus();
    void createSearchActions();
    void runSearch();
    void showSearchProgress(const SearchProgress &progress);
    void searchFinished();
    QDockWidget *addPanelDock(const QString &title, const QString &name, QWidget *panel,
                              Qt::DockWidgetArea area);
    void updateTitle();
    bool maybeSave();
    bool saveAs();
    bool save();

    Session *m_session;
    QTabWidget *m_tabs;
    ProjectOverview *m_overview;
    ProblemsPanel *m_problems;
    QDockWidget *m_problemsDock;
    SearchJob *m_searchJob;
    QWidget *m_explore;
    QAction *m_runSearch = nullptr;
    QAction *m_cancelSearch = nullptr;
    QProgressBar *m_searchBar;
    QLabel *m_searchLabel;
    QList<QDockWidget *> m_panelDocks;
    bool m_layoutApplied = false;
};

} // namespace phaze
