#include "widgets/recoveryfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

#include "core/io/atomicfile.h"
#include "core/io/projectfile.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

const char kHeader[] = "# phaze-workbench recovery of: ";

QString lockPathOf(const QString &recoveryPath)
{
    return recoveryPath + u".lock"_s;
}

} // namespace

RecoveryFile::RecoveryFile(Session *session, const QString &directory, QObject *parent)
    : QObject(parent), m_session(session)
{
    QDir().mkpath(directory);
    m_path = QDir(directory).filePath(
        u"unsaved-%1.yaml"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces)));
    m_lock = std::make_unique<QLockFile>(lockPathOf(m_path));
    m_lock->setStaleLockTime(0); // a lock is stale only when its process is gone
    m_lock->tryLock(0);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(1000);
    connect(&m_debounce, &QTimer::timeout, this, &RecoveryFile::writeNow);
    connect(session, &Session::projectChanged, this, [this] { m_debounce.start(); });
    // Saved (or undone back to the saved state): nothing left to recover.
    connect(session, &Session::modifiedChanged, this, [this](bool modified) {
        if (!modified)
            discard();
    });
}

RecoveryFile::~RecoveryFile()
{
    m_lock->unlock();
}

QString RecoveryFile::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/recovery"_s;
}

void RecoveryFile::writeNow()
{
    m_debounce.stop();
    if (!m_session->isModified()) {
        discard();
        return;
    }
    const std::string text = kHeader + m_session->filePath().toStdString() + "\n" +
                             saveProjectText(m_session->project());
    // A failed write keeps the previous recovery file; the edits themselves are in memory.
    (void)writeFileAtomically(m_path.toStdString(), text);
}

void RecoveryFile::discard()
{
    m_debounce.stop();
    QFile::remove(m_path);
}

QList<RecoveryFile::Orphan> RecoveryFile::orphans(const QString &directory)
{
    QList<Orphan> found;
    const QDir dir(directory);
    for (const QFileInfo &info : dir.entryInfoList({u"unsaved-*.yaml"_s}, QDir::Files)) {
        QLockFile lock(lockPathOf(info.absoluteFilePath()));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0))
            continue; // its workbench is still running
        lock.unlock();
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QString first = QString::fromUtf8(file.readLine()).trimmed();
        const QString header = QString::fromUtf8(kHeader).trimmed();
        Orphan orphan;
        orphan.path = info.absoluteFilePath();
        orphan.written = info.lastModified();
        if (first.startsWith(header))
            orphan.originalPath = first.mid(header.size()).trimmed();
        found.append(orphan);
    }
    std::sort(found.begin(), found.end(),
              [](const Orphan &a, const Orphan &b) { return a.written > b.written; });
    return found;
}

std::optional<ProjectSpec> RecoveryFile::read(const Orphan &orphan, QString *error)
{
    QFile file(orphan.path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: cannot open").arg(orphan.path);
        return std::nullopt;
    }
    const std::string text = file.readAll().toStdString();
    // Relative paths in the project resolve against the original project's folder.
    const std::string baseDir = orphan.originalPath.isEmpty()
                                    ? std::string()
                                    : QFileInfo(orphan.originalPath).absolutePath().toStdString();
    const Result<ProjectSpec> load = loadProjectText(text, orphan.path.toStdString(), baseDir);
    if (!load.value) {
        if (error)
            *error = QString::fromStdString(formatAll(load.diagnostics));
        return std::nullopt;
    }
    return *load.value;
}

void RecoveryFile::remove(const Orphan &orphan)
{
    QFile::remove(orphan.path);
    QFile::remove(lockPathOf(orphan.path));
}

} // namespace phaze
