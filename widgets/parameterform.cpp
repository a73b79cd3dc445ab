#include "widgets/parameterform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QKeyEvent>
#include <QTimer>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "core/arch/parameterregistry.h"
#include "core/io/projectfields.h"
#include "core/spec/acceleratorconfig.h"
#include "core/spec/clusterspec.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

// The one row of the architecture form outside the registry.
const QString kPresetKey = u"preset"_s;

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
    setObjectName(u"form."_s + section);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // In a narrow dock a long key ("overlap_gradient_reduction") goes above its field rather
    // than pushing the field out of sight.
    m_layout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    outer->addLayout(m_layout);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b00020;"_s);
    m_error->setObjectName(u"error."_s + section);
    outer->addWidget(m_error);
    outer->addStretch();

    // The rows are the registry's parameters of the section, in its order: a parameter added
    // there appears here with its editor, tooltip and validation.
    const std::optional<ParamGroup> group = paramGroupFromName(section.toStdString());
    if (group == ParamGroup::Architecture || group == ParamGroup::Cluster)
        addRow(kPresetKey, nullptr);
    if (group)
        for (const ParameterSpec *spec : ParameterRegistry::instance().group(*group))
            addRow(QString::fromStdString(spec->key), spec);
    connect(session, &Session::projectChanged, this, &ParameterForm::refresh);
    refresh();
}

ParameterForm::~ParameterForm()
{
    for (QWidget *editor : std::as_const(m_editors)) {
        editor->disconnect(this);
        editor->removeEventFilter(this);
    }
    for (QTimer *timer : std::as_const(m_applyTimers))
        timer->stop();
}

void ParameterForm::addRow(const QString &key, const ParameterSpec *spec)
{
    QWidget *editor = nullptr;
    if (key == kPresetKey) {
        auto *combo = new QComboBox(this);
        combo->addItem(tr("(none)"), QString());
        if (m_section == u"cluster"_s) {
            for (const ClusterPreset &p : clusterPresets())
                combo->addItem(QString::fromStdString(p.name), QString::fromStdString(p.name));
            combo->setToolTip(tr("Start from a named cluster (its datasheet numbers); the "
                                 "fields below override it. (none): every field as shown"));
        } else {
            for (const AcceleratorPreset &p : acceleratorPresets())
                combo->addItem(QString::fromStdString(p.name), QString::fromStdString(p.name));
            combo->setToolTip(tr("Start from a named accelerator; the fields below override "
                                 "it. (none): every field as shown"));
        }
        for (int i = 1; i < combo->count(); ++i) {
            const std::string name = combo->itemData(i).toString().toStdString();
            if (const ClusterPreset *c = m_section == u"cluster"_s ? findClusterPreset(name)
                                                                    : nullptr)
                combo->setItemData(i, QString::fromStdString(c->description), Qt::ToolTipRole);
        }
        connect(combo, &QComboBox::activated, this,
                [this, combo] { commit(kPresetKey, combo->currentData().toString()); });
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
                [this, key](bool on) { commit(key, on ? u"true"_s : u"false"_s); });
        editor = check;
    } else {
        auto *line = new QLineEdit(this);
        if (spec)
            line->setPlaceholderText(QString::fromStdString(spec->defaultText));
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        timer->setInterval(kApplyDelayMs);
        m_applyTimers.insert(key, timer);
        connect(timer, &QTimer::timeout, this, [this, key, line] { commit(key, line->text()); });
        connect(line, &QLineEdit::textEdited, this,
                [this, key, line, timer](const QString &text) {
                    const QString error = m_session->validateField(m_section, key, text);
                    showValidity(line, error);
                    if (error.isEmpty())
                        timer->start(); // applied once the user pauses
                    else
                        timer->stop();
                });
        connect(line, &QLineEdit::editingFinished, this, [this, key, line, timer] {
            timer->stop();
            commit(key, line->text());
            endTyping(key);
            if (!line->property("invalid").toBool())
                refresh(); // the project's spelling of what was typed
        });
        line->installEventFilter(this);
        editor = line;
    }
    editor->setObjectName(m_section + u'.' + key);
    if (spec)
        editor->setToolTip(tooltipFor(*spec));
    auto *label = new QLabel(key, this);
    label->setToolTip(editor->toolTip());
    m_layout->addRow(label, editor);
    m_editors.insert(key, editor);
    m_specs.insert(key, spec);
}

