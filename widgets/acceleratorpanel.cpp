#include "widgets/acceleratorpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/base/units.h"
#include "widgets/parameterform.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

QString human(double value, Dimension dimension)
{
    return QString::fromStdString(formatHuman(value, dimension));
}

// "16 GiB, 32 GiB": the HBM sizes the what-if evaluates (training.hbm_sizes).
QString hbmSizesText(const std::vector<double> &sizes)
{
    QStringList out;
    for (double s : sizes)
        out << human(s, Dimension::Bytes);
    return out.join(u", "_s);
}

// The area and power breakdowns as a two-part HTML table (the summary's tooltip).
QString breakdownTable(const AreaBreakdown &area, const PowerBreakdown &power)
{
    QString rows = QObject::tr("<tr><th align=left colspan=2>Area</th></tr>");
    for (const AreaBreakdown::Item &item : area.items())
        rows += u"<tr><td>%1</td><td align=right>%2</td></tr>"_s.arg(
            QString::fromUtf8(item.label).toHtmlEscaped(), human(item.mm2, Dimension::Area));
    rows += QObject::tr("<tr><th align=left colspan=2>Power at peak</th></tr>");
    for (const PowerBreakdown::Item &item : power.items())
        rows += u"<tr><td>%1</td><td align=right>%2</td></tr>"_s.arg(
            QString::fromUtf8(item.label).toHtmlEscaped(), human(item.watts, Dimension::Power));
    return u"<table>"_s + rows + u"</table>"_s;
}

} // namespace

