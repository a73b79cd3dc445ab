// The results table: one row per evaluation (streamed and final), numeric sorting, the filter,
// the selection linked to the session, and the CSV export.

#include <QtTest>

#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"
#include "widgets/resultsmodel.h"
#include "widgets/resultstab.h"
#include "widgets/resultstore.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

CodesignResult quickResult()
{
    const Result<ProjectSpec> load =
        loadProjectFile(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");
    auto result = runCodesign(*load.value, PHAZE_SOURCE_DIR "/examples", {});
    return std::move(*result.value);
}

} // namespace

class TestResultsModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsFollowTheStore()
    {
        const CodesignResult result = quickResult();
        ResultStore store;
        ResultsModel model(&store);
        QCOMPARE(model.columnCount(), int(ResultsModel::ColumnCount));
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (const Evaluation &e : result.search.evaluations)
            store.addEvaluation(e);
        QCOMPARE(inserted.size(), int(result.search.evaluations.size()));
        QCOMPARE(model.rowCount(), int(result.search.evaluations.size()));
        store.setResult(result);
        QCOMPARE(model.rowCount(), int(result.search.evaluations.size()));
        const Evaluation &best = result.search.evaluations[*result.search.best];
        const QModelIndex bestIndex = model.index(int(*result.search.best), 0);
        QCOMPARE(model.data(bestIndex).toULongLong(), qulonglong(best.candidate));
        QCOMPARE(
            model.data(bestIndex.siblingAtColumn(ResultsModel::Throughput), ResultsModel::kSortRole)
                .toDouble(),
            best.throughput);
        QVERIFY(
            model.data(bestIndex.siblingAtColumn(ResultsModel::Strategy)).toString().count(u'/') ==
            2);
        QVERIFY(model.data(bestIndex, Qt::ToolTipRole).toString().contains(u"samples/s"_s));
        QCOMPARE(model.headerData(ResultsModel::Hbm, Qt::Horizontal).toString(), u"HBM"_s);
        store.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void sortsFiltersAndLinksSelection()
    {
        const CodesignResult result = quickResult();
        ResultStore store;
        ResultsTab tab(&store);
        store.setResult(result);
        QSortFilterProxyModel *proxy = tab.proxy();
        const int rows = int(result.search.evaluations.size());
        QCOMPARE(proxy->rowCount(), rows);

        // Numeric sort, descending: the first row is the best configuration.
        tab.view()->sortByColumn(ResultsModel::Throughput, Qt::DescendingOrder);
        const double top =
            proxy->index(0, ResultsModel::Throughput).data(ResultsModel::kSortRole).toDouble();
        QCOMPARE(top, result.search.evaluations[*result.search.best].throughput);
        for (int r = 1; r < rows; ++r)
            QVERIFY(
                proxy->index(r - 1, ResultsModel::Throughput)
                    .data(ResultsModel::kSortRole)
                    .toDouble() >=
                proxy->index(r, ResultsModel::Throughput).data(ResultsModel::kSortRole).toDouble());

        // The filter matches any column's text.
        auto *filter = tab.findChild<QLineEdit *>(u"resultsFilter"_s);
        QVERIFY(filter);
        int with16 = 0;
        for (const Evaluation &e : result.search.evaluations)
            with16 += e.config.hbmBytes == 16.0 * 1024 * 1024 * 1024;
        QVERIFY(with16 > 0 && with16 < rows);
        filter->setText(u"16 GiB"_s);
        QCOMPARE(proxy->rowCount(), with16);
        filter->setText(u"no such text"_s);
        QCOMPARE(proxy->rowCount(), 0);
        filter->clear();
        QCOMPARE(proxy->rowCount(), rows);

        // View -> store.
        QSignalSpy selection(&store, &ResultStore::selectionChanged);
        tab.view()->setCurrentIndex(proxy->index(0, 0));
        QCOMPARE(store.selectedRow(), int(*result.search.best));
        QCOMPARE(selection.size(), 1);
        // Store -> view.
        store.selectRow(0);
        QCOMPARE(proxy->mapToSource(tab.view()->currentIndex()).row(), 0);
    }

    void exportsCsv()
    {
        ResultStore store;
        ResultsTab tab(&store);
        store.setResult(quickResult());
        QTemporaryDir dir;
        const QString path = dir.filePath(u"results.csv"_s);
        QCOMPARE(tab.exportCsv(path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), int(store.evaluations().size()) + 1); // header + one per row
        QVERIFY(!tab.exportCsv(dir.filePath(u"no/such/dir/x.csv"_s)).isEmpty());
    }
};

QTEST_MAIN(TestResultsModel)
#include "test_resultsmodel.moc"
