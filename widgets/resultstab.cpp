#include "widgets/resultstab.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "core/io/searchjson.h"
#include "widgets/resultsmodel.h"
#include "widgets/resultstore.h"

namespace phaze {

using namespace Qt::StringLiterals;

ResultsTab::ResultsTab(ResultStore *store, QWidget *parent)
    : QWidget(parent), m_store(store), m_model(new ResultsModel(store, this)),
      m_proxy(new QSortFilterProxyModel(this)), m_filter(new QLineEdit(this)),
      m_view(new QTableView(this)), m_summary(new QLabel(this))
{
    setObjectName("resultsTab");
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsModel::kSortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setObjectName("resultsFilter");
    m_filter->setPlaceholderText(tr("Filter (any column, e.g. \"128 x 128\" or \"Infeasible\")"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_view->setObjectName("resultsView");
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ResultsModel::Candidate, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *exportButton = new QPushButton(tr("Export CSV..."), this);
    exportButton->setObjectName("exportCsvButton");
    connect(exportButton, &QPushButton::clicked, this, &ResultsTab::exportCsvInteractively);
    m_summary->setObjectName("resultsSummary");

    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_summary);
    top->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (m_syncing)
                    return;
                m_store->selectRow(current.isValid() ? m_proxy->mapToSource(current).row() : -1);
            });
    connect(store, &ResultStore::selectionChanged, this, &ResultsTab::showSelection);
    connect(store, &ResultStore::resultsReset, this, &ResultsTab::updateSummary);
    connect(store, &ResultStore::evaluationAdded, this, &ResultsTab::updateSummary);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ResultsTab::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ResultsTab::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ResultsTab::updateSummary);
    updateSummary();
}

void ResultsTab::showSelection(int row)
{
    const QModelIndex index =
        row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, 0));
    m_syncing = true;
    if (index.isValid()) {
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        m_view->scrollTo(index);
    } else {
        m_view->selectionModel()->clearSelection();
    }
    m_syncing = false;
}

void ResultsTab::updateSummary()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_summary->setText(shown == total ? tr("%n configuration(s)", "", total)
                                      : tr("%1 of %2 configurations").arg(shown).arg(total));
}

QString ResultsTab::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    file.write(QByteArray::fromStdString(searchResultToCsv(m_store->searchResult())));
    if (!file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

void ResultsTab::exportCsvInteractively()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export results"), u"results.csv"_s,
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (const QString error = exportCsv(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Export failed"), error);
}

} // namespace phaze
