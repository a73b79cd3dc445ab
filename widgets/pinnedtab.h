#pragma once

// The Pinned tab: designs kept aside (Pin Focused: the selected search result or the what-if
// one) compared side by side. A table with one column per pinned design and one row per
// parameter and metric: every architecture field, the area, the power at peak, the throughput,
// the energy per sample, each model's layout, time per batch, memory per device and MFU, and the
// training, cluster and strategy settings of the project each was evaluated with. Rows whose
// values differ are highlighted (and "Only differences" hides the rest). Under the table, the
// pinned chips' area and power breakdowns as stacked bars next to each other, and on a second
// page their pipelines on one time axis (PinnedPipelines). Pins outlive a new
// search and a reopened earlier run, so runs can be compared this way; opening another project
// drops them.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "widgets/breakdownplot.h"
#include "widgets/pinnedpipelines.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace phaze {

class Session;

class PinnedTab : public QWidget
{
    Q_OBJECT

public:
    explicit PinnedTab(Session *session, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    BreakdownPlot *breakdownPlot() const { return m_breakdown; }
    PinnedPipelines *pipelines() const { return m_pipelines; }
    // The pages under the table: chip breakdowns, pipelines.
    QTabWidget *views() const { return m_views; }
    QPushButton *pinButton() const { return m_pin; }
    QCheckBox *onlyDifferencesBox() const { return m_onlyDifferences; }
    // The row of a parameter or metric by its label ("num_tc", "Throughput (samples/s)"), -1.
    int rowOf(const QString &label) const;
    // Whether a row is highlighted as differing between the pinned designs.
    bool rowDiffers(int row) const;
    // The table as CSV: one line per row, the label then one value per pinned design.
    QString toCsv() const;
    QString exportCsv(const QString &path) const;

public slots:
    void pinFocused();
    // Unpins the designs of the selected columns.
    void unpinSelected();
    void refresh();

private:
    struct Row {
        QString label;
        QStringList values; // one per pinned design
    };
    std::vector<Row> buildRows() const;
    std::vector<ChipBreakdown> chipBreakdowns() const;
    void applyFilter();

    Session *m_session;
    QLabel *m_summary;
    QPushButton *m_pin;
    QPushButton *m_unpin;
    QPushButton *m_clear;
    QPushButton *m_exportCsv;
    QCheckBox *m_onlyDifferences;
    QTableWidget *m_table;
    BreakdownPlot *m_breakdown;
    PinnedPipelines *m_pipelines;
    QTabWidget *m_views;
    std::vector<bool> m_differs; // per table row
};

} // namespace phaze
