// Operator-graph JSON import and export (core/io/operatorgraphjson.h): the examples import with
// known sizes, export -> import reproduces a graph, and every kind of bad input gives a located
// diagnostic instead of a graph.

#include <QtTest>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "core/io/operatorgraphjson.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

std::string examplePath(const char *name)
{
    return std::string(PHAZE_SOURCE_DIR) + "/examples/graphs/" + name;
}

std::string dataPath(const char *name)
{
    return std::string(PHAZE_TEST_DATA_DIR) + "/graphs/" + name;
}

// A small valid graph with two layers (L0 -> L1); rows of the error table replace one part.
std::string graphJson(const std::string &layers, const std::string &operators,
                      const std::string &edges, const std::string &header = {})
{
    return "{\"format\": \"phaze-operator-graph\", \"version\": 1," + header + "\n\"layers\": [" +
           layers + "],\n\"operators\": [" + operators + "],\n\"edges\": [" + edges + "]}";
}

const std::string kLayers = R"({"id": "L0"}, {"id": "L1"})";
const std::string kOps = R"({"id": "a", "layer": "L0", "kind": "linear", "m": 8, "k": 8, "n": 8},
    {"id": "b", "layer": "L1", "kind": "gelu", "elements": 64})";
const std::string kEdges = R"(["a", "b"])";

const Diagnostic *findDiagnostic(const Diagnostics &errors, const QString &path,
                                 const QString &message)
{
    for (const Diagnostic &d : errors) {
        if (QString::fromStdString(d.path).contains(path) &&
            QString::fromStdString(d.message).contains(message))
            return &d;
    }
    return nullptr;
}

QByteArray listed(const Diagnostics &errors)
{
    return QByteArray::fromStdString(formatAll(errors));
}

const Layer *layerNamed(const ModelGraph &g, const std::string &name)
{
    for (const Layer &layer : g.layers) {
        if (layer.name == name)
            return &layer;
    }
    return nullptr;
}

double gemmFlops(double b, double m, double k, double n)
{
    return 2.0 * b * m * k * n;
}

} // namespace

class TestGraphImport : public QObject
{
    Q_OBJECT

private slots:
    void examples_data();
    void examples();
    void diamondSizes();
    void twoTowerSizes();
    void layersAreOrderedTopologically();
    void explicitEdgeBytes();
    void fusionChangesOperatorCount();
    void roundTrip_data();
    void roundTrip();
    void roundTripBuiltTransformer();
    void errors_data();
    void errors();
    void malformedJsonPosition();
    void allErrorsReported();
    void layerCycleWithAcyclicOperators();
    void countLimits();
    void diagnosticsAreCapped();
    void unreadableFile();
    void documentedExample();
    void otherKindOfFile();
};

void TestGraphImport::examples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("edges");
    QTest::addColumn<int>("transformerBlocks");
    QTest::addColumn<int>("distinctLayers");
    QTest::newRow("diamond") << "diamond.json" << 4 << 4 << 2 << 4;
    // the item tower's layers equal the user tower's and share their bodies
    QTest::newRow("two-tower") << "two-tower.json" << 8 << 8 << 0 << 5;
}

void TestGraphImport::examples()
{
    QFETCH(QString, file);
    QFETCH(int, layers);
    QFETCH(int, edges);
    QFETCH(int, transformerBlocks);
    QFETCH(int, distinctLayers);
    for (bool fusion : {true, false}) {
        const Result<ModelGraph> result =
            importOperatorGraphFile(examplePath(qPrintable(file)), fusion);
        QVERIFY2(result.ok(), listed(result.diagnostics).constData());
        QVERIFY(result.diagnostics.empty());
        const ModelGraph &g = *result.value;
        QCOMPARE(int(g.layers.size()), layers);
        QCOMPARE(int(g.edges.size()), edges);
        QCOMPARE(g.transformerBlocks, transformerBlocks);
        QCOMPARE(int(g.distinctLayers().size()), distinctLayers);
        QCOMPARE(g.options.fusion, fusion);
        QCOMPARE(g.options.bytesPerElement, 2);
        QCOMPARE(g.options.tensorParallel, 1);
        QVERIFY(!g.isChain());
        QCOMPARE(int(g.topologicalOrder().size()), layers);
        for (std::size_t i = 0; i < g.layers.size(); ++i) {
            QCOMPARE(g.layers[i].id, int(i));
            QCOMPARE(g.layers[i].externalId, int(i));
            QVERIFY(g.layers[i].body);
            QVERIFY(!g.layers[i].body->key.empty());
        }
    }
}

