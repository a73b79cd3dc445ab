#include "widgets/acceleratorpanel.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "core/arch/areamodel.h"
#include "core/base/units.h"
#include "widgets/parameterform.h"
#include "widgets/session.h"

namespace phaze {

AcceleratorPanel::AcceleratorPanel(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_summary(new QLabel(this))
{
    auto *content = new QWidget(this);
    auto *column = new QVBoxLayout(content);
    m_summary->setObjectName("acceleratorSummary");
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    column->addWidget(m_summary);
    column->addWidget(new ParameterForm(session, "architecture", content));
    column->addStretch();
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    connect(session, &Session::projectChanged, this, &AcceleratorPanel::refresh);
    refresh();
}

void AcceleratorPanel::refresh()
{
    const auto &arch = m_session->project().architecture;
    if (!arch) {
        m_summary->setText(tr("<i>No fixed architecture: set a preset or a field below to "
                              "evaluate one design point.</i>"));
        return;
    }
    // Area and peak are closed-form and cheap, so they update on the GUI thread directly.
    const AcceleratorConfig &c = arch->config;
    const double area = chipArea(c, defaultTechnology());
    m_summary->setText(
        tr("<b>Area</b> %1 &nbsp; <b>Peak</b> %2<br><b>HBM</b> %3 at %4")
            .arg(QString::fromStdString(formatHuman(area, Dimension::Area)),
                 QString::fromStdString(formatHuman(c.peakFlops(), Dimension::FlopRate)),
                 QString::fromStdString(formatHuman(c.hbmBytes, Dimension::Bytes)),
                 QString::fromStdString(formatHuman(c.hbmBandwidth, Dimension::Bandwidth))));
}

} // namespace phaze
