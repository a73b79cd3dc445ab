#include "widgets/projectoverview.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "core/io/projectfields.h"
#include "widgets/session.h"

namespace phaze {
namespace {

QString sectionTitle(const std::string &section)
{
    if (section == "architecture_space")
        return QObject::tr("Architecture space");
    if (section == "phaze_project")
        return QObject::tr("File format");
    QString s = QString::fromStdString(section);
    s[0] = s[0].toUpper();
    return s;
}

} // namespace

ProjectOverview::ProjectOverview(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_title(new QLabel(this)), m_tree(new QTreeWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::RichText);
    layout->addWidget(m_title);
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Field"), tr("Value"), tr("Range")});
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->setObjectName("projectTree");
    layout->addWidget(m_tree);
    connect(session, &Session::projectChanged, this, &ProjectOverview::rebuild);
    rebuild();
}

void ProjectOverview::rebuild()
{
    const ProjectSpec &project = m_session->project();
    m_title->setText(QStringLiteral("<h2>%1</h2><p>%2</p>")
                         .arg(QString::fromStdString(project.name).toHtmlEscaped(),
                              QString::fromStdString(project.description).toHtmlEscaped()));
    m_tree->clear();

    // Models first, with what the engine built from them.
    auto *models = new QTreeWidgetItem(m_tree, {tr("Models")});
    const QLocale locale;
    for (const ModelSummary &m : m_session->check().models) {
        const QString value = tr("%1 layers (%2 blocks), %3 parameters")
                                  .arg(m.layers)
                                  .arg(m.transformerBlocks)
                                  .arg(locale.toString(qlonglong(m.parameters)));
        auto *item = new QTreeWidgetItem(
            models, {QString::fromStdString(m.label), value, QString::fromStdString(m.family)});
        item->setToolTip(
            1, tr("sequence %1, %2 distinct layers").arg(m.sequence).arg(m.distinctLayers));
    }

    QTreeWidgetItem *section = nullptr;
    std::string current;
    for (const ProjectField &f : projectFields(project)) {
        if (f.section == "models" || f.section == "name" || f.section == "description")
            continue;
        if (f.key.empty()) {
            auto *item = new QTreeWidgetItem(
                m_tree, {sectionTitle(f.section), QString::fromStdString(f.value)});
            item->setFirstColumnSpanned(false);
            continue;
        }
        if (f.section != current) {
            section = new QTreeWidgetItem(m_tree, {sectionTitle(f.section)});
            current = f.section;
        }
        auto *item = new QTreeWidgetItem(
            section, {QString::fromStdString(f.key), QString::fromStdString(f.value)});
        if (f.spec) {
            item->setText(2, QString::fromStdString(f.spec->rangeText()));
            const QString tip =
                QString::fromStdString(f.spec->description) +
                tr("\nDefault: %1").arg(QString::fromStdString(f.spec->defaultText));
            for (int c = 0; c < 3; ++c)
                item->setToolTip(c, tip);
        }
    }
    m_tree->expandAll();
}

} // namespace phaze
