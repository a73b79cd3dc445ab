// The parameter registry: completeness, validation and generated documentation.

#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "core/arch/parameterregistry.h"
#include "core/io/projectfields.h"
#include "core/io/projectfile.h"
#include "core/placement/placement.h"
#include "core/schedule/exactscheduler.h"
#include "tests/support/parametervalues.h"

using namespace phaze;
using testsupport::otherValue;

namespace {

// The parameter's field in each struct: set a value through the binding, read it back.
template <typename S> bool roundTrips(const ParameterSpec &p)
{
    S s;
    const ParamValue v = otherValue(p);
    return p.set(s, v) && p.get(s) == v && !(s == S{});
}

} // namespace

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

    // Every parameter is bound to a field of its group's struct, and to no other struct.
    void bindingsReachTheirFields()
    {
        for (const ParameterSpec &p : ParameterRegistry::instance().all()) {
            bool bound = false;
            switch (p.group) {
            case ParamGroup::Architecture:
                bound = roundTrips<AcceleratorConfig>(p);
                break;
            case ParamGroup::Space:
                bound = roundTrips<ArchSpaceSpec>(p);
                break;
            case ParamGroup::Training:
                bound = roundTrips<TrainingSpec>(p);
                break;
            case ParamGroup::Cluster:
                bound = roundTrips<ClusterSpec>(p);
                break;
            case ParamGroup::Strategy:
                bound = roundTrips<StrategySpec>(p);
                break;
            case ParamGroup::Search:
                bound = roundTrips<SearchSpec>(p);
                break;
            }
            QVERIFY2(bound, p.key.c_str());
            SearchSpec search;
            TrainingSpec training;
            QCOMPARE(p.set(search, otherValue(p)), p.group == ParamGroup::Search);
            QCOMPARE(p.set(training, otherValue(p)), p.group == ParamGroup::Training);
        }
        // Two parameters of a group never share a field.
        for (const ParameterSpec *p : ParameterRegistry::instance().group(ParamGroup::Search)) {
            SearchSpec s;
            p->set(s, otherValue(*p));
            for (const ParameterSpec *q : ParameterRegistry::instance().group(ParamGroup::Search))
                if (q != p)
                    QVERIFY2(q->get(s) == q->get(SearchSpec{}), (p->key + " / " + q->key).c_str());
        }
    }

    // One default per knob: the registry reads it from the spec structs, and the engine's own
    // option structs start from the same values.
    void engineDefaultsAreTheRegistrys()
    {
        const ParameterRegistry &r = ParameterRegistry::instance();
        const SchedulerOptions scheduler;
        const PlacementOptions placement;
        QCOMPARE(scheduler.timeLimitSeconds,
                 r.find(ParamGroup::Search, "ilp_time_limit")->defaultValue);
        QCOMPARE(scheduler.mipGap, r.find(ParamGroup::Search, "mip_gap")->defaultValue);
        QCOMPARE(double(placement.maxDownsets),
                 r.find(ParamGroup::Search, "max_downsets")->defaultValue);
        QCOMPARE(double(int(placement.schedule)),
                 r.find(ParamGroup::Training, "pipeline_schedule")->defaultValue);
        QCOMPARE(r.find(ParamGroup::Search, "ilp_time_limit")->defaultText, std::string("10 s"));
        QCOMPARE(r.find(ParamGroup::Search, "max_downsets")->defaultText, std::string("10000000"));
        // PHAZE's own limit stays what `phaze place` has always used.
        QCOMPARE(kPhazeMaxDownsets, std::size_t(40000));
        // The architecture defaults are the tpuv4 preset.
        QVERIFY(AcceleratorConfig{} == findAcceleratorPreset("tpuv4")->config);
    }

    // A default reads as the project writer writes it, except where an empty list's meaning
    // is spelt out ("each model's widths").
    void defaultTextIsTheSavedText()
    {
        // Every section at its defaults (defaultProject() is the bundled project, not that).
        ProjectSpec p;
        p.models.push_back(ModelRef{"gpt2-xl", "", 0, {}, ""});
        p.architecture = ArchitectureSpec{};
        p.architecture->preset.clear(); // every architecture field is written
        p.space = ArchSpaceSpec{};
        p.cluster.preset.clear();       // and every cluster field
        // PHAZE's training knobs are written only under its profile.
        ProjectSpec phaze = p;
        phaze.training.profile = ModelProfile::Phaze;
        std::map<std::pair<std::string, std::string>, std::string> saved;
        for (const ProjectField &f : projectFields(p))
            saved[{f.section, f.key}] = f.value;
        std::map<std::pair<std::string, std::string>, std::string> savedPhaze;
        for (const ProjectField &f : projectFields(phaze))
            savedPhaze[{f.section, f.key}] = f.value;
        for (const ParameterSpec &spec : ParameterRegistry::instance().all()) {
            const auto &fields = spec.scope == ProfileScope::Phaze ? savedPhaze : saved;
            const auto it = fields.find({std::string(paramGroupName(spec.group)), spec.key});
            QVERIFY2(it != fields.end(), spec.key.c_str());
            // Both lists that may be empty are empty by default: "tied", "[]".
            QCOMPARE(it->second,
                     spec.emptyAllowed ? spec.valueText(ParamValue{}) : spec.defaultText);
        }
    }

    // docs/parameters.md is `phaze params --markdown`: regenerate it with
    //   build/app/phaze params --markdown > docs/parameters.md
    void docsPageIsGenerated()
    {
        std::ifstream in(PHAZE_SOURCE_DIR "/docs/parameters.md", std::ios::binary);
        QVERIFY(in);
        std::ostringstream page;
        page << in.rdbuf();
        QCOMPARE(page.str(), ParameterRegistry::instance().toMarkdown());
    }

    void groupNames()
    {
        for (ParamGroup g : kParamGroups)
            QVERIFY(paramGroupFromName(paramGroupName(g)) == g);
        QVERIFY(!paramGroupFromName("models"));
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