void TestGraphImport::diamondSizes()
{
    const Result<ModelGraph> result = importOperatorGraphFile(examplePath("diamond.json"), false);
    QVERIFY2(result.ok(), listed(result.diagnostics).constData());
    const ModelGraph &g = *result.value;
    QCOMPARE(g.name, std::string("diamond"));
    const char *names[] = {"embed", "attention", "mlp", "head"};
    const LayerKind kinds[] = {LayerKind::Embedding, LayerKind::TransformerBlock,
                               LayerKind::TransformerBlock, LayerKind::Head};
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(g.layers[std::size_t(i)].name, std::string(names[i]));
        QCOMPARE(g.layers[std::size_t(i)].kind, kinds[i]);
    }
    // embed.position feeds two operators of each branch but its tensor is sent once: 1024 x 512
    // x 2 bytes; each branch returns one tensor of the same size to the head.
    const std::int64_t tensor = 1024 * 512 * 2;
    const std::pair<int, int> expected[] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}};
    for (std::size_t e = 0; e < 4; ++e) {
        QCOMPARE(g.edges[e].source, expected[e].first);
        QCOMPARE(g.edges[e].target, expected[e].second);
        QCOMPARE(g.edges[e].bytes, tensor);
    }

    struct Expect {
        std::int64_t parameters;
        std::int64_t activation;
        int operators;
        double flops;
        double gemmFlops;
    };
    const double attentionGemms = gemmFlops(1, 1024, 512, 1536) + gemmFlops(8, 1024, 64, 1024) +
                                  gemmFlops(8, 1024, 1024, 64) + gemmFlops(1, 1024, 512, 512);
    const double mlpGemms = gemmFlops(1, 1024, 512, 2048) + gemmFlops(1, 1024, 2048, 512);
    const double headGemms = gemmFlops(1, 1024, 512, 8192);
    const Expect expect[] = {
        // weights: token table 8192 x 512 plus position table 1024 x 512
        {8192 * 512 + 1024 * 512, tensor, 2, 524288.0, 0.0},
        // norm 2 x 512, qkv 512 x 1536, proj 512 x 512; activations: every output but the split
        {1024 + 512 * 1536 + 512 * 512,
         tensor + 1024 * 1536 * 2 + 2 * (8 * 1024 * 1024 * 2) + 8 * 1024 * 64 * 2 + 2 * tensor, 8,
         attentionGemms + 524288.0 + 8388608.0 + 524288.0, attentionGemms},
        {1024 + 2 * 512 * 2048, 3 * tensor + 2 * 1024 * 2048 * 2, 5,
         mlpGemms + 524288.0 + 2097152.0 + 524288.0, mlpGemms},
        {1024 + 512 * 8192, 2 * tensor + 2 * 1024 * 8192 * 2, 4,
         headGemms + 2 * 524288.0 + 8388608.0, headGemms},
    };
    std::int64_t total = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const LayerBody &body = *g.layers[i].body;
        QCOMPARE(body.sliceParameters(), expect[i].parameters);
        QCOMPARE(body.shardedParameters, expect[i].parameters);
        QCOMPARE(body.replicatedParameters, std::int64_t(0));
        QCOMPARE(body.tiedParameters, std::int64_t(0));
        QCOMPARE(body.parameterBytes, 2 * expect[i].parameters);
        QCOMPARE(body.activationBytes, expect[i].activation);
        QCOMPARE(int(body.forward.ops.size()), expect[i].operators);
        QCOMPARE(body.unfusedOperatorCount, expect[i].operators);
        QCOMPARE(body.flopsForward, expect[i].flops);
        // a GEMM's backward is two GEMMs of its size
        QVERIFY(body.flopsBackward >= 2.0 * expect[i].gemmFlops);
        QCOMPARE(body.flopsBackward, backwardDag(body.forward).flops());
        total += expect[i].parameters;
    }
    QCOMPARE(g.totalParameters(), total);
    // operators keep a topological order inside the layer: split comes before both matmuls
    const OperatorDag &attention = g.layers[1].body->forward;
    QVERIFY(attention.isAcyclic());
    QCOMPARE(attention.ops[2].name, std::string("attn.split"));
    QCOMPARE(int(attention.edges.size()), 8);
}

