// The parameter registry: completeness, validation and generated documentation.

#include <QtTest>

#include <cmath>
#include <limits>
#include <set>

#include "core/arch/parameterregistry.h"

using namespace phaze;

class TestRegistry : public QObject
{
    Q_OBJECT

private slots:
    void everyParameterIsDescribed()
    {
        std::set<std::pair<int, std::string>> seen;
        for (const ParameterSpec &p : ParameterRegistry::instance().all()) {
            QVERIFY2(!p.description.empty(), p.key.c_str());
            QVERIFY2(!p.defaultText.empty(), p.key.c_str());
            QVERIFY2(seen.insert({int(p.group), p.key}).second, ("duplicate " + p.key).c_str());
            if (p.type == ParamType::Choice) {
                QVERIFY(!p.choices.empty());
                continue;
            }
            QVERIFY2(p.min <= p.max, p.key.c_str());
            // Scalar defaults must themselves be valid (area_budget's 0 means "use the preset").
            if (!p.list && p.key != "area_budget")
                QVERIFY2(p.checkValue(p.defaultValue).empty(), p.key.c_str());
        }
    }

    void coversTheIssueKnobs_data()
    {
        QTest::addColumn<int>("group");
        QTest::addColumn<QString>("key");
        const int A = int(ParamGroup::Architecture), T = int(ParamGroup::Training);
        for (const char *k : {"num_tc", "tc_width", "tc_depth", "num_vc", "vc_width", "glb_size",
                              "hbm_size", "hbm_bandwidth", "frequency", "bytes_per_element"})
            QTest::newRow(k) << A << k;
        for (const char *k :
             {"accelerators", "global_batch", "microbatch_sizes", "hbm_sizes", "recomputation",
              "tensor_parallel_widths", "optimizer", "link_bandwidth"})
            QTest::newRow(k) << T << k;
    }

    void coversTheIssueKnobs()
    {
        QFETCH(int, group);
        QFETCH(QString, key);
        QVERIFY(ParameterRegistry::instance().find(ParamGroup(group), key.toStdString()));
    }

    void validation()
    {
        const ParameterRegistry &r = ParameterRegistry::instance();
        const ParameterSpec *numTc = r.find(ParamGroup::Architecture, "num_tc");
        QVERIFY(numTc->checkValue(8).empty());
        QCOMPARE(numTc->checkValue(0), std::string("must be at least 1"));
        QCOMPARE(numTc->checkValue(1.5), std::string("must be a whole number"));
        QCOMPARE(numTc->checkValue(std::nan("")), std::string("must be a finite number"));
        QCOMPARE(numTc->checkValue(std::numeric_limits<double>::infinity()),
                 std::string("must be a finite number"));
        const ParameterSpec *hbm = r.find(ParamGroup::Architecture, "hbm_size");
        QCOMPARE(hbm->checkValue(1e308), std::string("must be at most 64 TiB"));
        const ParameterSpec *spaceTc = r.find(ParamGroup::Space, "num_tc");
        QCOMPARE(spaceTc->checkValue(12), std::string("must be a power of two"));
        QVERIFY(spaceTc->checkValue(4096).empty());
    }

    void suggestions()
    {
        const ParameterRegistry &r = ParameterRegistry::instance();
        QCOMPARE(r.closestKey(ParamGroup::Training, "acelerators"), std::string("accelerators"));
        QCOMPARE(r.closestKey(ParamGroup::Architecture, "numtc"), std::string("num_tc"));
        QCOMPARE(r.closestKey(ParamGroup::Training, "completely_different"), std::string());
        QCOMPARE(editDistance("kitten", "sitting"), 3);
    }

    void documentationListsEverything()
    {
        const ParameterRegistry &r = ParameterRegistry::instance();
        const std::string md = r.toMarkdown();
        const std::string text = r.toText();
        for (const ParameterSpec &p : r.all()) {
            QVERIFY2(md.find("`" + p.key + "`") != std::string::npos, p.key.c_str());
            QVERIFY2(text.find(p.description) != std::string::npos, p.key.c_str());
        }
        QVERIFY(md.find("| `hbm_size` | `32 GiB` | 1 MiB .. 64 TiB |") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestRegistry)
#include "test_registry.moc"
