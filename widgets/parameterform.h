#pragma once

// An editor for one section of the project (architecture, training, search, ...), generated
// from the parameter registry: one row per parameter with its unit, range and description as
// tooltip, validation as you type (the same rules as loading a file) and edits through the
// session's undo stack.

#include <QHash>
#include <QString>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace phaze {

class Session;
struct ParameterSpec;

class ParameterForm : public QWidget
{
    Q_OBJECT

public:
    // `section` is the project-file key ("architecture", "architecture_space", "training",
    // "search"); the architecture form leads with a "preset" row, the one key outside the
    // registry.
    ParameterForm(Session *session, const QString &section, QWidget *parent = nullptr);

    // The editor of a key, for tests and for focusing a field named in an error.
    QWidget *editorFor(const QString &key) const { return m_editors.value(key); }

private:
    void addRow(const QString &key, const ParameterSpec *spec);
    void refresh();
    void commit(const QString &key, const QString &text);
    void showValidity(QWidget *editor, const QString &error);

    Session *m_session;
    QString m_section;
    QFormLayout *m_layout;
    QLabel *m_error;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, const ParameterSpec *> m_specs; // null for the preset row
};

} // namespace phaze
