#include "widgets/recentfiles.h"

#include <algorithm>

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
    // The canonical path (links resolved) when the file exists, so one file is one entry.
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    const QString absolute = canonical.isEmpty() ? info.absoluteFilePath() : canonical;
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

QStringList RecentFiles::labels(const QStringList &paths)
{
    const auto partsOf = [](const QString &path) {
        return QFileInfo(path).absoluteFilePath().split(u'/', Qt::SkipEmptyParts);
    };
    // The `depth` folders just above the file.
    const auto folders = [](const QStringList &parts, qsizetype depth) {
        const qsizetype from = std::max<qsizetype>(0, parts.size() - 1 - depth);
        return parts.mid(from, parts.size() - 1 - from).join(u'/');
    };
    QStringList out;
    for (const QString &path : paths) {
        const QStringList parts = partsOf(path);
        if (parts.isEmpty()) {
            out.push_back(path);
            continue;
        }
        // The fewest folders that no other entry of the same name ends with as well.
        qsizetype depth = 0;
        for (; depth < parts.size() - 1; ++depth) {
            bool unique = true;
            for (const QString &other : paths) {
                const QStringList o = partsOf(other);
                if (other != path && !o.isEmpty() && o.last() == parts.last() &&
                    folders(o, depth) == folders(parts, depth))
                    unique = false;
            }
            if (unique)
                break;
        }
        out.push_back(depth == 0 ? parts.last()
                                 : parts.last() + u" ("_s + folders(parts, depth) + u')');
    }
    return out;
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    QStringList list = files();
    list.erase(std::remove_if(list.begin(), list.end(),
                              [](const QString &f) { return !QFileInfo::exists(f); }),
               list.end());
    const QStringList names = labels(list);
    for (int i = 0; i < list.size(); ++i) {
        const QString path = list[i];
        // &1..&9 as keyboard accelerators, the full path as tooltip.
        QAction *action = m_menu->addAction(u"%1%2  %3"_s.arg(
            i < 9 ? u"&"_s : QString(), QString::number(i + 1), names[i]));
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