void TestGraphImport::twoTowerSizes()
{
    const Result<ModelGraph> result = importOperatorGraphFile(examplePath("two-tower.json"));
    QVERIFY2(result.ok(), listed(result.diagnostics).constData());
    const ModelGraph &g = *result.value;
    const Layer *features = layerNamed(g, "features");
    const Layer *user1 = layerNamed(g, "user1");
    const Layer *item1 = layerNamed(g, "item1");
    const Layer *merge = layerNamed(g, "merge");
    QVERIFY(features && user1 && item1 && merge);
    QCOMPARE(features->id, 0);
    QCOMPARE(merge->id, 7);
    QCOMPARE(features->body->sliceParameters(), std::int64_t(100000 * 512 + 50000 * 512));
    QCOMPARE(features->body->activationBytes, std::int64_t(524288)); // given explicitly
    QCOMPARE(user1->body->sliceParameters(), std::int64_t(512 * 1024));
    QCOMPARE(user1->body->flopsForward, gemmFlops(1, 256, 512, 1024) + 262144.0);
    QCOMPARE(user1->body.get(), item1->body.get()); // identical layers share one body
    QCOMPARE(merge->body->sliceParameters(), std::int64_t(512 * 256 + 256 * 1));

    std::map<std::pair<std::string, std::string>, std::int64_t> bytes;
    for (const LayerEdge &e : g.edges)
        bytes[{g.layers[std::size_t(e.source)].name, g.layers[std::size_t(e.target)].name}] =
            e.bytes;
    QCOMPARE(bytes.size(), std::size_t(8));
    for (const char *tower : {"user", "item"}) {
        const std::string t(tower);
        QCOMPARE((bytes[{"features", t + "1"}]), std::int64_t(256 * 512 * 2));
        QCOMPARE((bytes[{t + "1", t + "2"}]), std::int64_t(256 * 1024 * 2));
        QCOMPARE((bytes[{t + "2", t + "3"}]), std::int64_t(256 * 1024 * 2));
        QCOMPARE((bytes[{t + "3", "merge"}]), std::int64_t(256 * 256 * 2));
    }
}

void TestGraphImport::layersAreOrderedTopologically()
{
    // Layers listed head first: the graph puts them in dependency order, with ids to match.
    const std::string text = graphJson(
        R"({"id": "head", "kind": "head"}, {"id": "body"}, {"id": "embed", "kind": "embedding"})",
        R"({"id": "h", "layer": "head", "kind": "softmax", "elements": 16},
           {"id": "x", "layer": "body", "kind": "relu", "elements": 16},
           {"id": "e", "layer": "embed", "kind": "embedding", "elements": 16})",
        R"(["e", "x"], {"from": "x", "to": "h"})");
    const Result<ModelGraph> result = importOperatorGraph(text, "order.json");
    QVERIFY2(result.ok(), listed(result.diagnostics).constData());
    const ModelGraph &g = *result.value;
    QCOMPARE(g.name, std::string("order")); // from the file name when "name" is absent
    QCOMPARE(g.layers[0].name, std::string("embed"));
    QCOMPARE(g.layers[1].name, std::string("body"));
    QCOMPARE(g.layers[2].name, std::string("head"));
    QVERIFY(g.isChain());
    QCOMPARE(g.edges[0].source, 0);
    QCOMPARE(g.edges[0].target, 1);
    QCOMPARE(g.edges[1].source, 1);
    QCOMPARE(g.edges[1].target, 2);
}

void TestGraphImport::explicitEdgeBytes()
{
    // Bytes on crossing edges override the producer's output; two producers add up; a producer
    // read twice by one layer counts once (its largest edge).
    const std::string text =
        graphJson(kLayers,
                  R"({"id": "a", "layer": "L0", "kind": "add", "elements": 100},
           {"id": "a2", "layer": "L0", "kind": "add", "elements": 100},
           {"id": "b", "layer": "L1", "kind": "add", "elements": 100},
           {"id": "c", "layer": "L1", "kind": "add", "elements": 100})",
                  R"(["a", "a2"], ["a", "b", 50], {"from": "a", "to": "c", "bytes": 70},
           ["a2", "b"], ["b", "c"])",
                  R"("bytes_per_element": 4,)");
    const Result<ModelGraph> result = importOperatorGraph(text, "bytes.json");
    QVERIFY2(result.ok(), listed(result.diagnostics).constData());
    QCOMPARE(result.value->edges.size(), std::size_t(1));
    QCOMPARE(result.value->edges[0].bytes, std::int64_t(70 + 400));
    QCOMPARE(result.value->layers[0].body->activationBytes, std::int64_t(800));
}

void TestGraphImport::fusionChangesOperatorCount()
{
    const Result<ModelGraph> fused = importOperatorGraphFile(examplePath("diamond.json"), true);
    const Result<ModelGraph> unfused = importOperatorGraphFile(examplePath("diamond.json"), false);
    QVERIFY(fused.ok() && unfused.ok());
    const LayerBody &a = *layerNamed(*fused.value, "mlp")->body;
    const LayerBody &b = *layerNamed(*unfused.value, "mlp")->body;
    QCOMPARE(int(b.forward.ops.size()), 5);
    QVERIFY(a.forward.ops.size() < b.forward.ops.size());
    QCOMPARE(a.unfusedOperatorCount, 5);
    QCOMPARE(b.unfusedOperatorCount, 5);
    // fc1 and its GELU became one tensor-core + vector-core operator
    const auto fc1 =
        std::find_if(a.forward.ops.begin(), a.forward.ops.end(), [](const Operator &op) {
            return op.parts.size() >= 2 && op.parts[0].kind == OpKind::Linear &&
                   op.parts[1].kind == OpKind::Gelu;
        });
    QVERIFY(fc1 != a.forward.ops.end());
    QCOMPARE(fc1->coreClass(), CoreClass::TCVC);
    QVERIFY(qFuzzyCompare(a.flopsForward, b.flopsForward));
    QVERIFY(qFuzzyCompare(a.flopsBackward, b.flopsBackward));
    QCOMPARE(a.activationBytes, b.activationBytes);
}

