#pragma once

// One undoable edit of the session's project: snapshots before and after (a project is a few
// kilobytes, so snapshots are simpler and safer than inverse operations). The edits one bout of
// typing in a field makes (applied as the user pauses) merge into one undo step; separate edits
// of the same field stay separate steps.

#include <QString>
#include <QUndoCommand>

#include "core/spec/projectspec.h"

namespace phaze {

class Session;

class ProjectEditCommand : public QUndoCommand
{
public:
    // `typing`: the bout of typing the edit belongs to (0: none, never merged).
    ProjectEditCommand(Session *session, ProjectSpec before, ProjectSpec after, QString field,
                       int typing = 0);

    void undo() override;
    void redo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    Session *m_session;
    ProjectSpec m_before;
    ProjectSpec m_after;
    QString m_field;
    int m_typing = 0;
};

} // namespace phaze
