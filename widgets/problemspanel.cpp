#include "widgets/problemspanel.h"

#include "widgets/session.h"

namespace phaze {

ProblemsPanel::ProblemsPanel(Session *session, QWidget *parent)
    : QListWidget(parent), m_session(session)
{
    setObjectName("problemsPanel");
    setWordWrap(true);
    connect(session, &Session::problemsChanged, this, &ProblemsPanel::rebuild);
    rebuild();
}

void ProblemsPanel::rebuild()
{
    clear();
    for (const Diagnostic &d : m_session->problems()) {
        auto *item = new QListWidgetItem(QString::fromStdString(d.format()), this);
        item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
    }
    if (count() == 0)
        addItem(tr("No problems"));
}

} // namespace phaze