void TestGraphImport::roundTrip_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("fusion");
    for (const char *file : {"diamond.json", "two-tower.json"}) {
        QTest::addRow("%s unfused", file) << file << false;
        QTest::addRow("%s fused", file) << file << true;
    }
}

static void compareGraphs(const ModelGraph &a, const ModelGraph &b, bool sameOperators)
{
    QCOMPARE(a.layers.size(), b.layers.size());
    QCOMPARE(a.transformerBlocks, b.transformerBlocks);
    QCOMPARE(a.totalParameters(), b.totalParameters());
    QCOMPARE(a.options.tensorParallel, b.options.tensorParallel);
    QCOMPARE(a.options.bytesPerElement, b.options.bytesPerElement);
    QCOMPARE(a.distinctLayers().size(), b.distinctLayers().size());
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
        const Layer &x = a.layers[i], &y = b.layers[i];
        QCOMPARE(x.name, y.name);
        QCOMPARE(x.kind, y.kind);
        QCOMPARE(x.tensorParallel, y.tensorParallel);
        QCOMPARE(x.body->shardedParameters, y.body->shardedParameters);
        QCOMPARE(x.body->replicatedParameters, y.body->replicatedParameters);
        QCOMPARE(x.body->tiedParameters, y.body->tiedParameters);
        QCOMPARE(x.body->parameterBytes, y.body->parameterBytes);
        QCOMPARE(x.body->activationBytes, y.body->activationBytes);
        QVERIFY(qFuzzyCompare(x.body->flopsForward, y.body->flopsForward));
        QVERIFY(qFuzzyCompare(x.body->flopsBackward, y.body->flopsBackward));
        if (sameOperators)
            QCOMPARE(x.body->forward, y.body->forward);
    }
    QCOMPARE(a.edges.size(), b.edges.size());
    for (std::size_t e = 0; e < a.edges.size(); ++e) {
        QCOMPARE(a.edges[e].source, b.edges[e].source);
        QCOMPARE(a.edges[e].target, b.edges[e].target);
        QCOMPARE(a.edges[e].bytes, b.edges[e].bytes);
    }
}

void TestGraphImport::roundTrip()
{
    QFETCH(QString, file);
    QFETCH(bool, fusion);
    const Result<ModelGraph> first = importOperatorGraphFile(examplePath(qPrintable(file)), fusion);
    QVERIFY(first.ok());
    const std::string text = exportOperatorGraph(*first.value);
    const Result<ModelGraph> second = importOperatorGraph(text, "exported.json", fusion);
    QVERIFY2(second.ok(),
             (listed(second.diagnostics) + "\n" + QByteArray::fromStdString(text)).constData());
    compareGraphs(*first.value, *second.value, !fusion);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(second.value->name, first.value->name);
    if (!fusion) // an unfused graph exports to the same text again
        QCOMPARE(exportOperatorGraph(*second.value), text);
}

void TestGraphImport::roundTripBuiltTransformer()
{
    // A built transformer exercises what the examples do not: tensor-parallel slices with
    // all-reduces, replicated and tied parameters, fused operators exported part by part.
    TransformerSpec spec;
    spec.key = "tiny";
    spec.layers = 2;
    spec.hidden = 256;
    spec.heads = 4;
    spec.ffn = 1024;
    spec.vocab = 1000;
    spec.sequence = 128;
    spec.maxPositions = 128;
    spec.tensorParallelWidths = {1, 2};
    GraphBuildOptions options;
    options.microbatch = 2;
    options.tensorParallel = 2;
    const Result<ModelGraph> built = buildTransformer(spec, options);
    QVERIFY2(built.hasValue(), built.message.c_str());
    const std::string text = exportOperatorGraph(*built.value);
    const Result<ModelGraph> back = importOperatorGraph(text, "tiny.json", true);
    QVERIFY2(back.ok(), listed(back.diagnostics).constData());
    compareGraphs(*built.value, *back.value, false);
}

