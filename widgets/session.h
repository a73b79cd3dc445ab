#pragma once

// The document: owns the project specs, where they came from, whether they changed, and the
// problems found in them. Panels observe it; edits will go through its undo stack
// (conventions.md rule 10).

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUndoStack>

#include "core/base/diagnostic.h"
#include "core/io/projectcheck.h"
#include "core/spec/projectspec.h"
#include "widgets/resultstore.h"

namespace phaze {

class Session : public QObject
{
    Q_OBJECT

public:
    explicit Session(QObject *parent = nullptr);

    const ProjectSpec &project() const { return m_project; }
    const ProjectCheck &check() const { return m_check; }
    const QString &filePath() const { return m_filePath; }
    QString displayName() const;
    bool isModified() const { return !m_undoStack.isClean(); }
    QUndoStack *undoStack() { return &m_undoStack; }
    // Problems from the last open or check: load errors, model build errors.
    const Diagnostics &problems() const { return m_problems; }
    // Search results and the selected candidate; cleared when another project is opened.
    ResultStore *results() { return &m_results; }
    const ResultStore *results() const { return &m_results; }
    // Directory that relative paths in the project resolve against ("" when untitled).
    std::string baseDir() const;
    // The project and folder as they are now.
    ProjectSnapshot snapshot() const { return {m_project, baseDir(), nullptr}; }
    // What the detail views evaluate the focused configuration with: the project it was
    // computed for (a search result's may predate the last edits), else the current one.
    ProjectSnapshot focusedProject() const;

    // Sets one field from its project-file text (e.g. "training", "hbm_sizes", "[32 GiB]"),
    // validated exactly as loading a file would; on success the edit goes on the undo stack.
    // Returns "" or the error ("training.hbm_sizes[0]: ...").
    // Edits made in one bout of typing (the same nonzero `typing`, from newTypingBout()) merge
    // into one undo step.
    QString setField(const QString &section, const QString &key, const QString &text,
                     int typing = 0);
    int newTypingBout() { return ++m_typingBouts; }
    // The error setField would give, without changing anything ("" when valid).
    QString validateField(const QString &section, const QString &key, const QString &text) const;
    // Replaces the whole project (used by undo/redo; no undo entry of its own).
    void replaceProject(const ProjectSpec &project);
    // Replaces the whole project as one undoable edit named what (e.g. "architecture").
    void applyEdit(const ProjectSpec &edited, const QString &what);
    // Makes config the project's fixed architecture (every field explicit, no preset), as one
    // undoable edit: "use this search result as my design point".
    void useArchitecture(const AcceleratorConfig &config, const QString &what);
    // After a crash: opens originalPath (when it exists; else starts untitled) and applies the
    // recovered project as one undoable, unsaved edit. Returns false (problems() says why) when
    // the original exists but cannot be opened.
    bool restoreRecovered(const QString &originalPath, const ProjectSpec &recovered);

    void newProject();
    // On error the current project is kept (nothing is lost) and problems() lists why.
    bool open(const QString &path);
    // Returns "" on success or the error; the project is written atomically.
    QString saveAs(const QString &path);
    QString save() { return saveAs(m_filePath); }

signals:
    void projectChanged();
    void problemsChanged();
    void filePathChanged(const QString &path);
    void modifiedChanged(bool modified);

private:
    void setProject(ProjectSpec project, const QString &path);
    void recheck();

    ProjectSpec m_project;
    ProjectCheck m_check;
    Diagnostics m_problems;
    QString m_filePath;
    // The file's text as opened or last saved: saves keep its comments (core/io/yamlcomments.h).
    std::string m_fileText;
    QUndoStack m_undoStack;
    int m_typingBouts = 0;
    ResultStore m_results;
};

} // namespace phaze
