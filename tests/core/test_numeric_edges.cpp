// Numeric edge cases at every input: NaN, infinities, negatives, zero and enormous values in
// project files (every registry parameter, found by iterating the registry), architecture files
// and technology files (every key of the shipped table) are rejected with the field named and
// located; the engine's entry points (cost model, area model, placement) either refuse
// enormous values clearly or compute finite results without overflow, quickly.

#include <QtTest>

#include <cmath>
#include <cstdio>
#include <limits>

#include <yaml-cpp/yaml.h>

#include "core/arch/archspace.h"
#include "core/arch/areamodel.h"
#include "core/arch/configcheck.h"
#include "core/arch/parameterregistry.h"
#include "core/cost/costmodel.h"
#include "core/io/archfile.h"
#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"
#include "core/io/technologyfile.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"
#include "core/placement/placement.h"
#include "tests/support/testtiming.h"

using namespace phaze;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(phaze::AcceleratorConfig)

namespace {

// Time limits below are for an optimised build; scaledMs() lengthens them for slow builds and
// machines (PHAZE_TEST_TIME_SCALE, tests/support/testtiming.h).
using testsupport::scaledMs;

constexpr int kKeyLine = 3; // the line of the key under test in every generated file

std::string sectionOf(ParamGroup g)
{
    return std::string(paramGroupName(g));
}

// "3.0000000000000001e+308" style text that reads back exactly.
std::string exact(double v)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", v);
    return text;
}

// A project whose line 3 sets `key` (in its group's section) to `value`.
std::string projectWith(const ParameterSpec &p, const std::string &value)
{
    const std::string section = sectionOf(p.group);
    std::string text = "models: [bert-large]\n" + section + ":\n  " + p.key + ": " +
                       (p.list ? "[" + value + "]" : value) + "\n";
    if (p.group == ParamGroup::Architecture)
        text += "  preset: tpuv4\n";
    if (p.group == ParamGroup::Cluster || p.group == ParamGroup::Strategy)
        text += "training: {profile: system}\n"; // the sections of the system profile
    if (p.scope == ProfileScope::Phaze) // a PHAZE knob is read only under PHAZE's profile
        text += "  profile: phaze\n";
    return text;
}

// The diagnostic for `path`, or nullptr.
const Diagnostic *find(const Diagnostics &errors, const std::string &path)
{
    for (const Diagnostic &d : errors)
        if (d.path == path)
            return &d;
    return nullptr;
}

QString dump(const Diagnostics &errors)
{
    return QString::fromStdString(formatAll(errors));
}

bool finiteNonNegative(double v)
{
    return std::isfinite(v) && v >= 0.0;
}

// Every latency and energy of a transformer block's operators is finite and non-negative.
QString checkLayerCosts(const CostModel &model, const AcceleratorConfig &config)
{
    const ModelGraph g = *buildTransformer(*findZooModel("bert-large"), {}).value;
    const LayerCost cost = model.estimateLayer(*g.layers[1].body, config);
    for (const auto *ops : {&cost.forwardOps, &cost.backwardOps})
        for (const OperatorCost &c : *ops)
            for (const ModeCost &m : {c.single, c.intra})
                if (!finiteNonNegative(m.latency) || !finiteNonNegative(m.energy))
                    return u"latency %1, energy %2"_s.arg(m.latency).arg(m.energy);
    return {};
}

// A chain of n layers with the given per-layer values, at width 1.
PlacementInput chain(int n, double latency, double bytes)
{
    PlacementInput in;
    PlacementGraph g;
    for (int i = 0; i < n; ++i) {
        g.layers.push_back({i, bytes, bytes, latency, latency, false});
        if (i > 0)
            g.edges.push_back({i - 1, i, bytes});
    }
    in.graphs.push_back(g);
    in.devices = 8;
    in.microbatches = 16;
    in.bandwidth = 1e9;
    in.memoryPerDevice = 1e12;
    return in;
}

} // namespace

