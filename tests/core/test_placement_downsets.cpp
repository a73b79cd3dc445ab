// The downset lattice and the guard against its blow-up.

#include <QtTest>

#include "core/placement/downsets.h"
#include "test_placement_support.h"

using namespace phaze;

namespace {

LayerDag dagOf(const std::vector<std::pair<int, int>> &edges, int n)
{
    PlacementGraph g;
    for (int i = 0; i < n; ++i)
        g.layers.push_back({i, 1, 1, 1, 1, false});
    for (auto [a, b] : edges)
        g.edges.push_back({a, b, 1});
    LayerDag dag;
    const std::string why = LayerDag::build(g, dag);
    if (!why.empty())
        qFatal("%s", why.c_str());
    return dag;
}

} // namespace

class TestPlacementDownsets : public QObject
{
    Q_OBJECT

private slots:
    void counts_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<QVariantList>("edges");
        QTest::addColumn<qulonglong>("expected");
        QTest::newRow("chain of 5") << 5 << QVariantList{0, 1, 1, 2, 2, 3, 3, 4} << 6ull;
        QTest::newRow("diamond") << 4 << QVariantList{0, 1, 0, 2, 1, 3, 2, 3} << 6ull;
        // two towers 0-1-2 and 3-4 joined at 5: (3+1)(2+1) + 1
        QTest::newRow("two towers") << 6 << QVariantList{0, 1, 1, 2, 3, 4, 2, 5, 4, 5} << 13ull;
        QTest::newRow("3 independent") << 3 << QVariantList{} << 8ull;
    }

    void counts()
    {
        QFETCH(int, n);
        QFETCH(QVariantList, edges);
        QFETCH(qulonglong, expected);
        std::vector<std::pair<int, int>> e;
        for (int i = 0; i + 1 < edges.size(); i += 2)
            e.emplace_back(edges[i].toInt(), edges[i + 1].toInt());
        const LayerDag dag = dagOf(e, n);
        const DownsetCount c = DownsetLattice::count(dag, 1000);
        QVERIFY(c.exact);
        QCOMPARE(qulonglong(c.count), expected);
        DownsetLattice lattice;
        QVERIFY(DownsetLattice::build(dag, 1000, lattice).empty());
        QCOMPARE(qulonglong(lattice.size()), expected);
        QCOMPARE(lattice.cardinality(lattice.fullId()), n);
        for (int id = 1; id < lattice.size(); ++id)
            QVERIFY(lattice.cardinality(id) >= lattice.cardinality(id - 1)); // smallest first
        QCOMPARE(int(lattice.properSubsets(lattice.fullId()).size()), lattice.size() - 1);
        QCOMPARE(int(lattice.properSubsets(0).size()), 0);
    }

    void wideGraphsAreCountedWithoutListing()
    {
        // 40 independent layers: 2^40 downsets, counted in a moment.
        const LayerDag dag = dagOf({}, 40);
        const DownsetCount c = DownsetLattice::count(dag, 10000);
        QVERIFY(c.exact);
        QCOMPARE(c.count, std::uint64_t(1) << 40);
    }

    void guardRefusesWithTheCount()
    {
        PlacementInput in = testing::loadInstance("placement/wide-fan.json");
        // The default is the project's (search.max_downsets); PHAZE's is what `phaze place` uses.
        const Result<Placement> r = place(in);
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.message.find("16,777,218 downsets") != std::string::npos, r.message.c_str());
        QVERIFY2(r.message.find("limit of 10,000,000") != std::string::npos, r.message.c_str());
        PlacementOptions phaze;
        phaze.maxDownsets = kPhazeMaxDownsets;
        const Result<Placement> limited = place(in, phaze);
        QCOMPARE(limited.status, Status::Error);
        QVERIFY(limited.message.find("limit of 40,000") != std::string::npos);
        PlacementOptions small;
        small.maxDownsets = 5;
        const Result<Placement> diamond =
            place(testing::loadInstance("placement/diamond.json"), small);
        QCOMPARE(diamond.status, Status::Error);
        QVERIFY2(diamond.message.find("has 7 downsets") != std::string::npos,
                 diamond.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPlacementDownsets)
#include "test_placement_downsets.moc"
