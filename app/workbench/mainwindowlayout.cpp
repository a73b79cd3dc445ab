// The main window's layout: the docks as the last session left them, back to where they start
// (View > Reset Layout), and the user guide (Help > User Guide).

#include "app/workbench/mainwindow.h"

#include <QDialog>
#include <QDockWidget>
#include <QSettings>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace phaze {

using namespace Qt::StringLiterals;

void MainWindow::applyDefaultDockSizes()
{
    resizeDocks({m_problemsDock}, {110}, Qt::Vertical);
    resizeDocks(m_panelDocks, QList<int>(m_panelDocks.size(), 330), Qt::Horizontal);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Dock sizes only take effect once the window is laid out; later runs restore the saved state.
    if (!m_layoutApplied) {
        applyDefaultDockSizes();
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

void MainWindow::resetLayout()
{
    restoreState(m_defaultLayout);
    QList<QDockWidget *> docks = m_panelDocks;
    docks.append(m_problemsDock);
    for (QDockWidget *dock : docks) {
        dock->setFloating(false);
        dock->show();
    }
    applyDefaultDockSizes();
}

void MainWindow::showUserGuide()
{
    if (!m_userGuide) {
        m_userGuide = new QDialog(this);
        m_userGuide->setObjectName("userGuideWindow");
        m_userGuide->setWindowTitle(tr("Phaze Workbench user guide"));
        auto *text = new QTextBrowser(m_userGuide);
        text->setObjectName("userGuideText");
        // Every document of docs/ is compiled in, so the guide's links to the reference pages
        // open in the same window, offline; links to the web open in the browser.
        text->setOpenExternalLinks(true);
        text->setSource(QUrl(u"qrc:/docs/user-guide.md"_s), QTextDocument::MarkdownResource);
        if (text->document()->isEmpty())
            text->setPlainText(tr("The user guide is missing from this build."));
        auto *layout = new QVBoxLayout(m_userGuide);
        layout->addWidget(text);
        m_userGuide->resize(760, 640);
    }
    m_userGuide->show();
    m_userGuide->raise();
    m_userGuide->activateWindow();
}

} // namespace phaze
