#include "widgets/session.h"

#include <QFileInfo>

#include "core/io/projectedit.h"
#include "core/io/projectfile.h"
#include "core/io/yamlcomments.h"
#include "widgets/projecteditcommand.h"

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
    std::string text;
    const Result<ProjectSpec> load = loadProjectFile(path.toStdString(), &text);
    if (!load.value) {
        m_problems = load.diagnostics;
        emit problemsChanged();
        return false;
    }
    m_problems.clear();
    setProject(*load.value, path);
    m_fileText = std::move(text);
    emit problemsChanged();
    return true;
}

QString Session::saveAs(const QString &path)
{
    if (path.isEmpty())
        return tr("No file name given");
    if (const Outcome saved = saveProjectFile(m_project, path.toStdString(), m_fileText);
        !saved.ok())
        return QString::fromStdString(saved.message);
    m_fileText = carryYamlComments(m_fileText, saveProjectText(m_project));
    if (path != m_filePath) {
        m_filePath = path;
        emit filePathChanged(path);
    }
    m_undoStack.setClean();
    return {};
}

std::string Session::baseDir() const
{
    return m_filePath.isEmpty() ? std::string()
                                : QFileInfo(m_filePath).absolutePath().toStdString();
}

ProjectSnapshot Session::focusedProject() const
{
    if (const ProjectSnapshot *focused = m_results.focusedProject()) {
        ProjectSnapshot out = *focused;
        out.evaluator = m_results.focusedEvaluator();
        return out;
    }
    return snapshot();
}

void Session::recheck()
{
    m_check = checkProject(m_project, QFileInfo(m_filePath).fileName().toStdString(), baseDir());
    m_problems.insert(m_problems.end(), m_check.errors.begin(), m_check.errors.end());
}

QString Session::validateField(const QString &section, const QString &key,
                               const QString &text) const
{
    const Result<ProjectSpec> edited = editProjectField(
        m_project, section.toStdString(), key.toStdString(), text.toStdString(), baseDir());
    return edited.value ? QString() : QString::fromStdString(formatAll(edited.diagnostics));
}

QString Session::setField(const QString &section, const QString &key, const QString &text,
                          int typing)
{
    const Result<ProjectSpec> edited = editProjectField(
        m_project, section.toStdString(), key.toStdString(), text.toStdString(), baseDir());
    if (!edited.value)
        return QString::fromStdString(formatAll(edited.diagnostics));
    if (*edited.value == m_project)
        return {};
    m_undoStack.push(
        new ProjectEditCommand(this, m_project, *edited.value, section + u'.' + key, typing));
    return {};
}

void Session::replaceProject(const ProjectSpec &project)
{
    m_project = project;
    m_problems.clear();
    recheck();
    emit projectChanged();
    emit problemsChanged();
}

void Session::applyEdit(const ProjectSpec &edited, const QString &what)
{
    if (edited == m_project)
        return;
    m_undoStack.push(new ProjectEditCommand(this, m_project, edited, what));
}

void Session::useArchitecture(const AcceleratorConfig &config, const QString &what)
{
    ProjectSpec edited = m_project;
    ArchitectureSpec arch;
    arch.preset.clear();
    arch.config = config;
    edited.architecture = arch;
    applyEdit(edited, what);
}

bool Session::restoreRecovered(const QString &originalPath, const ProjectSpec &recovered)
{
    if (!originalPath.isEmpty() && QFileInfo::exists(originalPath)) {
        if (!open(originalPath))
            return false;
    } else {
        newProject();
        if (!originalPath.isEmpty()) { // the file was never saved or is gone: keep its name
            m_filePath = originalPath;
            emit filePathChanged(originalPath);
        }
    }
    applyEdit(recovered, tr("recovered unsaved edits"));
    return true;
}

void Session::setProject(ProjectSpec project, const QString &path)
{
    m_project = std::move(project);
    m_filePath = path;
    m_fileText.clear();
    recheck();
    m_undoStack.clear();
    m_results.clear();
    m_results.clearPins(); // of another project: its models and recipe are not this one's
    emit filePathChanged(path);
    emit projectChanged();
    emit modifiedChanged(false);
}

} // namespace phaze
