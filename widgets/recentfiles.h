#pragma once

// The File > Open Recent list: the last projects opened or saved, newest first, kept in the
// application settings and shown as a menu; files that no longer exist are dropped when shown.
// One file reached by two paths (a link) is one entry; two files of the same name are told
// apart by as much of their folders as it takes.

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
    // The menu's labels for `paths`: each file name, followed by its folders up to the first
    // that differs when several entries share the name ("bert-large.yaml (examples)").
    static QStringList labels(const QStringList &paths);

signals:
    void openRequested(const QString &path);

private:
    void rebuildMenu();

    QMenu *m_menu;
};

} // namespace phaze
