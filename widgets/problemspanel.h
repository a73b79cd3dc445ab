#pragma once

// Lists the problems of the session's project (file:line:column: path: message), so that an
// error in a project file is shown where it is, and nothing already open is discarded.

#include <QListWidget>

namespace phaze {

class Session;

class ProblemsPanel : public QListWidget
{
    Q_OBJECT

public:
    explicit ProblemsPanel(Session *session, QWidget *parent = nullptr);
    // A few lines by default: problems are the exception, the project views need the room.
    QSize sizeHint() const override { return {600, 90}; }

private:
    void rebuild();
    Session *m_session;
};

} // namespace phaze
