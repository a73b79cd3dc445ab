#include "widgets/pinnedtab.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <set>

#include "core/arch/parameterregistry.h"
#include "core/base/units.h"
#include "core/evaluation/evaluator.h"
#include "core/io/projectfields.h"
#include "widgets/comparetab.h"
#include "widgets/csvfile.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

// The highlight of a row whose values differ (a pale amber that keeps black text legible).
const QColor kDiffers(0xff, 0xf0, 0xc0);

QString human(double value, Dimension dimension)
{
    return QString::fromStdString(formatHuman(value, dimension, 4));
}

// The project sections a pinned design's settings rows come from (its architecture has rows
// of its own; the space and the search settings say how it was found, not what it is).
bool comparedSection(const std::string &section)
{
    return section == "training" || section == "cluster" || section == "strategy" ||
           section == "technology" || section == "models";
}

} // namespace

PinnedTab::PinnedTab(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_summary(new QLabel(this)),
      m_pin(new QPushButton(tr("Pin Focused"), this)),
      m_unpin(new QPushButton(tr("Unpin Selected"), this)),
      m_clear(new QPushButton(tr("Clear Pins"), this)),
      m_exportCsv(new QPushButton(tr("Export CSV..."), this)),
      m_onlyDifferences(new QCheckBox(tr("Only differences"), this)),
      m_table(new QTableWidget(this)), m_breakdown(new BreakdownPlot(this)),
      m_pipelines(new PinnedPipelines(session, this)), m_views(new QTabWidget(this))
{
    setObjectName("pinnedTab");
    m_summary->setObjectName("pinnedSummary");
    m_summary->setWordWrap(true);
    m_pin->setObjectName("pinFocusedButton");
    m_pin->setToolTip(tr("Keep the focused configuration (the selected result, else the "
                         "current architecture) for a side-by-side comparison and the Sweep "
                         "tab (Ctrl+Shift+P)"));
    m_unpin->setObjectName("unpinButton");
    m_clear->setObjectName("clearPinsButton");
    m_onlyDifferences->setObjectName("onlyDifferencesBox");
    m_table->setObjectName("pinnedTable");
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectColumns);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_breakdown->setObjectName("pinnedBreakdown");
    m_breakdown->setMinimumHeight(240); // the bars and their legend

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_onlyDifferences);
    top->addWidget(m_pin);
    top->addWidget(m_unpin);
    top->addWidget(m_clear);
    top->addWidget(m_exportCsv);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    m_views->setObjectName("pinnedViews");
    m_views->addTab(m_breakdown, tr("Chip breakdowns"));
    m_views->addTab(m_pipelines, tr("Pipelines"));
    split->addWidget(m_views);
    // The pipelines want the room: the table keeps a third while they are shown.
    connect(m_views, &QTabWidget::currentChanged, this, [this, split](int page) {
        const int total = split->height();
        if (m_views->widget(page) == m_pipelines)
            split->setSizes({total / 3, total - total / 3});
        else
            split->setSizes({total / 2, total - total / 2});
    });
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_pin, &QPushButton::clicked, this, &PinnedTab::pinFocused);
    connect(m_unpin, &QPushButton::clicked, this, &PinnedTab::unpinSelected);
    connect(m_clear, &QPushButton::clicked, this, [this] { m_session->results()->clearPins(); });
    connect(m_onlyDifferences, &QCheckBox::toggled, this, &PinnedTab::applyFilter);
    connect(m_exportCsv, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export pinned designs"),
                                                          u"pinned.csv"_s, tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportCsv(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    const ResultStore *store = session->results();
    connect(store, &ResultStore::pinsChanged, this, &PinnedTab::refresh);
    // Only the Pin button depends on the focus: the table is of the pins.
    connect(store, &ResultStore::focusChanged, this,
            [this] { m_pin->setEnabled(m_session->results()->focused() != nullptr); });
    refresh();
}

void PinnedTab::pinFocused()
{
    ResultStore *store = m_session->results();
    if (!store->focused())
        m_summary->setText(tr("Nothing is focused: select a search result, or give the project "
                              "an architecture, then pin it."));
    else if (!store->pinFocused())
        m_summary->setText(tr("The %1 is pinned already.").arg(store->focusLabel()));
}

void PinnedTab::unpinSelected()
{
    std::set<int> columns;
    for (const QModelIndex &index : m_table->selectionModel()->selectedIndexes())
        columns.insert(index.column());
    // From the right, so that the indices of the others stay.
    for (auto it = columns.rbegin(); it != columns.rend(); ++it)
        m_session->results()->unpin(std::size_t(*it));
}

std::vector<PinnedTab::Row> PinnedTab::buildRows() const
{
    const std::vector<PinnedDesign> &pins = m_session->results()->pinned();
    std::vector<Row> rows;
    const auto add = [&rows](const QString &label, const QStringList &values) {
        rows.push_back({label, values});
    };
    const auto each = [&pins](auto valueOf) {
        QStringList values;
        for (const PinnedDesign &p : pins)
            values << valueOf(p);
        return values;
    };
    add(tr("Architecture"), each([](const PinnedDesign &p) {
            return CompareTab::architectureSummary(p.evaluation.config);
        }));
    add(tr("Profile"), each([](const PinnedDesign &p) {
            return p.project.project.training.profile == ModelProfile::System ? u"system"_s
                                                                              : u"phaze"_s;
        }));
    // Results first: what a comparison is for.
    add(tr("Throughput (samples/s)"), each([](const PinnedDesign &p) {
            return p.evaluation.feasible() ? QString::number(p.evaluation.throughput, 'f', 2)
                                           : tr("infeasible");
        }));
    add(tr("Energy per sample (J)"), each([](const PinnedDesign &p) {
            return QString::number(p.evaluation.energyPerSample, 'g', 5);
        }));
    add(tr("Area (mm²)"),
        each([](const PinnedDesign &p) { return QString::number(p.evaluation.areaMm2, 'f', 2); }));
    add(tr("Power at peak (W)"), each([](const PinnedDesign &p) {
            return QString::number(p.evaluation.peakPowerW, 'f', 1);
        }));
    add(tr("HBM"), each([](const PinnedDesign &p) {
            return human(p.evaluation.config.hbmBytes, Dimension::Bytes);
        }));
    // Each model of each design (by position: pinned designs of one project share its models).
    std::size_t models = 0;
    for (const PinnedDesign &p : pins)
        models = std::max(models, p.evaluation.models.size());
    for (std::size_t m = 0; m < models; ++m) {
        const auto outcome = [m](const PinnedDesign &p) -> const ModelOutcome * {
            return m < p.evaluation.models.size() ? &p.evaluation.models[m] : nullptr;
        };
        QString name;
        for (const PinnedDesign &p : pins)
            if (const ModelOutcome *o = outcome(p); o && name.isEmpty())
                name = QString::fromStdString(o->model);
        const auto field = [&](const QString &what, auto text) {
            add(name + u": "_s + what, each([&](const PinnedDesign &p) {
                    const ModelOutcome *o = outcome(p);
                    return o && hasAnswer(o->status) ? text(*o) : u"—"_s;
                }));
        };
        field(tr("layout (t, p, d, microbatch)"), [](const ModelOutcome &o) {
            return u"t %1 p %2 d %3 mb %4%5"_s.arg(o.tensorParallel)
                .arg(o.pipelineStages)
                .arg(o.dataParallel)
                .arg(o.microbatch)
                .arg(o.recomputation ? u", recomputation"_s : QString());
        });
        field(tr("time per batch"),
              [](const ModelOutcome &o) { return human(o.timePerBatch, Dimension::Time); });
        field(tr("memory per device"),
              [](const ModelOutcome &o) { return human(o.memoryPerDevice, Dimension::Bytes); });
        field(tr("MFU"), [](const ModelOutcome &o) {
            return o.modelFlopsUtilisation > 0.0
                       ? QString::number(100.0 * o.modelFlopsUtilisation, 'f', 1) + u" %"_s
                       : u"—"_s;
        });
        // Each distinct layer's share of the peak, forward / backward: why one chip runs the
        // model faster (PHAZE's profile, whose layers are scheduled exactly).
        std::vector<std::string> layers;
        for (const PinnedDesign &p : pins)
            if (const ModelOutcome *o = outcome(p))
                for (const LayerEfficiency &l : o->layerEfficiency)
                    if (std::find(layers.begin(), layers.end(), l.layer) == layers.end())
                        layers.push_back(l.layer);
        for (const std::string &layer : layers)
            field(tr("%1 efficiency (forward / backward)").arg(QString::fromStdString(layer)),
                  [layer](const ModelOutcome &o) {
                      for (const LayerEfficiency &l : o.layerEfficiency)
                          if (l.layer == layer)
                              return u"%1 % / %2 %"_s.arg(100.0 * l.forward, 0, 'f', 1)
                                  .arg(100.0 * l.backward, 0, 'f', 1);
                      return u"—"_s;
                  });
    }
    // Every architecture field, as the project file writes it.
    for (const ParameterSpec *spec : ParameterRegistry::instance().group(ParamGroup::Architecture))
        add(QString::fromStdString(spec->key), each([spec](const PinnedDesign &p) {
                return QString::fromStdString(spec->valueText(spec->get(p.evaluation.config)));
            }));
    // The settings of the project each was evaluated with, in the order the first gives them.
    std::vector<std::string> keys;
    std::vector<std::map<std::string, std::string>> values(pins.size());
    for (std::size_t i = 0; i < pins.size(); ++i)
        for (const ProjectField &f : projectFields(pins[i].project.project)) {
            if (!comparedSection(f.section))
                continue;
            const std::string key = f.key.empty() ? f.section : f.section + "." + f.key;
            if (values[i].count(key) == 0 && std::find(keys.begin(), keys.end(), key) == keys.end())
                keys.push_back(key);
            values[i][key] = f.value;
        }
    for (const std::string &key : keys) {
        QStringList row;
        for (const auto &v : values) {
            const auto it = v.find(key);
            row << (it == v.end() ? u"—"_s : QString::fromStdString(it->second));
        }
        add(QString::fromStdString(key), row);
    }
    return rows;
}

std::vector<ChipBreakdown> PinnedTab::chipBreakdowns() const
{
    std::vector<ChipBreakdown> out;
    for (const PinnedDesign &p : m_session->results()->pinned()) {
        // As scored, carried by the evaluation (a results file's too).
        if (p.evaluation.carriesChipBreakdown()) {
            out.push_back({p.label, p.evaluation.area, p.evaluation.power});
            continue;
        }
        // Else the table that scored it: its evaluator's (a pin without one, from a results
        // file of before the breakdowns were carried, has none rather than one under another
        // table).
        if (!p.project.evaluator)
            continue;
        const TechnologyTable &tech = p.project.evaluator->technology();
        const AreaBreakdown area = areaBreakdown(p.evaluation.config, tech);
        out.push_back({p.label, area, peakPowerBreakdown(p.evaluation.config, tech, area.total())});
    }
    return out;
}

void PinnedTab::refresh()
{
    const ResultStore *store = m_session->results();
    const std::vector<PinnedDesign> &pins = store->pinned();
    m_pin->setEnabled(store->focused() != nullptr);
    m_unpin->setEnabled(!pins.empty());
    m_clear->setEnabled(!pins.empty());
    m_exportCsv->setEnabled(!pins.empty());
    const std::vector<Row> rows = buildRows();
    m_table->clear();
    m_table->setRowCount(pins.empty() ? 0 : int(rows.size()));
    m_table->setColumnCount(int(pins.size()));
    QStringList headers;
    for (const PinnedDesign &p : pins)
        headers << p.label;
    m_table->setHorizontalHeaderLabels(headers);
    m_differs.assign(std::size_t(m_table->rowCount()), false);
    QStringList labels;
    int differing = 0;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const Row &row = rows[std::size_t(r)];
        labels << row.label;
        const bool differs = QSet<QString>(row.values.begin(), row.values.end()).size() > 1;
        m_differs[std::size_t(r)] = differs;
        differing += differs ? 1 : 0;
        for (int c = 0; c < row.values.size(); ++c) {
            auto *item = new QTableWidgetItem(row.values[c]);
            if (differs) {
                item->setBackground(kDiffers);
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_table->setItem(r, c, item);
        }
    }
    m_table->setVerticalHeaderLabels(labels);
    applyFilter();
    m_breakdown->setChips(chipBreakdowns());
    if (pins.empty())
        m_summary->setText(tr("No design pinned. Pin Focused (Ctrl+Shift+P) keeps the selected "
                              "result or the current architecture here, to compare designs of "
                              "this and earlier runs side by side and to sweep a parameter for "
                              "them (Sweep tab)."));
    else
        m_summary->setText(
            tr("%n pinned design(s); %1 of %2 rows differ (highlighted).", "", int(pins.size()))
                .arg(differing)
                .arg(m_table->rowCount()));
}

void PinnedTab::applyFilter()
{
    const bool only = m_onlyDifferences->isChecked() && m_table->columnCount() > 1;
    for (int r = 0; r < m_table->rowCount(); ++r)
        m_table->setRowHidden(r, only && !m_differs[std::size_t(r)]);
}

int PinnedTab::rowOf(const QString &label) const
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (const QTableWidgetItem *h = m_table->verticalHeaderItem(r); h && h->text() == label)
            return r;
    return -1;
}

bool PinnedTab::rowDiffers(int row) const
{
    return row >= 0 && std::size_t(row) < m_differs.size() && m_differs[std::size_t(row)];
}

QString PinnedTab::toCsv() const
{
    QString out = u"parameter"_s;
    for (const PinnedDesign &p : m_session->results()->pinned())
        out += u',' + csvField(p.label);
    out += u'\n';
    for (int r = 0; r < m_table->rowCount(); ++r) {
        out += csvField(m_table->verticalHeaderItem(r)->text());
        for (int c = 0; c < m_table->columnCount(); ++c)
            out += u',' + csvField(m_table->item(r, c) ? m_table->item(r, c)->text() : QString());
        out += u'\n';
    }
    return out;
}

QString PinnedTab::exportCsv(const QString &path) const
{
    return writeCsvFile(path, toCsv());
}

} // namespace phaze