void ParameterForm::refresh()
{
    QHash<QString, QString> values;
    for (const ProjectField &f : projectFields(m_session->project()))
        if (QString::fromStdString(f.section) == m_section)
            values.insert(QString::fromStdString(f.key), QString::fromStdString(f.value));
    // A project without an architecture or a space still offers those forms, to add one.
    const std::optional<ParamGroup> group = paramGroupFromName(m_section.toStdString());
    setEnabled(!values.isEmpty() || group == ParamGroup::Space ||
               group == ParamGroup::Architecture);
    const bool system = m_session->project().training.profile == ModelProfile::System;
    for (auto it = m_editors.cbegin(); it != m_editors.cend(); ++it) {
        const QString value = values.value(it.key());
        QWidget *editor = it.value();
        // A key the project's profile does not read is not offered (a file may not give it).
        const ParameterSpec *spec = m_specs.value(it.key());
        m_layout->setRowVisible(editor, !spec || spec->appliesTo(system));
        const QSignalBlocker blocker(editor);
        if (auto *line = qobject_cast<QLineEdit *>(editor)) {
            // Never overwrite what the user is typing (a bout of typing applies as it goes; the
            // field shows the project's spelling once the bout ends).
            const bool typing = line->hasFocus() && m_typing.contains(it.key());
            if (!typing && (!line->hasFocus() || line->property("invalid").toBool() == false))
                line->setText(value);
        } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            const int index =
                it.key() == kPresetKey ? combo->findData(value) : combo->findText(value);
            combo->setCurrentIndex(index < 0 ? 0 : index);
        } else if (auto *check = qobject_cast<QCheckBox *>(editor)) {
            check->setChecked(value == u"true"_s);
        }
        showValidity(editor, QString());
    }
}

void ParameterForm::commit(const QString &key, const QString &text)
{
    QWidget *editor = m_editors.value(key);
    // Typed text belongs to the field's open bout of typing (one undo step); a combo box or a
    // check box makes one edit each time.
    int typing = 0;
    if (qobject_cast<QLineEdit *>(editor)) {
        typing = m_typing.value(key);
        if (typing == 0) {
            typing = m_session->newTypingBout();
            m_typing.insert(key, typing);
        }
    }
    const QString error = m_session->setField(m_section, key, text, typing);
    showValidity(editor, error);
}

void ParameterForm::applyPending(const QString &key)
{
    QTimer *timer = m_applyTimers.value(key);
    auto *line = qobject_cast<QLineEdit *>(m_editors.value(key));
    if (timer && line && timer->isActive()) {
        timer->stop();
        commit(key, line->text());
    }
}

void ParameterForm::endTyping(const QString &key)
{
    m_typing.remove(key);
}

bool ParameterForm::eventFilter(QObject *watched, QEvent *event)
{
    // A line edit takes Ctrl+Z for its own text; here it undoes the project: apply what was
    // typed (one step), close the bout, and leave the shortcut to the window's undo action by
    // not accepting the override.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)) {
            const QString field = m_editors.key(qobject_cast<QWidget *>(watched));
            applyPending(field);
            endTyping(field);
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ParameterForm::showValidity(QWidget *editor, const QString &error)
{
    if (!editor)
        return;
    const bool invalid = !error.isEmpty();
    editor->setProperty("invalid", invalid);
    editor->setStyleSheet(invalid ? u"border: 1px solid #b00020;"_s : QString());
    // Drop the "edit: " file prefix: the field is right there.
    QString message = error;
    message.replace(u"edit: "_s, QString());
    m_error->setText(message);
}

} // namespace phaze
