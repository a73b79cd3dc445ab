#include "widgets/projectpanel.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QVBoxLayout>

#include "core/io/projectfields.h"
#include "widgets/parameterform.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

QWidget *scrolled(QWidget *content, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

QGroupBox *group(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(content);
    return box;
}

} // namespace

ProjectPanel::ProjectPanel(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_name(nullptr), m_description(nullptr),
      m_models(nullptr)
{
    auto *content = new QWidget(this);
    auto *column = new QVBoxLayout(content);
    auto *header = new QWidget(content);
    auto *form = new QFormLayout(header);
    form->setContentsMargins(4, 4, 4, 4);
    m_name = addTopLevelField(u"name"_s, tr("A title for the project"));
    m_description = addTopLevelField(u"description"_s, tr("What the project is about"));
    m_models = addTopLevelField(
        u"models"_s,
        tr("Models as in the project file: zoo keys and graph files, e.g.\n"
           "[gpt2-xl, bert-large, {file: graphs/diamond.json}, {zoo: gpt3-175b, seq: 1024}]"));
    for (QLineEdit *edit : {m_name, m_description, m_models})
        form->addRow(edit->objectName().section(u'.', 1), edit);
    column->addWidget(group(tr("Project"), header, content));
    column->addWidget(
        group(tr("Training"), new ParameterForm(session, u"training"_s, content), content));
    column->addWidget(
        group(tr("Search"), new ParameterForm(session, u"search"_s, content), content));
    column->addWidget(group(tr("Architecture space"),
                            new ParameterForm(session, u"architecture_space"_s, content), content));
    column->addStretch();
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scrolled(content, this));
    connect(session, &Session::projectChanged, this, &ProjectPanel::refresh);
    refresh();
}

QLineEdit *ProjectPanel::addTopLevelField(const QString &key, const QString &tooltip)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(u"project."_s + key);
    edit->setToolTip(tooltip);
    connect(edit, &QLineEdit::editingFinished, this, [this, key, edit] {
        const QString error = m_session->setField(key, QString(), edit->text());
        edit->setStyleSheet(error.isEmpty() ? QString() : u"border: 1px solid #b00020;"_s);
        edit->setToolTip(error.isEmpty() ? QString() : error);
    });
    return edit;
}

void ProjectPanel::refresh()
{
    const ProjectSpec &p = m_session->project();
    m_name->setText(QString::fromStdString(p.name));
    m_description->setText(QString::fromStdString(p.description));
    QStringList models;
    for (const ProjectField &f : projectFields(p))
        if (f.section == "models")
            models << QString::fromStdString(f.value);
    m_models->setText(u'[' + models.join(u", "_s) + u']');
}

} // namespace phaze
