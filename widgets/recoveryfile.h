#pragma once

// Crash recovery of unsaved edits. While the session's project has unsaved changes, its text is
// written (debounced, atomically) to a file of its own in the recovery folder, with the path of
// the project it belongs to on its first line; saving, undoing back to the saved state,
// discarding or closing removes it. Each running workbench holds a lock beside its file, so the
// next start lists only the files whose workbench is gone (crashed or killed) and offers them.

#include <QDateTime>
#include <QList>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>

#include "core/spec/projectspec.h"

namespace phaze {

class Session;

class RecoveryFile : public QObject
{
    Q_OBJECT

public:
    // A file left behind by a workbench that did not close cleanly.
    struct Orphan {
        QString path;         // the recovery file
        QString originalPath; // the project it belongs to ("" when untitled)
        QDateTime written;
    };

    // directory: where recovery files go (defaultDirectory() in the application).
    RecoveryFile(Session *session, const QString &directory, QObject *parent = nullptr);
    // Keeps the file: only discard() removes it, so that a crash (or a test simulating one)
    // leaves it behind; the lock is released.
    ~RecoveryFile() override;

    static QString defaultDirectory();
    // Recovery files nobody holds, newest first.
    static QList<Orphan> orphans(const QString &directory);
    // Reads an orphan's project; "" or the error in *error.
    static std::optional<ProjectSpec> read(const Orphan &orphan, QString *error);
    // Removes an orphan (after it was restored or declined).
    static void remove(const Orphan &orphan);

    void setDelay(int milliseconds) { m_debounce.setInterval(milliseconds); }
    // Writes the current project now when it has unsaved changes (else removes the file).
    void writeNow();
    // Removes this session's file (the edits were saved or deliberately thrown away).
    void discard();
    QString path() const { return m_path; }

private:
    Session *m_session;
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
    QTimer m_debounce;
};

} // namespace phaze
