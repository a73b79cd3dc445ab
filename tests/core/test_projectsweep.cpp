// One-parameter sweeps (core/io/projectsweep.h): each point is the project evaluated with that
// value, so the point at the project's own value is the what-if evaluation, bit for bit; the
// physics shows (a faster slow tier never slows a layout that crosses nodes); bad values are
// refused before anything runs, naming the value and the field.

#include <QtTest>

#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"
#include "core/io/projectsweep.h"

using namespace phaze;

namespace {

ProjectSpec loadExample(const char *name)
{
    const Result<ProjectSpec> load =
        loadProjectFile(std::string(PHAZE_SOURCE_DIR "/examples/") + name);
    if (!load.value)
        qFatal("%s", formatAll(load.diagnostics).c_str());
    return *load.value;
}

const std::string kExamples = PHAZE_SOURCE_DIR "/examples";

double whatIfThroughput(const ProjectSpec &project)
{
    CodesignOptions options;
    options.architecture = project.architecture->config;
    options.baselines = false;
    options.threads = 1;
    const Result<CodesignResult> r = runCodesign(project, kExamples, options);
    if (!r.value || !r.value->search.best)
        return -1.0;
    return r.value->search.evaluations[*r.value->search.best].throughput;
}

} // namespace

class TestProjectSweep : public QObject
{
    Q_OBJECT

private slots:
    void pointAtTheProjectsValueIsTheWhatIf()
    {
        // GPT-3 175B on Selene, the published layout (tp 8 pp 8 across 8 nodes): the slow tier
        // carries the pipeline transfers and the data-parallel reduction.
        const ProjectSpec project = loadExample("gpt3-175b-selene.yaml");
        SweepRequest request;
        request.section = "cluster";
        request.key = "inter_node_bandwidth";
        request.values = {"6.25 GB/s", "12.5 GB/s", "25 GB/s", "50 GB/s", "100 GB/s"};
        const Result<SweepResult> r = runSweep(project, kExamples, request);
        QVERIFY2(r.value, r.message.c_str());
        QCOMPARE(r.value->parameter, std::string("cluster.inter_node_bandwidth"));
        QCOMPARE(r.value->dimension, Dimension::Bandwidth);
        QCOMPARE(r.value->curves.size(), std::size_t(1));
        const std::vector<SweepPoint> &points = r.value->curves.front().points;
        QCOMPARE(points.size(), std::size_t(5));
        // dgx-a100's inter-node tier is 25 GB/s per GPU per direction: the third point.
        QCOMPARE(project.cluster.interNode.bandwidth, 25e9);
        QCOMPARE(points[2].x, 25e9);
        QCOMPARE(points[2].throughput, whatIfThroughput(project));
        for (std::size_t i = 0; i < points.size(); ++i) {
            QVERIFY(points[i].feasible);
            QCOMPARE(points[i].layout, std::string("t 8 p 8 d 1 mb 1"));
            if (i > 0) // more bandwidth never costs time; at a quarter of it, it shows
                QVERIFY(points[i].throughput >= points[i - 1].throughput);
        }
        QVERIFY(points.front().throughput < points[2].throughput);
        // The time per batch is the same number: global batch / throughput.
        QVERIFY(std::abs(points[2].timePerBatch * points[2].throughput - 64.0) < 1e-6);
    }

    void strategyListsTakeOneValuePerPoint()
    {
        // tp is a list in strategy: "4" is read as [4]; a layout tp cannot take is a point
        // without a throughput, with its reason, not an error.
        ProjectSpec project = loadExample("gpt3-175b-selene.yaml");
        SweepRequest request;
        request.section = "strategy";
        request.key = "tp";
        request.values = {"4", "[8]", "16"};
        const Result<SweepResult> r = runSweep(project, kExamples, request);
        QVERIFY2(r.value, r.message.c_str());
        const std::vector<SweepPoint> &points = r.value->curves.front().points;
        QCOMPARE(points.size(), std::size_t(3));
        QCOMPARE(points[0].x, 4.0);
        QCOMPARE(points[1].x, 8.0);
        QCOMPARE(points[1].throughput, whatIfThroughput(project));
        QVERIFY(points[1].feasible);
        // tp 16 with the project's pp 8 needs 128 devices of its 64: a point that says why.
        QVERIFY(!points[2].feasible);
        QVERIFY2(points[2].message.find("tp x pp = 128 does not divide the 64 accelerators") !=
                     std::string::npos,
                 points[2].message.c_str());
    }

