#pragma once

// The Compare tab: the focused configuration (the selected search result, else the what-if
// one) against the baselines of the run (tpuv4 placed by the DP, tpuv4 with the fixed
// Megatron-style strategy, the decoupled search): a table (architecture, area, HBM,
// throughput, energy per sample, each one's throughput as a ratio to the focused configuration's (as the bars); per-model
// throughputs when the project has several models), exportable to CSV, and grouped bars of the
// same metrics relative to the focused configuration; and, for the Chip tab, what each chip is
// made of (area and power at peak, stacked by component). Everything comes from the result store; the breakdowns
// are closed forms of each chip's configuration.

#include <QPointer>
#include <QString>
#include <QWidget>

#include <vector>

#include "widgets/breakdownplot.h"
#include "widgets/compareplot.h"
#include "widgets/technologycache.h"

class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace phaze {

class Session;

class CompareTab : public QWidget
{
    Q_OBJECT

public:
    // The table's fixed columns; per-model throughput columns follow when there are several
    // models, then a note (why a baseline has no placement).
    enum Column {
        ConfigurationColumn,
        ArchitectureColumn,
        AreaColumn,
        HbmColumn,
        ThroughputColumn,
        EnergyColumn,
        ThroughputRatioColumn, // this row's throughput over the focused one's, as the bars
        FirstModelColumn
    };

    explicit CompareTab(Session *session, QWidget *parent = nullptr);

    // The compared configurations: the focused one first (empty when nothing is focused).
    const std::vector<ComparedConfiguration> &configurations() const { return m_rows; }
    QTableWidget *table() const { return m_table; }
    ComparePlot *comparePlot() const { return m_plot; }
    // The area and power breakdowns of the compared configurations that have a chip. It has no
    // parent: the main window shows it as a tab of its own ("Chip"), where it has room for
    // its legend; the Compare tab keeps it up to date. Deleted with the tab.
    BreakdownPlot *breakdownPlot() const { return m_breakdown; }
    ~CompareTab() override;
    CompareTab(const CompareTab &) = delete;
    CompareTab &operator=(const CompareTab &) = delete;
    QCustomPlot *plot() const;
    QString summaryText() const;
    // Writes the chart as PNG, PDF or SVG (by suffix). Returns "" or the error.
    QString exportPlot(const QString &path, int widthPx, int heightPx, double scale = 1.0);
    // The table as CSV (full-precision numbers, SI units as in the headers).
    QString toCsv() const;
    // Writes toCsv() to path. Returns "" or the error.
    QString exportCsv(const QString &path) const;
    // "4 TC 128x128, 2 VC x128, GLB 32 MiB, 1.05 GHz"
    static QString architectureSummary(const AcceleratorConfig &config);

public slots:
    // Rebuilds the table and chart from the store.
    void refresh();

signals:
    // The table and chart were rebuilt.
    void comparisonChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fillTable();
    void fitTableHeight();
    QString summarize() const;
    QStringList modelNames() const;
    // The compared chips' breakdowns under the table that scored them (the evaluator's, else
    // the project's, as its profile sees it).
    std::vector<ChipBreakdown> chipBreakdowns();

    Session *m_session;
    QLabel *m_summary;
    QPushButton *m_exportPlotButton;
    QPushButton *m_exportCsvButton;
    QTableWidget *m_table;
    ComparePlot *m_plot;
    QPointer<BreakdownPlot> m_breakdown; // owned here only while no tab has taken it
    TechnologyCache m_technology;        // for results without an evaluator (read from a file)
    std::vector<ComparedConfiguration> m_rows;
};

} // namespace phaze
