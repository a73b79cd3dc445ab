#pragma once

// An editor for one section of the project (architecture, training, search, ...), generated
// from the parameter registry: one row per parameter with its unit, range and description as
// tooltip, validation as you type (the same rules as loading a file) and edits through the
// session's undo stack: a valid text applies 0.3 s after the last keystroke (and on Enter or
// leaving the field), one bout of typing is one undo step, and Ctrl+Z / Ctrl+Shift+Z in a field
// undo and redo the project (what was typed is applied first), not the field's own text.

#include <QHash>
#include <QString>
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;
class QTimer;

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
    // Disconnects the editors first: a focused field losing its focus while the form is torn
    // down would otherwise apply its text through members already destroyed.
    ~ParameterForm() override;

    // The editor of a key, for tests and for focusing a field named in an error.
    QWidget *editorFor(const QString &key) const { return m_editors.value(key); }

    // How long a valid text waits after the last keystroke before it is applied.
    static constexpr int kApplyDelayMs = 300;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addRow(const QString &key, const ParameterSpec *spec);
    void refresh();
    void commit(const QString &key, const QString &text);
    // Applies what is typed in a field now, if it waits for its delay.
    void applyPending(const QString &key);
    // The end of a bout of typing in a field: the next edit is a new undo step.
    void endTyping(const QString &key);
    void showValidity(QWidget *editor, const QString &error);

    Session *m_session;
    QString m_section;
    QFormLayout *m_layout;
    QLabel *m_error;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, const ParameterSpec *> m_specs; // null for the preset row
    QHash<QString, QTimer *> m_applyTimers;        // line edits: the delayed apply
    QHash<QString, int> m_typing;                  // the open bout of typing per field
};

} // namespace phaze