    void designsAreSweptSideBySide()
    {
        // The PHAZE what-if project, its architecture and a second one with 8 tensor cores:
        // one curve each, in the order given; a lower link bandwidth never helps.
        const ProjectSpec project = loadExample("what-if-4tc.yaml");
        SweepDesign own{"4 TCs", *project.architecture};
        SweepDesign eight = own;
        eight.label = "8 TCs";
        eight.architecture.config.numTc = 8;
        SweepRequest request;
        request.section = "training";
        request.key = "link_bandwidth";
        request.values = {"50 GB/s", "100 GB/s"};
        request.designs = {own, eight};
        const Result<SweepResult> r = runSweep(project, kExamples, request);
        QVERIFY2(r.value, r.message.c_str());
        QCOMPARE(r.value->curves.size(), std::size_t(2));
        QCOMPARE(r.value->curves[0].label, std::string("4 TCs"));
        QCOMPARE(r.value->curves[1].label, std::string("8 TCs"));
        for (const SweepCurve &c : r.value->curves) {
            QCOMPARE(c.points.size(), std::size_t(2));
            QVERIFY(c.points[0].feasible && c.points[1].feasible);
            QVERIFY(c.points[1].throughput >= c.points[0].throughput);
        }
        // More tensor cores on the same link: the 8-TC chip is the faster one.
        QVERIFY(r.value->curves[1].points[1].throughput > r.value->curves[0].points[1].throughput);
        const std::string csv = sweepCsv(*r.value);
        QVERIFY(csv.starts_with("design,value,x_B/s,feasible,"));
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 5L);
        const std::string json = sweepJson(*r.value);
        QVERIFY(json.find("\"format\": \"phaze-sweep/1\"") != std::string::npos);
        QVERIFY(json.find("\"parameter\": \"training.link_bandwidth\"") != std::string::npos);
    }

    void badRequestsAreRefusedNamingTheValueAndField()
    {
        const ProjectSpec project = loadExample("gpt3-175b-selene.yaml");
        SweepRequest request;
        request.section = "cluster";
        request.key = "inter_node_bandwidth";
        request.values = {"25 GB/s", "64 GiB"};
        Result<SweepResult> r = runSweep(project, kExamples, request);
        QVERIFY(!r.value);
        QVERIFY2(r.message.find("value 2 (\"64 GiB\") of cluster.inter_node_bandwidth") !=
                     std::string::npos,
                 r.message.c_str());
        QVERIFY2(r.message.find("is a size") != std::string::npos, r.message.c_str());
        request.values = {".nan"};
        r = runSweep(project, kExamples, request);
        QVERIFY(!r.value);
        QVERIFY2(r.message.find("not a number") != std::string::npos, r.message.c_str());
        // Not a number of the project's profile: PHAZE's one link under the system profile.
        request.section = "training";
        request.key = "link_bandwidth";
        request.values = {"25 GB/s"};
        r = runSweep(project, kExamples, request);
        QVERIFY(!r.value);
        QVERIFY2(r.message.find("not a parameter a sweep can vary under the system profile") !=
                     std::string::npos,
                 r.message.c_str());
        request.section = "training";
        request.key = "optimizer"; // a choice, not a number
        r = runSweep(project, kExamples, request);
        QVERIFY(!r.value);
        request.section = "cluster";
        request.key = "inter_node_bandwidth";
        request.values.clear();
        r = runSweep(project, kExamples, request);
        QVERIFY(!r.value);
        QVERIFY(r.message.find("no values") != std::string::npos);
    }

    void sweepableParametersFollowTheProfile()
    {
        const auto names = [](bool system) {
            std::vector<std::string> out;
            for (const ParameterSpec *p : sweepableParameters(system))
                out.push_back(std::string(paramGroupName(p->group)) + "." + p->key);
            return out;
        };
        const std::vector<std::string> system = names(true), phaze = names(false);
        const auto has = [](const std::vector<std::string> &v, const char *name) {
            return std::find(v.begin(), v.end(), name) != v.end();
        };
        QVERIFY(has(system, "cluster.inter_node_bandwidth"));
        QVERIFY(has(system, "strategy.tp"));
        QVERIFY(has(system, "architecture.hbm_bandwidth"));
        QVERIFY(has(system, "training.global_batch"));
        QVERIFY(has(system, "training.accelerators"));
        QVERIFY(!has(system, "training.link_bandwidth"));
        QVERIFY(has(phaze, "training.link_bandwidth"));
        QVERIFY(!has(phaze, "cluster.inter_node_bandwidth"));
        QVERIFY(!has(phaze, "strategy.tp"));
    }

    void valueListsSplitOutsideBrackets()
    {
        QCOMPARE(splitSweepValues(" 25 GB/s, [1, 2] ,{min: 1, max: 4},, 8"),
                 (std::vector<std::string>{"25 GB/s", "[1, 2]", "{min: 1, max: 4}", "8"}));
        QVERIFY(splitSweepValues(" , ").empty());
    }

    void suggestedValuesSpanTheCurrentOne()
    {
        // From the project's own value: Selene's 25 GB/s tier and its tp 8.
        const ProjectSpec selene = loadExample("gpt3-175b-selene.yaml");
        const ParameterRegistry &registry = ParameterRegistry::instance();
        QCOMPARE(
            suggestedSweepValues(selene,
                                 *registry.find(ParamGroup::Cluster, "inter_node_bandwidth")),
            (std::vector<std::string>{"6.25 GB/s", "12.5 GB/s", "25 GB/s", "50 GB/s", "100 GB/s"}));
        QCOMPARE(suggestedSweepValues(selene, *registry.find(ParamGroup::Strategy, "tp")),
                 (std::vector<std::string>{"2", "4", "8", "16", "32"}));
        const ParameterRegistry &reg = ParameterRegistry::instance();
        const ParameterSpec *bandwidth = reg.find(ParamGroup::Cluster, "inter_node_bandwidth");
        QCOMPARE(
            suggestedSweepValues(*bandwidth, 25e9),
            (std::vector<std::string>{"6.25 GB/s", "12.5 GB/s", "25 GB/s", "50 GB/s", "100 GB/s"}));
        const ParameterSpec *tp = reg.find(ParamGroup::Strategy, "tp");
        QCOMPARE(suggestedSweepValues(*tp, 8.0),
                 (std::vector<std::string>{"2", "4", "8", "16", "32"}));
        // Within the range: tp 1 has no quarter or half.
        QCOMPARE(suggestedSweepValues(*tp, 1.0), (std::vector<std::string>{"1", "2", "4"}));
    }
};

QTEST_GUILESS_MAIN(TestProjectSweep)
#include "test_projectsweep.moc"