void TestGraphImport::errors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("path");    // substring of the diagnostic's path
    QTest::addColumn<QString>("message"); // substring of its message

    const auto row = [](const char *name, const std::string &json, const char *path,
                        const char *message) {
        QTest::newRow(name) << QString::fromStdString(json) << path << message;
    };
    const auto withOps = [](const std::string &ops) {
        return graphJson(kLayers, ops, kEdges);
    };
    const std::string opB = R"({"id": "b", "layer": "L1", "kind": "gelu", "elements": 64})";

    row("not json", "{\"format\": ", "", "malformed JSON");
    row("not an object", "[1, 2]", "", "top level must be a JSON object");
    row("number overflow",
        withOps(R"({"id": "a", "layer": "L0", "kind": "linear", "m": 1e400, "k": 8, "n": 8}, )" +
                opB),
        "", "out of range");
    row("missing format", R"({"version": 1, "layers": [], "operators": []})", "format",
        "missing required field");
    row("wrong format", R"({"format": "onnx", "version": 1})", "format",
        "expected \"phaze-operator-graph\"");
    std::string future = graphJson(kLayers, kOps, kEdges);
    future.replace(future.find("\"version\": 1"), 12, "\"version\": 2");
    row("future version", future, "version", "unsupported version 2");
    row("missing operators",
        R"({"format": "phaze-operator-graph", "version": 1, "layers": [{"id": "L0"}]})",
        "operators", "missing required field");
    row("empty graph", graphJson("", "", ""), "operators", "the graph is empty");
    row("no layers", graphJson("", kOps, kEdges), "layers", "the graph is empty");
    row("operators not a list",
        R"({"format": "phaze-operator-graph", "version": 1, "layers": [{"id": "L0"}],
            "operators": {}})",
        "operators", "must be an array");
    row("bad bytes_per_element", graphJson(kLayers, kOps, kEdges, R"("bytes_per_element": 0,)"),
        "bytes_per_element", "must be positive");
    row("unknown top-level field", graphJson(kLayers, kOps, kEdges, R"("edegs": [],)"), "edegs",
        "did you mean \"edges\"");
    row("duplicate key",
        withOps(
            R"({"id": "a", "layer": "L0", "kind": "linear", "m": 8, "m": 9, "k": 8, "n": 8}, )" +
            opB),
        "operators[0].m", "duplicate field");

    row("layer not an object", graphJson(R"("L0", {"id": "L1"})", kOps, kEdges), "layers[0]",
        "must be an object");
    row("layer without id", graphJson(R"({"kind": "custom"}, {"id": "L1"})", kOps, kEdges),
        "layers[0].id", "missing required field \"id\"");
    row("duplicate layer id",
        graphJson(R"({"id": "L0"}, {"id": "L1"}, {"id": "L0"})", kOps, kEdges), "layers[2].id",
        "duplicate layer id \"L0\"");
    row("unknown layer kind",
        graphJson(R"({"id": "L0", "kind": "block"}, {"id": "L1"})", kOps, kEdges), "layers[0].kind",
        "valid kinds: embedding, transformer, head, custom");
    row("layer tensor_parallel not a bool",
        graphJson(R"({"id": "L0", "tensor_parallel": 1}, {"id": "L1"})", kOps, kEdges),
        "layers[0].tensor_parallel", "must be true or false");
    row("layer without operators",
        graphJson(R"({"id": "L0"}, {"id": "L1"}, {"id": "idle"})", kOps, kEdges), "layers[2]",
        "layer \"idle\" has no operators");
    row("replicated above parameters",
        graphJson(R"({"id": "L0", "parameters": 10, "replicated_parameters": 11}, {"id": "L1"})",
                  kOps, kEdges),
        "layers[0].replicated_parameters", "exceeds the layer's parameters");
    row("negative parameters",
        graphJson(R"({"id": "L0", "parameters": -1}, {"id": "L1"})", kOps, kEdges),
        "layers[0].parameters", "must not be negative");

    row("operator not an object", withOps("7, " + opB), "operators[0]", "must be an object");
    row("missing kind", withOps(R"({"id": "a", "layer": "L0", "m": 8, "k": 8, "n": 8}, )" + opB),
        "operators[0].kind", "missing required field \"kind\"");
    row("missing m",
        withOps(R"({"id": "a", "layer": "L0", "kind": "linear", "k": 8, "n": 8}, )" + opB),
        "operators[0].m", "missing required field \"m\"");
    row("missing elements", withOps(R"({"id": "a", "layer": "L0", "kind": "softmax"}, )" + opB),
        "operators[0].elements", "missing required field \"elements\"");
    row("string size",
        withOps(R"({"id": "a", "layer": "L0", "kind": "linear", "m": "8", "k": 8, "n": 8}, )" +
                opB),
        "operators[0].m", "must be an integer, not a string");
    row("id not a string",
        withOps(R"({"id": 5, "layer": "L0", "kind": "relu", "elements": 8}, )" + opB),
        "operators[0].id", "must be a string");
    row("typo kind",
        withOps(R"({"id": "a", "layer": "L0", "kind": "lineer", "m": 8, "k": 8, "n": 8}, )" + opB),
        "operators[0].kind", "did you mean \"linear\"");
    row("unknown kind",
        withOps(R"({"id": "a", "layer": "L0", "kind": "convolution2d", "m": 8, "k": 8, "n": 8}, )" +
                opB),
        "operators[0].kind", "valid kinds: linear, matmul, batched_matmul");
    row("unknown layer",
        withOps(R"({"id": "a", "layer": "L9", "kind": "linear", "m": 8, "k": 8, "n": 8}, )" + opB),
        "operators[0].layer", "unknown layer \"L9\"");
    row("duplicate operator id",
        withOps(R"({"id": "b", "layer": "L0", "kind": "linear", "m": 8, "k": 8, "n": 8}, )" + opB),
        "operators[1].id", "duplicate operator id \"b\"");
    row("negative size",
        withOps(R"({"id": "a", "layer": "L0", "kind": "linear", "m": -8, "k": 8, "n": 8}, )" + opB),
        "operators[0].m", "must not be negative, not -8");
    row("zero size",
        withOps(R"({"id": "a", "layer": "L0", "kind": "linear", "m": 8, "k": 0, "n": 8}, )" + opB),
        "operators[0].k", "must be positive, not 0");
    row("zero elements",
        withOps(R"({"id": "a", "layer": "L0", "kind": "add", "elements": 0}, )" + opB),
        "operators[0].elements", "must be positive");
    row("non-integer size",
        withOps(R"({"id": "a", "layer": "L0", "kind": "add", "elements": 2.5}, )" + opB),
        "operators[0].elements", "must be an integer, not 2.5");
    row("huge elements",
        withOps(R"({"id": "a", "layer": "L0", "kind": "add", "elements": 1e17}, )" + opB),
        "operators[0].elements", "exceeds the limit of 2^53");
    row("huge bytes",
        withOps(
            R"({"id": "a", "layer": "L0", "kind": "add", "elements": 8, "output_bytes": 2e18}, )" +
            opB),
        "operators[0].output_bytes", "exceeds the limit of 1e18 bytes");
    row("huge shape",
        withOps(
            R"({"id": "a", "layer": "L0", "kind": "linear", "m": 4000000000, "k": 8,
                "n": 4000000000}, )" +
            opB),
        "operators[0]", "the GEMM is too large");
    row("huge default bytes",
        graphJson(kLayers,
                  R"({"id": "a", "layer": "L0", "kind": "add", "elements": 9007199254740992}, )" +
                      opB,
                  kEdges, R"("bytes_per_element": 64,)"),
        "operators[0]", "the default input_bytes");
    row("negative bytes",
        withOps(
            R"({"id": "a", "layer": "L0", "kind": "add", "elements": 8, "weight_bytes": -2}, )" +
            opB),
        "operators[0].weight_bytes", "must not be negative");
    row("elements on a GEMM",
        withOps(
            R"({"id": "a", "layer": "L0", "kind": "linear", "m": 8, "k": 8, "n": 8,
                "elements": 64}, )" +
            opB),
        "operators[0].elements", "does not apply to GEMM kind linear");
    row("m on a vector op",
        withOps(R"({"id": "a", "layer": "L0", "kind": "add", "elements": 8, "m": 8}, )" + opB),
        "operators[0].m", "does not apply to add operators");
    row("group on a GEMM",
        withOps(
            R"({"id": "a", "layer": "L0", "kind": "linear", "m": 8, "k": 8, "n": 8,
                "group": 2}, )" +
            opB),
        "operators[0].group", "applies only to all_reduce");
    row("zero group",
        withOps(R"({"id": "a", "layer": "L0", "kind": "all_reduce", "elements": 8, "group": 0}, )" +
                opB),
        "operators[0].group", "must be positive");
    row("misspelt field",
        withOps(R"({"id": "a", "layer": "L0", "kind": "add", "elements": 8, "weigth_bytes": 8}, )" +
                opB),
        "operators[0].weigth_bytes", "did you mean \"weight_bytes\"");

    row("dangling edge", graphJson(kLayers, kOps, R"(["a", "b"], ["b", "fc3"])"), "edges[1][1]",
        "unknown operator \"fc3\"");
    row("dangling edge object", graphJson(kLayers, kOps, R"({"from": "fc0", "to": "b"})"),
        "edges[0].from", "unknown operator \"fc0\"");
    row("edge missing to", graphJson(kLayers, kOps, R"({"from": "a"})"), "edges[0].to",
        "missing required field \"to\"");
    row("short edge", graphJson(kLayers, kOps, R"(["a"])"), "edges[0]", "[from, to]");
    row("edge not a list", graphJson(kLayers, kOps, R"("a->b")"), "edges[0]", "an edge must be");
    row("edge end not a string", graphJson(kLayers, kOps, R"(["a", 1])"), "edges[0][1]",
        "must be an operator id");
    row("negative edge bytes", graphJson(kLayers, kOps, R"({"from": "a", "to": "b", "bytes": -1})"),
        "edges[0].bytes", "must not be negative");
    row("non-integer edge bytes", graphJson(kLayers, kOps, R"(["a", "b", 0.5])"), "edges[0][2]",
        "must be an integer");
    row("self-loop", graphJson(kLayers, kOps, R"(["a", "b"], ["b", "b"])"), "edges[1]",
        "self-loop: operator \"b\" feeds itself");
    row("operator cycle",
        graphJson(kLayers, kOps + R"(, {"id": "c", "layer": "L1", "kind": "relu", "elements": 64},
                  {"id": "d", "layer": "L1", "kind": "relu", "elements": 64})",
                  R"(["a", "b"], ["b", "c"], ["c", "d"], ["d", "b"])"),
        "edges[", "operators form a cycle in layer \"L1\": \"b\" -> \"c\" -> \"d\" -> \"b\"");
    row("layer cycle",
        graphJson(kLayers,
                  kOps + R"(, {"id": "a2", "layer": "L0", "kind": "relu", "elements": 64})",
                  R"(["a", "b"], ["b", "a2"])"),
        "edges[", "layers form a cycle: \"L0\" -> \"L1\" -> \"L0\"");
}

