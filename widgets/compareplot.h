#pragma once

// Grouped bars comparing configurations: one group per metric (throughput per model when there
// are several, mean throughput, energy per sample, chip area), one bar per configuration, every
// metric relative to the first configuration (the focused one, = 1), the ratio written on each
// bar. A configuration without a value (an infeasible baseline, a baseline known only by its
// throughput) has no bar in that group. QCustomPlot stays out of this header.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

#include "core/search/searchtypes.h"

class QCustomPlot;

namespace phaze {

struct ComparedConfiguration {
    QString name;
    std::optional<Evaluation> evaluation; // absent for a baseline known by its throughput only
    std::optional<double> throughput;     // samples/s, mean over models; absent: none fits
    QString message;                      // why there is no throughput
    std::optional<Candidate> chip;        // where there is no evaluation: the chip alone
};

class ComparePlot : public QWidget
{
    Q_OBJECT

public:
    explicit ComparePlot(QWidget *parent = nullptr);

    // The first configuration is the reference; models names the per-model throughputs.
    void setConfigurations(const std::vector<ComparedConfiguration> &configurations,
                           const QStringList &models);
    void clear();

    QStringList groupLabels() const { return m_groupLabels; }
    // The drawn height of a configuration's bar in a group (read back from the plot), or NaN
    // when it has none.
    double drawnValue(int configuration, int group) const;
    QCustomPlot *plot() const { return m_plot; }

    // The raw value of a configuration in a group (samples/s, J, mm²), when it has one.
    static std::optional<double> value(const ComparedConfiguration &c, int group, int models);

private:
    QCustomPlot *m_plot;
    QStringList m_groupLabels;
};

} // namespace phaze
