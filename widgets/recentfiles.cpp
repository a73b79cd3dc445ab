#include "widgets/recentfiles.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace phaze {

using namespace Qt::StringLiterals;

namespace {
const char kKey[] = "recentFiles";
}

RecentFiles::RecentFiles(QMenu *menu, QObject *parent) : QObject(parent), m_menu(menu)
{
    connect(menu, &QMenu::aboutToShow, this, &RecentFiles::rebuildMenu);
    rebuildMenu();
}

QStringList RecentFiles::files() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxEntries)
        list.removeLast();
    QSettings().setValue(kKey, list);
    rebuildMenu();
}

void RecentFiles::clear()
{
    QSettings().remove(kKey);
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    QStringList list = files();
    list.erase(std::remove_if(list.begin(), list.end(),
                              [](const QString &f) { return !QFileInfo::exists(f); }),
               list.end());
    for (int i = 0; i < list.size(); ++i) {
        const QString path = list[i];
        // &1..&9 as keyboard accelerators, the full path as tooltip.
        QAction *action = m_menu->addAction(u"%1%2  %3"_s.arg(
            i < 9 ? u"&"_s : QString(), QString::number(i + 1), QFileInfo(path).fileName()));
        action->setToolTip(path);
        action->setData(path);
        connect(action, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (list.isEmpty())
        m_menu->addAction(tr("(no recent projects)"))->setEnabled(false);
    m_menu->addSeparator();
    m_menu->addAction(tr("Clear list"), this, &RecentFiles::clear)->setEnabled(!list.isEmpty());
}

} // namespace phaze
