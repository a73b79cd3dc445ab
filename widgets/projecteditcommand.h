#pragma once

// One undoable edit of the session's project: snapshots before and after (a project is a few
// kilobytes, so snapshots are simpler and safer than inverse operations). Consecutive edits of
// the same field merge into one undo step.

#include <QString>
#include <QUndoCommand>

#include "core/spec/projectspec.h"

namespace phaze {

class Session;

class ProjectEditCommand : public QUndoCommand
{
public:
    ProjectEditCommand(Session *session, ProjectSpec before, ProjectSpec after, QString field);

    void undo() override;
    void redo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    Session *m_session;
    ProjectSpec m_before;
    ProjectSpec m_after;
    QString m_field;
};

} // namespace phaze
