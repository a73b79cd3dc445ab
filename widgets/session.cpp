#include "widgets/session.h"

#include <QFileInfo>

#include "core/io/projectfile.h"

namespace phaze {

Session::Session(QObject *parent) : QObject(parent)
{
    connect(&m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
    newProject();
}

QString Session::displayName() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

void Session::newProject()
{
    m_problems.clear();
    setProject(defaultProject(), QString());
    emit problemsChanged();
}

bool Session::open(const QString &path)
{
    const ProjectLoad load = loadProjectFile(path.toStdString());
    if (!load.project) {
        m_problems = load.errors;
        emit problemsChanged();
        return false;
    }
    m_problems.clear();
    setProject(*load.project, path);
    emit problemsChanged();
    return true;
}

QString Session::saveAs(const QString &path)
{
    if (path.isEmpty())
        return tr("No file name given");
    const std::string error = saveProjectFile(m_project, path.toStdString());
    if (!error.empty())
        return QString::fromStdString(error);
    if (path != m_filePath) {
        m_filePath = path;
        emit filePathChanged(path);
    }
    m_undoStack.setClean();
    return {};
}

void Session::setProject(ProjectSpec project, const QString &path)
{
    m_project = std::move(project);
    const QFileInfo info(path);
    m_check = checkProject(m_project, info.fileName().toStdString(),
                           path.isEmpty() ? std::string() : info.absolutePath().toStdString());
    m_problems.insert(m_problems.end(), m_check.errors.begin(), m_check.errors.end());
    m_filePath = path;
    m_undoStack.clear();
    emit filePathChanged(path);
    emit projectChanged();
    emit modifiedChanged(false);
}

} // namespace phaze
