#include "widgets/comparetab.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include <optional>

#include "core/base/units.h"
#include "core/evaluation/evaluator.h"
#include "core/io/technologyfile.h"
#include "widgets/csvfile.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

QString human(double value, Dimension dimension)
{
    return QString::fromStdString(formatHuman(value, dimension));
}

QTableWidgetItem *textItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

// Shows text, keeps the exact number for tests and the CSV; empty when there is no value.
QTableWidgetItem *numberItem(std::optional<double> value, const QString &text)
{
    QTableWidgetItem *item = textItem(value ? text : u"—"_s);
    if (value)
        item->setData(Qt::UserRole, *value);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

std::optional<double> modelThroughput(const ComparedConfiguration &c, std::size_t model)
{
    if (!c.evaluation || model >= c.evaluation->models.size())
        return std::nullopt;
    const ModelOutcome &m = c.evaluation->models[model];
    if (!hasAnswer(m.status))
        return std::nullopt;
    return m.throughput;
}

} // namespace

CompareTab::CompareTab(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_summary(new QLabel(this)),
      m_exportPlotButton(new QPushButton(tr("Export plot..."), this)),
      m_exportCsvButton(new QPushButton(tr("Export CSV..."), this)),
      m_table(new QTableWidget(this)), m_plot(new ComparePlot(this)),
      m_breakdown(new BreakdownPlot)
{
    setObjectName("compareTab");
    m_summary->setObjectName("compareSummary");
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setObjectName("compareTable");
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_exportCsvButton);
    top->addWidget(m_exportPlotButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table);
    layout->addWidget(m_plot, 1);

    connect(m_exportPlotButton, &QPushButton::clicked, this, [this] {
        exportCustomPlotInteractively(this, plot(), u"compare.pdf"_s, tr("Comparison"));
    });
    connect(m_exportCsvButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export comparison"), u"compare.csv"_s, tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportCsv(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    const ResultStore *store = session->results();
    connect(store, &ResultStore::focusChanged, this, &CompareTab::refresh);
    // The baselines come with the finished search or the what-if run, also when the focus
    // itself stays (a selected row keeps the focus while the what-if result changes).
    connect(store, &ResultStore::whatIfChanged, this, &CompareTab::refresh);
    connect(store, &ResultStore::resultsReset, this, &CompareTab::refresh);
    // Opening a project (the same file again too) reads its technology file afresh.
    connect(session, &Session::filePathChanged, this, [this] { m_technology.reset(); });
    connect(session, &Session::projectChanged, this, &CompareTab::refresh);
    refresh();
}

CompareTab::~CompareTab()
{
    if (m_breakdown && !m_breakdown->parent())
        delete m_breakdown;
}

QCustomPlot *CompareTab::plot() const
{
    return m_plot->plot();
}

QStringList CompareTab::modelNames() const
{
    QStringList names;
    for (const ModelRef &ref : m_session->focusedProject().project.models)
        names << QString::fromStdString(ref.label());
    return names;
}

QString CompareTab::architectureSummary(const AcceleratorConfig &c)
{
    return tr("%1 TC %2x%3, %4 VC x%5, GLB %6, %7")
        .arg(c.numTc)
        .arg(c.tcWidth)
        .arg(c.tcDepth)
        .arg(c.numVc)
        .arg(c.vcWidth)
        .arg(human(c.glbBytes, Dimension::Bytes), human(c.frequency, Dimension::Frequency));
}

std::vector<ChipBreakdown> CompareTab::chipBreakdowns()
{
    std::vector<ChipBreakdown> out;
    const ProjectSnapshot focused = m_session->focusedProject();
    std::optional<TechnologyTable> tech;
    if (focused.evaluator) {
        tech = focused.evaluator->technology();
    } else if (const Result<TechnologyTable> &read =
                   m_technology.get(focused.project.technology, focused.baseDir);
               read.value) {
        // Read once per reference; an unreadable file leaves the breakdowns out (the
        // Accelerator dock says why).
        tech = technologyForProfile(*read.value, focused.project.training.profile);
    }
    for (const ComparedConfiguration &c : m_rows) {
        if (!c.evaluation)
            continue;
        // As scored (read back with a results file too); a file of before the breakdowns were
        // carried is broken down under the project's table.
        if (c.evaluation->carriesChipBreakdown()) {
            out.push_back({c.name, c.evaluation->area, c.evaluation->power});
            continue;
        }
        if (!tech)
            continue;
        const AreaBreakdown area = areaBreakdown(c.evaluation->config, *tech);
        out.push_back({c.name, area, peakPowerBreakdown(c.evaluation->config, *tech, area.total())});
    }
    return out;
}

void CompareTab::refresh()
{
    const ResultStore *store = m_session->results();
    m_rows.clear();
    if (const Evaluation *focused = store->focused()) {
        QString name = store->focusLabel();
        if (!name.isEmpty())
            name[0] = name[0].toUpper();
        ComparedConfiguration row{name, *focused, std::nullopt,
                                  QString::fromStdString(focused->message), std::nullopt};
        if (focused->feasible())
            row.throughput = focused->throughput;
        m_rows.push_back(std::move(row));
        for (const Baseline &b : store->comparisonBaselines())
            m_rows.push_back({QString::fromStdString(b.name), b.evaluation, b.throughput,
                              QString::fromStdString(b.message), b.chip});
    }
    fillTable();
    if (m_rows.empty())
        m_plot->clear();
    else
        m_plot->setConfigurations(m_rows, modelNames());
    m_breakdown->setChips(chipBreakdowns());
    m_summary->setText(summarize());
    emit comparisonChanged();
}

void CompareTab::fillTable()
{
    const QStringList models = modelNames();
    // Two-line headers keep the columns narrow enough for the table to fit a window's width.
    QStringList headers{
        tr("Configuration"),
        tr("Architecture"),
        tr("Area\n(mm²)"),
        tr("HBM\n(GiB)"),
        models.size() > 1 ? tr("Throughput, mean\n(samples/s)") : tr("Throughput\n(samples/s)"),
        tr("Energy per\nsample (J)"),
        tr("Throughput ratio\nto %1").arg(m_rows.empty() ? tr("focused") : m_rows.front().name)};
    if (models.size() > 1)
        for (const QString &m : models)
            headers << tr("Throughput, %1\n(samples/s)").arg(m);
    headers << tr("Note");
    m_table->clear();
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(int(m_rows.size()));
    const std::optional<double> reference =
        m_rows.empty() ? std::nullopt : m_rows.front().throughput;
    for (int r = 0; r < int(m_rows.size()); ++r) {
        const ComparedConfiguration &c = m_rows[std::size_t(r)];
        const Evaluation *e = c.evaluation ? &*c.evaluation : nullptr;
        // The chip: the evaluated one, or a baseline's known by its time alone.
        const AcceleratorConfig *config = e ? &e->config : c.chip ? &c.chip->config : nullptr;
        const std::optional<double> area =
            e ? std::optional(e->areaMm2) : c.chip ? std::optional(c.chip->areaMm2) : std::nullopt;
        m_table->setItem(r, ConfigurationColumn, textItem(c.name));
        m_table->setItem(r, ArchitectureColumn,
                         textItem(config ? architectureSummary(*config) : QString()));
        m_table->setItem(r, AreaColumn, numberItem(area, QString::number(area.value_or(0), 'f', 1)));
        const std::optional<double> hbm =
            config ? std::optional(config->hbmBytes / kGiB) : std::nullopt;
        m_table->setItem(r, HbmColumn, numberItem(hbm, QString::number(hbm.value_or(0), 'g', 4)));
        m_table->setItem(
            r, ThroughputColumn,
            numberItem(c.throughput, QString::number(c.throughput.value_or(0), 'f', 1)));
        const bool hasEnergy = e && e->feasible();
        m_table->setItem(r, EnergyColumn,
                         numberItem(hasEnergy ? std::optional(e->energyPerSample) : std::nullopt,
                                    QString::number(hasEnergy ? e->energyPerSample : 0.0, 'g', 4)));
        // The bars' convention: this row over the focused one (above 1: faster than it).
        std::optional<double> ratio;
        if (reference && c.throughput && *reference > 0.0)
            ratio = *c.throughput / *reference;
        m_table->setItem(r, ThroughputRatioColumn,
                         numberItem(ratio, QString::number(ratio.value_or(0), 'f', 2)));
        int column = FirstModelColumn;
        if (models.size() > 1)
            for (int m = 0; m < int(models.size()); ++m, ++column) {
                const std::optional<double> t = modelThroughput(c, std::size_t(m));
                m_table->setItem(r, column, numberItem(t, QString::number(t.value_or(0), 'f', 1)));
            }
        m_table->setItem(r, column, textItem(c.throughput ? QString() : c.message));
        if (r == 0)
            for (int col = 0; col < m_table->columnCount(); ++col) {
                QFont bold = m_table->item(r, col)->font();
                bold.setBold(true);
                m_table->item(r, col)->setFont(bold);
            }
    }
    m_table->resizeColumnsToContents();
    fitTableHeight();
}

void CompareTab::fitTableHeight()
{
    // The table is as tall as its rows (a handful), so that the chart gets the rest.
    int height = 2 * m_table->frameWidth() + m_table->horizontalHeader()->sizeHint().height();
    for (int r = 0; r < m_table->rowCount(); ++r)
        height += m_table->rowHeight(r);
    if (m_table->horizontalHeader()->length() > m_table->viewport()->width())
        height += m_table->horizontalScrollBar()->sizeHint().height();
    if (m_table->minimumHeight() == height && m_table->maximumHeight() == height)
        return;
    m_table->setFixedHeight(height);
    // Now rather than at the next event loop turn: a grab() or an export right after a refresh
    // sees the final layout.
    layout()->activate();
}

void CompareTab::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitTableHeight();
}

