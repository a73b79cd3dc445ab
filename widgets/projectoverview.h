#pragma once

// Read-only overview of the session's project: models with their sizes and every section's
// fields, each with its unit, range and description from the parameter registry as tooltip.

#include <QWidget>

class QTreeWidget;
class QLabel;

namespace phaze {

class Session;

class ProjectOverview : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectOverview(Session *session, QWidget *parent = nullptr);

private:
    void rebuild();

    Session *m_session;
    QLabel *m_title;
    QTreeWidget *m_tree;
};

} // namespace phaze
