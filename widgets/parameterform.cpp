#include "widgets/parameterform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "core/arch/parameterregistry.h"
#include "core/io/projectfields.h"
#include "core/spec/acceleratorconfig.h"
#include "widgets/session.h"

namespace phaze {
namespace {

ParamGroup groupOf(const QString &section)
{
    if (section == "architecture_space")
        return ParamGroup::Space;
    if (section == "training")
        return ParamGroup::Training;
    if (section == "search")
        return ParamGroup::Search;
    return ParamGroup::Architecture;
}

QString tooltipFor(const ParameterSpec &spec)
{
    QString tip = QString::fromStdString(spec.description);
    tip += QObject::tr("\nRange: %1\nDefault: %2")
               .arg(QString::fromStdString(spec.rangeText()),
                    QString::fromStdString(spec.defaultText));
    if (!spec.unitText().empty())
        tip += QObject::tr("\nUnit: %1").arg(QString::fromStdString(spec.unitText()));
    return tip;
}

} // namespace

ParameterForm::ParameterForm(Session *session, const QString &section, QWidget *parent)
    : QWidget(parent), m_session(session), m_section(section), m_layout(new QFormLayout),
      m_error(new QLabel(this))
{
    setObjectName("form." + section);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(m_layout);
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #b00020;");
    m_error->setObjectName("error." + section);
    outer->addWidget(m_error);
    outer->addStretch();

    if (section == "architecture")
        addRow("preset", nullptr);
    for (const ParameterSpec *spec : ParameterRegistry::instance().group(groupOf(section)))
        addRow(QString::fromStdString(spec->key), spec);
    connect(session, &Session::projectChanged, this, &ParameterForm::refresh);
    refresh();
}

void ParameterForm::addRow(const QString &key, const ParameterSpec *spec)
{
    QWidget *editor = nullptr;
    if (key == "preset") {
        auto *combo = new QComboBox(this);
        combo->addItem(tr("(none)"), QString());
        for (const AcceleratorPreset &p : acceleratorPresets())
            combo->addItem(QString::fromStdString(p.name), QString::fromStdString(p.name));
        combo->setToolTip(tr("Start from a named accelerator; the fields below override it"));
        connect(combo, &QComboBox::activated, this,
                [this, combo] { commit("preset", combo->currentData().toString()); });
        editor = combo;
    } else if (spec && spec->type == ParamType::Choice && !spec->list) {
        auto *combo = new QComboBox(this);
        for (const std::string &c : spec->choices)
            combo->addItem(QString::fromStdString(c));
        connect(combo, &QComboBox::activated, this,
                [this, key, combo] { commit(key, combo->currentText()); });
        editor = combo;
    } else if (spec && spec->type == ParamType::Boolean && !spec->list) {
        auto *check = new QCheckBox(this);
        connect(check, &QCheckBox::clicked, this,
                [this, key](bool on) { commit(key, on ? "true" : "false"); });
        editor = check;
    } else {
        auto *line = new QLineEdit(this);
        if (spec)
            line->setPlaceholderText(QString::fromStdString(spec->defaultText));
        connect(line, &QLineEdit::textEdited, this, [this, key, line](const QString &text) {
            showValidity(line, m_session->validateField(m_section, key, text));
        });
        connect(line, &QLineEdit::editingFinished, this,
                [this, key, line] { commit(key, line->text()); });
        editor = line;
    }
    editor->setObjectName(m_section + "." + key);
    if (spec)
        editor->setToolTip(tooltipFor(*spec));
    auto *label = new QLabel(key, this);
    label->setToolTip(editor->toolTip());
    m_layout->addRow(label, editor);
    m_editors.insert(key, editor);
}

void ParameterForm::refresh()
{
    QHash<QString, QString> values;
    for (const ProjectField &f : projectFields(m_session->project()))
        if (QString::fromStdString(f.section) == m_section)
            values.insert(QString::fromStdString(f.key), QString::fromStdString(f.value));
    setEnabled(!values.isEmpty() || m_section == "architecture_space" ||
               m_section == "architecture");
    for (auto it = m_editors.cbegin(); it != m_editors.cend(); ++it) {
        const QString value = values.value(it.key());
        QWidget *editor = it.value();
        const QSignalBlocker blocker(editor);
        if (auto *line = qobject_cast<QLineEdit *>(editor)) {
            // Never overwrite what the user is typing.
            if (!line->hasFocus() || line->property("invalid").toBool() == false)
                line->setText(value);
        } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            const int index =
                it.key() == "preset" ? combo->findData(value) : combo->findText(value);
            combo->setCurrentIndex(index < 0 ? 0 : index);
        } else if (auto *check = qobject_cast<QCheckBox *>(editor)) {
            check->setChecked(value == "true");
        }
        showValidity(editor, QString());
    }
}

void ParameterForm::commit(const QString &key, const QString &text)
{
    QWidget *editor = m_editors.value(key);
    const QString error = m_session->setField(m_section, key, text);
    showValidity(editor, error);
}

void ParameterForm::showValidity(QWidget *editor, const QString &error)
{
    if (!editor)
        return;
    const bool invalid = !error.isEmpty();
    editor->setProperty("invalid", invalid);
    editor->setStyleSheet(invalid ? "border: 1px solid #b00020;" : QString());
    // Drop the "edit: " file prefix: the field is right there.
    QString message = error;
    message.replace("edit: ", "");
    m_error->setText(message);
}

} // namespace phaze