QString CompareTab::summarize() const
{
    if (m_rows.empty())
        return tr("Select a search result (or set the project's architecture) to compare it "
                  "with the baselines.");
    const ComparedConfiguration &focus = m_rows.front();
    if (!focus.throughput)
        return tr("%1 has no placement: %2").arg(focus.name, focus.message);
    if (m_rows.size() == 1)
        return tr("%1: %2 samples/s. No baselines yet: they are computed with a search or "
                  "the what-if evaluation.")
            .arg(focus.name)
            .arg(*focus.throughput, 0, 'f', 1);
    QStringList parts;
    for (std::size_t i = 1; i < m_rows.size(); ++i) {
        const ComparedConfiguration &b = m_rows[i];
        if (b.throughput && *b.throughput > 0.0)
            parts
                << tr("%1x over %2").arg(*focus.throughput / *b.throughput, 0, 'f', 2).arg(b.name);
        else
            parts << tr("%1 has no placement").arg(b.name);
    }
    return tr("%1 (%2 samples/s): %3.")
        .arg(focus.name)
        .arg(*focus.throughput, 0, 'f', 1)
        .arg(parts.join(tr("; ")));
}

QString CompareTab::summaryText() const
{
    return m_summary->text();
}

QString CompareTab::exportPlot(const QString &path, int widthPx, int heightPx, double scale)
{
    return exportCustomPlot(plot(), path, widthPx, heightPx, scale, tr("Comparison"));
}

QString CompareTab::toCsv() const
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < m_table->columnCount(); ++c)
        header << csvField(m_table->horizontalHeaderItem(c)->text().replace(u'\n', u' '));
    lines << header.join(u',');
    for (int r = 0; r < m_table->rowCount(); ++r) {
        QStringList fields;
        for (int c = 0; c < m_table->columnCount(); ++c) {
            const QTableWidgetItem *item = m_table->item(r, c);
            const QVariant exact = item->data(Qt::UserRole);
            if (exact.isValid())
                fields << QString::number(exact.toDouble(), 'g', 17);
            else
                fields << csvField(item->text() == u"—"_s ? QString() : item->text());
        }
        lines << fields.join(u',');
    }
    return lines.join(u'\n') + u'\n';
}

QString CompareTab::exportCsv(const QString &path) const
{
    return writeCsvFile(path, toCsv());
}

} // namespace phaze