AcceleratorPanel::AcceleratorPanel(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_summary(new QLabel(this)), m_whatIf(new QLabel(this)),
      m_useBest(new QPushButton(tr("Use best found"), this)),
      m_useSelected(new QPushButton(tr("Use selected"), this))
{
    auto *content = new QWidget(this);
    auto *column = new QVBoxLayout(content);
    m_summary->setObjectName("acceleratorSummary");
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_whatIf->setObjectName("acceleratorWhatIf");
    m_whatIf->setTextFormat(Qt::RichText);
    m_whatIf->setWordWrap(true);
    m_useBest->setObjectName("useBestArchitecture");
    m_useBest->setToolTip(tr("Make the best configuration of the last search the project's "
                             "architecture (undo with Ctrl+Z)"));
    m_useSelected->setObjectName("useSelectedArchitecture");
    m_useSelected->setToolTip(tr("Make the selected search result the project's architecture"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_useBest);
    buttons->addWidget(m_useSelected);
    column->addWidget(m_summary);
    column->addWidget(m_whatIf);
    column->addLayout(buttons);
    column->addWidget(new ParameterForm(session, u"architecture"_s, content));
    column->addStretch();
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);

    ResultStore *store = session->results();
    connect(m_useBest, &QPushButton::clicked, this, [this, store] {
        if (const int row = store->bestRow(); row >= 0)
            m_session->useArchitecture(store->evaluations()[std::size_t(row)].config,
                                       tr("architecture (best found)"));
    });
    connect(m_useSelected, &QPushButton::clicked, this, [this, store] {
        if (const int row = store->selectedRow(); row >= 0)
            m_session->useArchitecture(store->evaluations()[std::size_t(row)].config,
                                       tr("architecture (selected)"));
    });
    // Opening a project (the same file again too) reads its technology file afresh.
    connect(session, &Session::filePathChanged, this, [this] { m_technology.reset(); });
    connect(session, &Session::projectChanged, this, &AcceleratorPanel::refresh);
    connect(store, &ResultStore::whatIfChanged, this, &AcceleratorPanel::refresh);
    connect(store, &ResultStore::resultsReset, this, &AcceleratorPanel::refreshButtons);
    connect(store, &ResultStore::evaluationAdded, this, &AcceleratorPanel::refreshButtons);
    connect(store, &ResultStore::selectionChanged, this, &AcceleratorPanel::refreshButtons);
    refresh();
}

void AcceleratorPanel::refreshButtons()
{
    const ResultStore *store = m_session->results();
    m_useBest->setEnabled(store->bestRow() >= 0);
    const int row = store->selectedRow();
    m_useSelected->setEnabled(row >= 0 && store->evaluations()[std::size_t(row)].feasible());
}

const Result<TechnologyTable> &AcceleratorPanel::technology()
{
    return m_technology.get(m_session->project().technology, m_session->baseDir());
}

void AcceleratorPanel::refresh()
{
    refreshButtons();
    const auto &arch = m_session->project().architecture;
    m_area.reset();
    if (!arch) {
        m_summary->setText(tr("<i>No fixed architecture: set a preset or a field below to "
                              "evaluate one design point.</i>"));
        m_whatIf->clear();
        return;
    }
    // Area and peak are closed-form and cheap, so they update on the GUI thread directly; the
    // technology table comes from the cache (a file read only when the reference changed).
    const AcceleratorConfig &c = arch->config;
    const Result<TechnologyTable> &tech = technology();
    QString area;
    QString technologyLine; // which table, when it is not the built-in one
    if (const std::string &reference = m_session->project().technology;
        !reference.empty() && reference != "default")
        technologyLine =
            tr("<br><b>Technology</b> %1").arg(QString::fromStdString(reference).toHtmlEscaped());
    QString power = tr("unknown");
    QString breakdown; // the area and power breakdowns, as the summary's tooltip
    if (tech.value) {
        // As the project's profile sees the table: PHAZE's chip pays nothing per core.
        const TechnologyTable seen =
            technologyForProfile(*tech.value, m_session->project().training.profile);
        const AreaBreakdown areas = areaBreakdown(c, seen);
        const PowerBreakdown watts = peakPowerBreakdown(c, seen, areas.total());
        m_area = areas.total();
        area = human(*m_area, Dimension::Area);
        power = human(watts.total(), Dimension::Power);
        breakdown = breakdownTable(areas, watts);
    } else {
        const QString why = tech.diagnostics.empty()
                                ? tr("cannot load the technology table")
                                : QString::fromStdString(formatAll(tech.diagnostics));
        area = tr("<span style='color:#b00020'>unknown: %1</span>").arg(why.toHtmlEscaped());
    }
    // The what-if (as the search) sizes the HBM from training.hbm_sizes, not from the
    // architecture's hbm_size: the dock names the sizes it evaluates, so that the HBM beside the
    // throughput is one of them.
    const std::vector<double> &sizes = m_session->project().training.hbmSizes;
    m_summary->setText(
        tr("<b>Area</b> %1 &nbsp; <b>Peak</b> %2<br><b>Power at peak</b> %5<br><b>HBM</b> %3 at %4")
            .arg(area, human(c.peakFlops(), Dimension::FlopRate),
                 sizes.empty() ? human(c.hbmBytes, Dimension::Bytes) : hbmSizesText(sizes),
                 human(c.hbmBandwidth, Dimension::Bandwidth), power) +
        technologyLine);
    m_summary->setToolTip(breakdown);
    // The throughput comes from the background what-if evaluation (WhatIfJob).
    const Evaluation *current = m_session->results()->whatIfEvaluation();
    if (!current && !m_session->results()->whatIfError().isEmpty()) {
        m_whatIf->setText(tr("<b>Throughput</b> not evaluated: %1")
                              .arg(m_session->results()->whatIfError().toHtmlEscaped()));
    } else if (!current) {
        m_whatIf->setText(tr("<i>Throughput: evaluating...</i>"));
    } else if (!current->feasible()) {
        m_whatIf->setText(tr("<b>Throughput</b> none: %1")
                              .arg(QString::fromStdString(current->message).toHtmlEscaped()));
    } else {
        m_whatIf->setText((sizes.size() > 1
                               ? tr("<b>Throughput</b> %1 samples/s at HBM %2, the best of "
                                    "training.hbm_sizes")
                               : tr("<b>Throughput</b> %1 samples/s at HBM %2"))
                              .arg(current->throughput, 0, 'f', 1)
                              .arg(human(current->config.hbmBytes, Dimension::Bytes)));
    }
}

} // namespace phaze