void TestGraphImport::errors()
{
    QFETCH(QString, json);
    QFETCH(QString, path);
    QFETCH(QString, message);
    const Result<ModelGraph> result = importOperatorGraph(json.toStdString(), "bad.json");
    QVERIFY(!result.ok());
    QVERIFY(!result.diagnostics.empty());
    const Diagnostic *d = findDiagnostic(result.diagnostics, path, message);
    QVERIFY2(d, listed(result.diagnostics).constData());
    QCOMPARE(d->file, std::string("bad.json"));
    QVERIFY2(d->line > 0, d->format().c_str()); // every error points into the text
    QVERIFY(!d->format().empty());
}

void TestGraphImport::malformedJsonPosition()
{
    // The missing comma sits at line 8, column 47 of the file.
    const Result<ModelGraph> result = importOperatorGraphFile(dataPath("bad-syntax.json"));
    QVERIFY(!result.ok());
    QCOMPARE(result.diagnostics.size(), std::size_t(1));
    const Diagnostic &d = result.diagnostics[0];
    QVERIFY(QString::fromStdString(d.message).startsWith(u"malformed JSON"_s));
    QCOMPARE(d.line, 8);
    QCOMPARE(d.column, 47);

    const Result<ModelGraph> inline_ =
        importOperatorGraph("{\n  \"format\": \"x\",\n  \"version\" 1\n}", "x.json");
    QCOMPARE(inline_.diagnostics.size(), std::size_t(1));
    QCOMPARE(inline_.diagnostics[0].line, 3);
    QCOMPARE(inline_.diagnostics[0].column, 13);

    const Result<ModelGraph> truncated = importOperatorGraph("{\"format\": [\n", "x.json");
    QCOMPARE(truncated.diagnostics.size(), std::size_t(1));
    QCOMPARE(truncated.diagnostics[0].line, 2);
    QCOMPARE(truncated.diagnostics[0].column, 1);
    QVERIFY(QString::fromStdString(truncated.diagnostics[0].message).contains(u"end of input"_s));

    const Result<ModelGraph> overflow = importOperatorGraph("{\"m\":\n  1e999}", "x.json");
    QCOMPARE(overflow.diagnostics.size(), std::size_t(1));
    QCOMPARE(overflow.diagnostics[0].line, 2);
    QCOMPARE(overflow.diagnostics[0].column, 3);
}

