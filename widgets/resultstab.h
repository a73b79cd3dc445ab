#pragma once

// The Results tab: every evaluated configuration in a sortable, filterable table whose current
// row is the session's selected candidate, with a CSV export of the search.

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace phaze {

class ResultStore;
class ResultsModel;

class ResultsTab : public QWidget
{
    Q_OBJECT

public:
    explicit ResultsTab(ResultStore *store, QWidget *parent = nullptr);

    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    // Writes searchResultToCsv of the current results; returns "" or the error.
    QString exportCsv(const QString &path) const;

private:
    void exportCsvInteractively();
    void showSelection(int row);
    void updateSummary();

    ResultStore *m_store;
    ResultsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QLabel *m_summary;
    bool m_syncing = false; // breaks the view -> store -> view loop
};

} // namespace phaze
