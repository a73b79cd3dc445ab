#pragma once

// The workbench main window: wires the session to the panels, menus and status bar. It holds
// no engine logic (conventions.md rule 13: the main window only wires panels together).

#include <QList>
#include <QMainWindow>

class QTabWidget;
class QDockWidget;

namespace phaze {

class Session;
class ProjectOverview;
class ProblemsPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);

    // Opens a project; on failure the problems panel shows why and the current project stays.
    bool openProject(const QString &path);
    void restoreLayout();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createMenus();
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
    QList<QDockWidget *> m_panelDocks;
    bool m_layoutApplied = false;
};

} // namespace phaze
