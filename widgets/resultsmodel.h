#pragma once

// The evaluated configurations of the session's ResultStore as a table (one row per
// evaluation, in the store's order). Qt::DisplayRole is formatted text; kSortRole gives the
// numeric value so a proxy sorts numbers as numbers.

#include <QAbstractTableModel>

namespace phaze {

class ResultStore;
struct Evaluation;

class ResultsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Candidate,
        StatusColumn,
        Throughput,
        Area,
        Tcs,
        TcShape,
        Vcs,
        Glb,
        Hbm,
        Strategy,
        Microbatch,
        Recomputation,
        MemoryPerDevice,
        EnergyPerSample,
        PeakPower, // the chip's power at peak, a TDP estimate
        ColumnCount
    };
    static constexpr int kSortRole = Qt::UserRole + 1;

    explicit ResultsModel(ResultStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A multi-line description of one evaluation (plot tooltips use it too).
    static QString describe(const Evaluation &evaluation);

private:
    QVariant display(const Evaluation &e, int column) const;
    QVariant sortValue(const Evaluation &e, int column) const;

    ResultStore *m_store;
    int m_rows = 0;
};

} // namespace phaze
