#pragma once

// The File > Open Recent list: the last projects opened or saved, newest first, kept in the
// application settings and shown as a menu; files that no longer exist are dropped when shown.

#include <QObject>
#include <QStringList>

class QMenu;

namespace phaze {

class RecentFiles : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxEntries = 10;

    RecentFiles(QMenu *menu, QObject *parent = nullptr);

    QStringList files() const;
    // Moves path (made absolute) to the top of the list.
    void add(const QString &path);
    void clear();

signals:
    void openRequested(const QString &path);

private:
    void rebuildMenu();

    QMenu *m_menu;
};

} // namespace phaze