void TestGraphImport::allErrorsReported()
{
    const Result<ModelGraph> result = importOperatorGraphFile(dataPath("bad-many-errors.json"));
    QVERIFY(!result.ok());
    struct Expect {
        const char *path;
        const char *message;
        int line;
        int column;
    };
    const Expect expect[] = {
        {"operators[1].kind", "did you mean \"linear\"", 10, 40},
        {"operators[2].elements", "must not be negative", 11, 60},
        {"operators[3].layer", "unknown layer \"L7\"", 12, 26},
        {"edges[1][1]", "unknown operator \"fc3\"", 16, 11},
    };
    QCOMPARE(result.diagnostics.size(), std::size_t(4));
    for (const Expect &e : expect) {
        const Diagnostic *d = findDiagnostic(result.diagnostics, QString::fromUtf8(e.path),
                                             QString::fromUtf8(e.message));
        QVERIFY2(d,
                 (QByteArray(e.path) + " missing in\n" + listed(result.diagnostics)).constData());
        QCOMPARE(d->file, dataPath("bad-many-errors.json"));
        QCOMPARE(d->line, e.line);
        QCOMPARE(d->column, e.column);
    }
}

void TestGraphImport::layerCycleWithAcyclicOperators()
{
    const Result<ModelGraph> result = importOperatorGraphFile(dataPath("bad-layer-cycle.json"));
    QVERIFY(!result.ok());
    QCOMPARE(result.diagnostics.size(), std::size_t(1));
    const Diagnostic &d = result.diagnostics[0];
    QVERIFY2(QString::fromStdString(d.message).contains(
                 u"layers form a cycle: \"L0\" -> \"L1\" -> \"L0\""_s),
             d.format().c_str());
    QCOMPARE(d.path, std::string("edges[0]"));
    QCOMPARE(d.line, 16);
}