class TestNumericEdges : public QObject
{
    Q_OBJECT

private slots:
    // Every numeric registry parameter, in the project file, set to values outside its range:
    // an error at the value's line and column that names the field.
    void projectRejectsBadValuesOfEveryParameter_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("path");
        int rows = 0;
        for (const ParameterSpec &p : ParameterRegistry::instance().all()) {
            if (p.type == ParamType::Choice)
                continue;
            const std::string path =
                sectionOf(p.group) + "." + p.key + (p.list ? std::string("[0]") : "");
            std::vector<std::string> bad = {".nan", ".inf", "-.inf", "nan", "inf", "-1"};
            if (p.type != ParamType::Boolean) {
                bad.push_back("1e308");
                bad.push_back("1e400");
                bad.push_back("-1e308");
                bad.push_back(exact(p.max * (1 + 1e-9) + 1)); // just above the range
                if (p.min > 0)
                    bad.push_back("0");
                if (p.dimension == Dimension::Bytes)
                    bad.push_back("1e308 GiB");
            }
            for (const std::string &value : bad) {
                QTest::newRow(qPrintable(QString::fromStdString(path + " = " + value)))
                    << QString::fromStdString(projectWith(p, value))
                    << QString::fromStdString(path);
                ++rows;
            }
        }
        QVERIFY(rows > 200);
    }

    void projectRejectsBadValuesOfEveryParameter()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, path);
        const Result<ProjectSpec> load = loadProjectText(yaml.toStdString(), "p.yaml", "");
        QVERIFY2(!load.value, qPrintable(yaml));
        const Diagnostic *d = find(load.diagnostics, path.toStdString());
        QVERIFY2(d, qPrintable(yaml + u"\n"_s + dump(load.diagnostics)));
        QCOMPARE(d->line, kKeyLine);
        QVERIFY(d->column > 4);
        QVERIFY2(!d->message.empty(), qPrintable(dump(load.diagnostics)));
        // file:line:col: field: message
        const QString formatted = QString::fromStdString(d->format());
        QVERIFY2(
            formatted.startsWith(u"p.yaml:%1:%2: %3: "_s.arg(kKeyLine).arg(d->column).arg(path)),
            qPrintable(formatted));
    }

    // The ends of every range are accepted (so the checks above reject for the right reason).
    void projectAcceptsTheEndsOfEveryRange_data()
    {
        QTest::addColumn<QString>("yaml");
        for (const ParameterSpec &p : ParameterRegistry::instance().all()) {
            if (p.type == ParamType::Choice || p.type == ParamType::Boolean)
                continue;
            for (double v : {p.min, p.max})
                QTest::newRow(qPrintable(
                    QString::fromStdString(sectionOf(p.group) + "." + p.key + " = " + exact(v))))
                    << QString::fromStdString(projectWith(p, exact(v)));
        }
    }

    void projectAcceptsTheEndsOfEveryRange()
    {
        QFETCH(QString, yaml);
        const Result<ProjectSpec> load = loadProjectText(yaml.toStdString(), "p.yaml", "");
        QVERIFY2(load.value, qPrintable(yaml + u"\n"_s + dump(load.diagnostics)));
    }

    // Space ranges given as {min, max} check both ends.
    void spaceRangeEnds_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("path");
        for (const char *key : {"num_tc", "tc_width", "tc_depth", "num_vc", "glb_size"})
            for (const char *value : {".nan", "-.inf", "0", "1e308"}) {
                const std::string k = key;
                QTest::newRow(qPrintable(
                    u"%1.min = %2"_s.arg(QString::fromUtf8(key), QString::fromUtf8(value))))
                    << QString::fromStdString("models: [bert-large]\narchitecture_space:\n  " + k +
                                              ": {min: " + value + ", max: 64}\n")
                    << QString::fromStdString("architecture_space." + k + ".min");
                QTest::newRow(qPrintable(
                    u"%1.max = %2"_s.arg(QString::fromUtf8(key), QString::fromUtf8(value))))
                    << QString::fromStdString("models: [bert-large]\narchitecture_space:\n  " + k +
                                              ": {min: 2, max: " + value + "}\n")
                    << QString::fromStdString("architecture_space." + k + ".max");
            }
    }

    void spaceRangeEnds()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, path);
        const Result<ProjectSpec> load = loadProjectText(yaml.toStdString(), "p.yaml", "");
        const Diagnostic *d = find(load.diagnostics, path.toStdString());
        QVERIFY2(d, qPrintable(dump(load.diagnostics)));
        QCOMPARE(d->line, kKeyLine);
    }

    // The model's sequence length (outside the registry) too.
    void modelSequenceLength_data()
    {
        QTest::addColumn<QString>("value");
        for (const char *v : {".nan", ".inf", "-1", "0", "1e308", "2.5", "65537", "1048576"})
            QTest::newRow(v) << QString::fromUtf8(v);
    }

    void modelSequenceLength()
    {
        QFETCH(QString, value);
        const std::string yaml =
            "models:\n  - zoo: bert-large\n    seq: " + value.toStdString() + "\n";
        const Result<ProjectSpec> load = loadProjectText(yaml, "p.yaml", "");
        const Diagnostic *d = find(load.diagnostics, "models[0].seq");
        QVERIFY2(d, qPrintable(dump(load.diagnostics)));
        QCOMPARE(d->line, 3);
    }

    // Architecture files: every architecture key and link_bandwidth.
    void archFileRejectsBadValues_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("path");
        std::vector<const ParameterSpec *> specs =
            ParameterRegistry::instance().group(ParamGroup::Architecture);
        specs.push_back(ParameterRegistry::instance().find(ParamGroup::Training, "link_bandwidth"));
        for (const ParameterSpec *p : specs)
            for (const char *value : {".nan", ".inf", "-.inf", "-1", "0", "1e308", "1e400"}) {
                QTest::newRow(qPrintable(QString::fromStdString(p->key + " = " + value)))
                    << QString::fromStdString("architecture:\n  preset: tpuv4\n  " + p->key + ": " +
                                              value + "\n")
                    << QString::fromStdString("architecture." + p->key);
            }
    }

    void archFileRejectsBadValues()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, path);
        const Result<ArchFile> load = loadArchText(yaml.toStdString(), "a.yaml");
        QVERIFY(!load.value);
        const Diagnostic *d = find(load.diagnostics, path.toStdString());
        QVERIFY2(d, qPrintable(dump(load.diagnostics)));
        QCOMPARE(d->line, kKeyLine);
        QVERIFY(QString::fromStdString(d->format()).startsWith(u"a.yaml:3:"_s));
    }

    // Technology files: every key of the shipped table (read from the file itself, so a new
    // key is covered at once). Zero is either rejected or gives finite costs.
    void technologyRejectsBadValues_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("mayAccept"); // zero may be meaningful (an energy switched off)
        const YAML::Node root =
            YAML::LoadFile(PHAZE_SOURCE_DIR "/resources/technology/default.yaml");
        int rows = 0;
        for (auto section = root.begin(); section != root.end(); ++section) {
            if (!section->second.IsMap())
                continue;
            const std::string name = section->first.Scalar();
            for (auto key = section->second.begin(); key != section->second.end(); ++key) {
                const std::string k = key->first.Scalar();
                for (const char *value : {".nan", ".inf", "-.inf", "-1", "1e308", "1e400", "0"}) {
                    QTest::newRow(
                        qPrintable(QString::fromStdString(name + "." + k + " = " + value)))
                        << QString::fromStdString("phaze_technology: 1\n" + name + ":\n  " + k +
                                                  ": " + value + "\n")
                        << QString::fromStdString(name + "." + k) << (std::string(value) == "0");
                    ++rows;
                }
            }
        }
        QVERIFY(rows > 150);
    }

    void technologyRejectsBadValues()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, path);
        QFETCH(bool, mayAccept);
        const Result<TechnologyTable> load = loadTechnologyText(yaml.toStdString(), "t.yaml");
        if (mayAccept && load.value) {
            const QString problem =
                checkLayerCosts(CostModel(*load.value), findAcceleratorPreset("tpuv4")->config);
            QVERIFY2(problem.isEmpty(),
                     qPrintable(path + u" = 0 accepted, but costs have "_s + problem));
            QVERIFY(finiteNonNegative(chipArea(AcceleratorConfig{}, *load.value)));
            return;
        }
        QVERIFY(!load.value);
        const Diagnostic *d = find(load.diagnostics, path.toStdString());
        QVERIFY2(d, qPrintable(dump(load.diagnostics)));
        QCOMPARE(d->line, kKeyLine);
    }

    // The cost and area models at the ends of every architecture range, and far beyond them
    // (1e308, INT_MAX): refused by validateConfig, or finite and non-negative.
    void costModelAtExtremes_data()
    {
        QTest::addColumn<AcceleratorConfig>("config");
        QTest::addColumn<QString>("field"); // the field refused; "" when in range
        const auto &registry = ParameterRegistry::instance();
        auto at = [&](bool high) {
            AcceleratorConfig c;
            auto v = [&](const char *key) {
                const ParameterSpec *p = registry.find(ParamGroup::Architecture, key);
                return high ? p->max : p->min;
            };
            c.numTc = int(v("num_tc"));
            c.tcWidth = int(v("tc_width"));
            c.tcDepth = int(v("tc_depth"));
            c.numVc = int(v("num_vc"));
            c.vcWidth = int(v("vc_width"));
            c.glbBytes = v("glb_size");
            c.hbmBytes = v("hbm_size");
            c.hbmBandwidth = v("hbm_bandwidth");
            c.frequency = v("frequency");
            c.bytesPerElement = int(v("bytes_per_element"));
            c.linkBandwidth = high ? 1e15 : 1e3;
            return c;
        };
        QTest::newRow("every parameter at its minimum") << at(false) << "";
        QTest::newRow("every parameter at its maximum") << at(true) << "";
        const double huge = 1e308, tiny = std::numeric_limits<double>::denorm_min();
        const int most = std::numeric_limits<int>::max();
        AcceleratorConfig c;
        c.glbBytes = c.hbmBytes = c.hbmBandwidth = c.frequency = c.linkBandwidth = huge;
        QTest::newRow("1e308 sizes, bandwidths and clock") << c << "architecture.glb_size";
        c = AcceleratorConfig{};
        c.glbBytes = c.hbmBytes = c.hbmBandwidth = c.frequency = c.linkBandwidth = tiny;
        QTest::newRow("denormal sizes, bandwidths and clock") << c << "architecture.glb_size";
        c = AcceleratorConfig{};
        c.frequency = huge;
        QTest::newRow("1e308 Hz") << c << "architecture.frequency";
        c = AcceleratorConfig{};
        c.hbmBandwidth = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("NaN bandwidth") << c << "architecture.hbm_bandwidth";
        c = AcceleratorConfig{};
        c.linkBandwidth = -std::numeric_limits<double>::infinity();
        QTest::newRow("-inf link bandwidth") << c << "training.link_bandwidth";
        c = AcceleratorConfig{};
        c.numTc = c.tcWidth = c.tcDepth = c.numVc = c.vcWidth = most;
        QTest::newRow("INT_MAX cores and arrays") << c << "architecture.num_tc";
        c = AcceleratorConfig{};
        c.bytesPerElement = most;
        QTest::newRow("INT_MAX bytes per element") << c << "architecture.bytes_per_element";
    }

    void costModelAtExtremes()
    {
        QFETCH(AcceleratorConfig, config);
        QFETCH(QString, field);
        const std::string problem = checkAcceleratorConfig(config);
        if (!field.isEmpty()) {
            QVERIFY2(QString::fromStdString(problem).startsWith(field + u": "_s), problem.c_str());
            QVERIFY(!validateConfig(config).empty()); // the cost model's entry check agrees
            qInfo("refused: %s", problem.c_str());
            return;
        }
        QVERIFY2(problem.empty(), problem.c_str());
        QVERIFY(validateConfig(config).empty());
        const AreaBreakdown area = areaBreakdown(config, defaultTechnology());
        for (const AreaBreakdown::Item &item : area.items())
            QVERIFY2(finiteNonNegative(item.mm2), item.key);
        QVERIFY(std::isfinite(config.peakFlops()) && config.peakFlops() > 0);
        const QString costs = checkLayerCosts(CostModel(), config);
        QVERIFY2(costs.isEmpty(), qPrintable(costs));
    }

    // Model graphs at the largest microbatch, sequence and element size the inputs allow: byte
    // and FLOP counts stay finite and non-negative (no int64 overflow: run under UBSan).
    void modelGraphAtExtremes()
    {
        GraphBuildOptions options;
        options.microbatch = 65536;
        options.sequence = kMaxSequenceLength; // 2^20 overflowed int64 attention bytes
        options.bytesPerElement = 8;
        const Result<ModelGraph> g = buildTransformer(*findZooModel("llama2-7b"), options);
        if (!g.hasValue()) {
            qInfo("refused: %s", g.message.c_str());
            return;
        }
        for (const Layer &l : g.value->layers) {
            QVERIFY(l.body->activationBytes >= 0); // the embedding keeps none
            QVERIFY(l.body->parameterBytes >= 0);
            QVERIFY(std::isfinite(l.body->flopsForward) && l.body->flopsForward >= 0);
        }
        for (const LayerEdge &e : g.value->edges)
            QVERIFY(e.bytes > 0);
    }

    // Placement over 10^6 devices works and is quick; beyond the documented maximum it is
    // refused with the limit named. INT_MAX microbatches do not overflow.
    void placementWithHugeDeviceCounts_data()
    {
        QTest::addColumn<int>("devices");
        QTest::addColumn<int>("microbatches");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("10^6 devices") << 1'000'000 << 1'000'000 << true;
        QTest::newRow("2^20 devices, 10^9 microbatches") << (1 << 20) << 1'000'000'000 << true;
        QTest::newRow("2^20 devices, INT_MAX / 2 microbatches")
            << (1 << 20) << std::numeric_limits<int>::max() / 2 << false;
        QTest::newRow("10^9 devices") << 1'000'000'000 << 1'000'000'000 << false;
        QTest::newRow("INT_MAX devices and microbatches")
            << std::numeric_limits<int>::max() << std::numeric_limits<int>::max() << false;
        QTest::newRow("8 devices, INT_MAX microbatches")
            << 8 << std::numeric_limits<int>::max() << false;
    }

    void placementWithHugeDeviceCounts()
    {
        QFETCH(int, devices);
        QFETCH(int, microbatches);
        QFETCH(bool, accepted);
        PlacementInput in = chain(26, 1e-3, 1e6);
        in.devices = devices;
        in.microbatches = microbatches;
        for (PipelineSchedule schedule : {PipelineSchedule::OneFOneB, PipelineSchedule::GPipe}) {
            PlacementOptions options;
            options.schedule = schedule;
            QElapsedTimer timer;
            timer.start();
            const Result<Placement> r = place(in, options);
            qInfo("%s: %s in %lld ms", schedule == PipelineSchedule::GPipe ? "GPipe" : "1F1B",
                  r.ok() ? "placed" : r.message.c_str(), timer.elapsed());
            QVERIFY(timer.elapsed() < scaledMs(30000));
            if (!accepted) {
                QCOMPARE(r.status, Status::Error);
                QVERIFY2(r.message.find("at most") != std::string::npos, r.message.c_str());
                continue;
            }
            QVERIFY2(r.ok(), r.message.c_str());
            QVERIFY(std::isfinite(r.value->timePerBatch) && r.value->timePerBatch > 0);
            QVERIFY(r.value->dataParallel * r.value->devicesPerPipeline <= devices);
        }
    }

    // Enormous latencies and sizes: refused with a clear message or finite, never inf/NaN.
    void placementWithHugeValues_data()
    {
        QTest::addColumn<double>("latency");
        QTest::addColumn<double>("bytes");
        QTest::addColumn<double>("memory");
        QTest::addColumn<double>("bandwidth");
        const double huge = 1e308, big = 1e300;
        QTest::newRow("1e308 latencies") << huge << 1e6 << 1e12 << 1e9;
        QTest::newRow("1e300 latencies") << big << 1e6 << 1e12 << 1e9;
        QTest::newRow("1e308 bytes") << 1e-3 << huge << huge << 1e9;
        QTest::newRow("1e308 memory") << 1e-3 << 1e6 << huge << 1e9;
        QTest::newRow("1e308 bandwidth") << 1e-3 << 1e6 << 1e12 << huge;
        QTest::newRow("denormal bandwidth")
            << 1e-3 << 1e6 << 1e12 << std::numeric_limits<double>::denorm_min();
        QTest::newRow("zero latencies") << 0.0 << 1e6 << 1e12 << 1e9;
    }

    void placementWithHugeValues()
    {
        QFETCH(double, latency);
        QFETCH(double, bytes);
        QFETCH(double, memory);
        QFETCH(double, bandwidth);
        PlacementInput in = chain(26, latency, bytes);
        in.memoryPerDevice = memory;
        in.bandwidth = bandwidth;
        const Result<Placement> r = place(in);
        if (r.status == Status::Error) {
            qInfo("refused: %s", r.message.c_str());
            QVERIFY2(r.message.find("too large") != std::string::npos, r.message.c_str());
            return;
        }
        if (r.status == Status::Infeasible) {
            QVERIFY2(r.message.find("inf") == std::string::npos, r.message.c_str());
            return;
        }
        QVERIFY2(r.ok(), r.message.c_str());
        QVERIFY2(std::isfinite(r.value->timePerBatch) && r.value->timePerBatch >= 0,
                 qPrintable(QString::number(r.value->timePerBatch)));
        for (const PlacedStage &s : r.value->stages)
            QVERIFY(std::isfinite(s.memoryBytes) && std::isfinite(s.load));
    }

    // NaN, infinities and negatives in a placement input are refused, naming the layer or edge.
    void placementRejectsNonFiniteInputs_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        const char *names[] = {"parameter bytes", "activation bytes", "forward",  "backward",
                               "edge bytes",      "memory",           "bandwidth"};
        const char *expected[] = {"layer 3",     "layer 3",           "layer 3",  "layer 3",
                                  "edge 2 -> 3", "memory per device", "bandwidth"};
        for (int f = 0; f < 7; ++f)
            for (double v : {nan, inf, -inf, -1.0})
                QTest::newRow(qPrintable(u"%1 = %2"_s.arg(QString::fromUtf8(names[f])).arg(v)))
                    << f << v << QString::fromUtf8(expected[f]);
    }

    void placementRejectsNonFiniteInputs()
    {
        QFETCH(int, field);
        QFETCH(double, value);
        QFETCH(QString, expected);
        PlacementInput in = chain(6, 1e-3, 1e6);
        PlacementLayer &l = in.graphs[0].layers[3];
        double *targets[] = {&l.parameterBytes, &l.activationBytes,           &l.forward,
                             &l.backward,       &in.graphs[0].edges[2].bytes, &in.memoryPerDevice,
                             &in.bandwidth};
        *targets[field] = value;
        const Result<Placement> r = place(in);
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(QString::fromStdString(r.message).contains(expected), r.message.c_str());
    }

    // Long lists, and lists that multiply into too many candidates or knob combinations, are
    // refused when the project is read, at the list's line.
    void projectListSizes_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QString many;
        for (int i = 0; i < 1025; ++i)
            many += (i ? u", "_s : QString()) + QString::number(1 + i % 64) + u" GiB"_s;
        QTest::newRow("1025 HBM sizes")
            << u"models: [bert-large]\ntraining:\n  hbm_sizes: ["_s + many + u"]\n"_s
            << "training.hbm_sizes"
            << "a list of 1025 values; at most 1024 are accepted";
        QString bools;
        for (int i = 0; i < 2000; ++i)
            bools += (i ? u", "_s : QString()) + (i % 2 ? u"true"_s : u"false"_s);
        QTest::newRow("2000 recomputation settings")
            << u"models: [bert-large]\ntraining:\n  recomputation: ["_s + bools + u"]\n"_s
            << "training.recomputation"
            << "at most 1024 are accepted";
        QString ones = u"1"_s;
        for (int i = 1; i < 1000; ++i)
            ones += u", 1"_s;
        QTest::newRow("10^9 space points")
            << u"models: [bert-large]\narchitecture_space:\n  num_tc: ["_s + ones +
                   u"]\n"
                   u"  num_vc: ["_s +
                   ones + u"]\n  tc_width: {min: 2, max: 256}\n"_s
            << "architecture_space"
            << "over the limit of 10000000";
        QString sizes;
        for (int i = 1; i <= 1024; ++i)
            sizes += (i > 1 ? u", "_s : QString()) + QString::number(i);
        QTest::newRow("131072 knob combinations")
            << u"models: [bert-large]\ntraining:\n  microbatch_sizes: ["_s + sizes +
                   u"]\n  recomputation: [false, true]\n  tensor_parallel_widths: ["_s +
                   sizes.left(sizes.indexOf(u", 65"_s)) + u"]\n"_s
            << "training"
            << "over the limit of 65536";
    }

    void projectListSizes()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, path);
        QFETCH(QString, message);
        QElapsedTimer timer;
        timer.start();
        const Result<ProjectSpec> load = loadProjectText(yaml.toStdString(), "p.yaml", "");
        QVERIFY(timer.elapsed() < scaledMs(5000));
        const Diagnostic *d = find(load.diagnostics, path.toStdString());
        QVERIFY2(d, qPrintable(dump(load.diagnostics)));
        QVERIFY2(QString::fromStdString(d->message).contains(message), d->message.c_str());
        QVERIFY(d->line >= 2);
    }

    // Layer graphs beyond the layer limit are refused at once (200,000 layers used to overflow
    // the stack while counting downsets); within it the DP finishes.
    void placementWithHugeLayerCount_data()
    {
        QTest::addColumn<int>("layers");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("512 layers") << 512 << true;
        QTest::newRow("limit + 1") << kMaxPlacementLayers + 1 << false;
        QTest::newRow("200,000 layers") << 200'000 << false;
    }

    void placementWithHugeLayerCount()
    {
        QFETCH(int, layers);
        QFETCH(bool, accepted);
        PlacementInput in = chain(layers, 1e-6, 1e3);
        in.devices = 1 << 20;
        QElapsedTimer timer;
        timer.start();
        const Result<Placement> r = place(in);
        qInfo("%lld ms: %s", timer.elapsed(), r.ok() ? "placed" : r.message.c_str());
        if (!accepted) {
            QVERIFY(timer.elapsed() < scaledMs(1000));
            QCOMPARE(r.status, Status::Error);
            QVERIFY2(r.message.find(std::to_string(layers) + " layers, over the limit of 1024") !=
                         std::string::npos,
                     r.message.c_str());
            return;
        }
        QVERIFY2(r.ok(), r.message.c_str());
        QVERIFY(std::isfinite(r.value->timePerBatch) && r.value->timePerBatch > 0);
    }

    // A whole project at the registry's maxima (2^20 accelerators, a global batch of 10^9,
    // microbatches of 65536, 64 TiB of HBM, both pipeline schedules): evaluated in seconds, with
    // finite numbers throughout.
    void projectAtTheRegistryMaxima_data()
    {
        QTest::addColumn<QString>("schedule");
        QTest::newRow("1f1b") << "1f1b";
        QTest::newRow("gpipe") << "gpipe";
    }

    void projectAtTheRegistryMaxima()
    {
        QFETCH(QString, schedule);
        const std::string yaml = "models: [bert-large]\narchitecture: tpuv4\ntraining:\n"
                                 "  accelerators: 1048576\n  global_batch: 1000000000\n"
                                 "  microbatch_sizes: [1, 65536]\n  hbm_sizes: [64 TiB, 1 MiB]\n"
                                 "  recomputation: [false, true]\n  link_bandwidth: 1e15\n"
                                 "  profile: phaze\n"
                                 "  pipeline_schedule: " +
                                 schedule.toStdString() + "\n";
        const Result<ProjectSpec> load = loadProjectText(yaml, "p.yaml", "");
        QVERIFY2(load.value, qPrintable(dump(load.diagnostics)));
        CodesignOptions options;
        options.architecture = findAcceleratorPreset("tpuv4")->config;
        options.baselines = false;
        options.threads = 1;
        QElapsedTimer timer;
        timer.start();
        const Result<CodesignResult> run = runCodesign(*load.value, "", options);
        qInfo("evaluated in %lld ms", timer.elapsed());
        QVERIFY(timer.elapsed() < scaledMs(60000));
        QVERIFY2(run.hasValue(), run.message.c_str());
        const SearchResult &r = run.value->search;
        QVERIFY(r.best);
        QCOMPARE(r.evaluations.size(), std::size_t(2));
        for (const Evaluation &e : r.evaluations) {
            QVERIFY(finiteNonNegative(e.areaMm2));
            if (!e.feasible()) {
                QVERIFY2(e.message.find("1 MiB") != std::string::npos, e.message.c_str());
                continue;
            }
            QVERIFY(std::isfinite(e.throughput) && e.throughput > 0);
            QVERIFY(finiteNonNegative(e.energyPerSample));
            for (const ModelOutcome &m : e.models) {
                QVERIFY(std::isfinite(m.timePerBatch) && m.timePerBatch > 0);
                QVERIFY(finiteNonNegative(m.memoryPerDevice));
                QVERIFY(m.memoryPerDevice <= e.config.hbmBytes);
                QVERIFY(m.dataParallel >= 1 && m.dataParallel <= 1048576);
            }
        }
    }

    // An architecture space whose cross product is enormous is refused before enumerating.
    void hugeArchitectureSpaceIsRefused()
    {
        ArchSpaceSpec spec;
        std::vector<double> many(1000, 2.0);
        spec.numTc = ValueRange::list(many);
        spec.tcWidth = ValueRange::list(many);
        spec.tcDepth = ValueRange::list(many);
        QElapsedTimer timer;
        timer.start();
        const Result<ArchSpace> space = enumerateArchSpace(spec, {}, defaultTechnology());
        QVERIFY(timer.elapsed() < scaledMs(5000));
        QCOMPARE(space.status, Status::Error);
        QVERIFY2(space.message.find("over the limit of 10000000") != std::string::npos,
                 space.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestNumericEdges)
#include "test_numeric_edges.moc"
