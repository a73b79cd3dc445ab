#pragma once

// The Project dock: name, description and models of the project, then the training knobs and
// recipe, the cluster and the strategy (system profile), and the search settings, all editable
// (forms generated from the parameter registry, edits through the session's undo stack).

#include <QWidget>

class QGroupBox;
class QLabel;
class QLineEdit;

namespace phaze {

class Session;

class ProjectPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectPanel(Session *session, QWidget *parent = nullptr);

private:
    QLineEdit *addTopLevelField(const QString &key, const QString &tooltip);
    void refresh();

    Session *m_session;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QLineEdit *m_models;
    QGroupBox *m_cluster;
    QGroupBox *m_strategy;
    QLabel *m_systemNote;
};

} // namespace phaze