void TestGraphImport::countLimits()
{
    OperatorGraphLimits limits;
    limits.maxOperators = 1;
    Result<ModelGraph> result =
        importOperatorGraph(graphJson(kLayers, kOps, kEdges), "x.json", true, limits);
    QVERIFY(!result.ok());
    QVERIFY2(findDiagnostic(result.diagnostics, u"operators"_s,
                            u"too many operators: 2 (the limit is 1)"_s),
             listed(result.diagnostics).constData());
    limits = {};
    limits.maxLayers = 1;
    result = importOperatorGraph(graphJson(kLayers, kOps, kEdges), "x.json", true, limits);
    QVERIFY(findDiagnostic(result.diagnostics, u"layers"_s, u"too many layers"_s));
    limits = {};
    limits.maxEdges = 0;
    result = importOperatorGraph(graphJson(kLayers, kOps, kEdges), "x.json", true, limits);
    QVERIFY(findDiagnostic(result.diagnostics, u"edges"_s, u"too many edges"_s));
    // the defaults are the documented ones
    QCOMPARE(OperatorGraphLimits{}.maxOperators, std::int64_t(1'000'000));
    QCOMPARE(OperatorGraphLimits{}.maxLayers, std::int64_t(100'000));
}

void TestGraphImport::diagnosticsAreCapped()
{
    std::string ops;
    for (int i = 0; i < 6; ++i)
        ops += "{\"id\": \"o" + std::to_string(i) +
               "\", \"layer\": \"L0\", \"kind\": \"add\", \"elements\": -1},";
    ops += R"({"id": "b", "layer": "L1", "kind": "add", "elements": 1})";
    OperatorGraphLimits limits;
    limits.maxDiagnostics = 4;
    const Result<ModelGraph> result =
        importOperatorGraph(graphJson(kLayers, ops, ""), "x.json", true, limits);
    QCOMPARE(result.diagnostics.size(), std::size_t(5));
    QVERIFY(QString::fromStdString(result.diagnostics.back().message).contains(u"2 more errors"_s));
}

void TestGraphImport::unreadableFile()
{
    const std::string path = dataPath("no-such-file.json");
    const Result<ModelGraph> result = importOperatorGraphFile(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.diagnostics.size(), std::size_t(1));
    QCOMPARE(result.diagnostics[0].file, path);
    QVERIFY(QString::fromStdString(result.diagnostics[0].message).contains(u"cannot open"_s));
    QVERIFY(!importOperatorGraphFile(PHAZE_TEST_DATA_DIR).ok()); // a directory
}

void TestGraphImport::documentedExample()
{
    // The complete example in docs/operator-graph-format.md imports with the sizes it states.
    std::ifstream in(std::string(PHAZE_SOURCE_DIR) + "/docs/operator-graph-format.md");
    std::stringstream doc;
    doc << in.rdbuf();
    const std::string text = doc.str();
    const std::size_t begin = text.find("```json\n");
    QVERIFY(begin != std::string::npos);
    const std::size_t end = text.find("```", begin + 8);
    const Result<ModelGraph> result =
        importOperatorGraph(text.substr(begin + 8, end - begin - 8), "doc");
    QVERIFY2(result.ok(), listed(result.diagnostics).constData());
    const ModelGraph &g = *result.value;
    QCOMPARE(g.name, std::string("tiny-mlp"));
    QCOMPARE(g.edges.size(), std::size_t(1));
    QCOMPARE(g.edges[0].bytes, std::int64_t(262144));
    QCOMPARE(g.layers[0].body->sliceParameters(), std::int64_t(8192000));
    QCOMPARE(g.layers[1].body->sliceParameters(), std::int64_t(524800));
    QCOMPARE(g.layers[1].body->unfusedOperatorCount, 5);
    QCOMPARE(int(g.layers[1].body->forward.ops.size()), 3);
}

void TestGraphImport::otherKindOfFile()
{
    // A PHAZE placement input is not an operator graph: one clear error, not a list of
    // unknown fields.
    const Result<ModelGraph> result = importOperatorGraph(
        R"({"maxDevices": 8, "nodes": {"1": []}, "edges": {"1": []}})", "phaze.json");
    QCOMPARE(result.diagnostics.size(), std::size_t(1));
    QCOMPARE(result.diagnostics[0].path, std::string("format"));
    QCOMPARE(result.diagnostics[0].line, 1);
}

QTEST_APPLESS_MAIN(TestGraphImport)
#include "test_graphimport.moc"
