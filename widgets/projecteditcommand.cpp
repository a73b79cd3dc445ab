#include "widgets/projecteditcommand.h"

#include "widgets/session.h"

namespace phaze {

ProjectEditCommand::ProjectEditCommand(Session *session, ProjectSpec before, ProjectSpec after,
                                       QString field, int typing)
    : m_session(session), m_before(std::move(before)), m_after(std::move(after)),
      m_field(std::move(field)), m_typing(typing)
{
    setText(QObject::tr("Edit %1").arg(m_field));
}

void ProjectEditCommand::undo()
{
    m_session->replaceProject(m_before);
}

void ProjectEditCommand::redo()
{
    m_session->replaceProject(m_after);
}

bool ProjectEditCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const ProjectEditCommand *>(other);
    if (m_typing == 0 || next->m_typing != m_typing || next->m_field != m_field)
        return false;
    m_after = next->m_after;
    return true;
}

} // namespace phaze
