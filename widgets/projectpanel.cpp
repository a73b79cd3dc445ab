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
      m_models(nullptr), m_cluster(nullptr), m_strategy(nullptr), m_systemNote(nullptr)
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
    // The system profile's cluster and strategy (written only under it: PHAZE's profile has
    // one link, training.link_bandwidth, and lets the placement DP choose the layout).
    m_cluster = group(tr("Cluster"), new ParameterForm(session, u"cluster"_s, content), content);
    m_cluster->setObjectName(u"group.cluster"_s);
    m_strategy =
        group(tr("Strategy"), new ParameterForm(session, u"strategy"_s, content), content);
    m_strategy->setObjectName(u"group.strategy"_s);
    m_systemNote = new QLabel(
        tr("Cluster and strategy: under PHAZE's profile the devices share one link "
           "(training.link_bandwidth) and the placement DP chooses the layout. Set "
           "training.profile to system to describe the nodes, their two tiers of links and "
           "the parallel layout."),
        content);
    m_systemNote->setObjectName(u"systemNote"_s);
    m_systemNote->setWordWrap(true);
    column->addWidget(m_cluster);
    column->addWidget(m_strategy);
    column->addWidget(m_systemNote);
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
    const bool system = p.training.profile == ModelProfile::System;
    m_cluster->setVisible(system);
    m_strategy->setVisible(system);
    m_systemNote->setVisible(!system);
}

} // namespace phaze
