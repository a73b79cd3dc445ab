// The model summary JSON (`phaze model --json`, core/io/modeljson.h): every documented field is
// present with the graph's values, shared bodies point at one distinct layer.

#include <QtTest>

#include <memory>
#include <string>

#include "core/io/modeljson.h"
#include "core/io/operatorgraphjson.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

QJsonObject summaryOf(const ModelGraph &graph, int indent = 2)
{
    const std::string text = modelSummaryJson(graph, indent);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

ModelGraph importExample(const char *name)
{
    const Result<ModelGraph> result =
        importOperatorGraphFile(std::string(PHAZE_SOURCE_DIR) + "/examples/graphs/" + name, true);
    if (!result.ok())
        qFatal("%s", formatAll(result.diagnostics).c_str());
    return *result.value;
}

} // namespace

class TestModelJson : public QObject
{
    Q_OBJECT

private slots:
    void topLevelFields_data();
    void topLevelFields();
    void layerFields();
    void sharedBodies();
    void compactOutput();
    void handBuiltGraph();
};

void TestModelJson::topLevelFields_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("edges");
    QTest::addColumn<int>("transformerBlocks");
    QTest::newRow("diamond") << "diamond.json" << 4 << 4 << 2;
    QTest::newRow("two-tower") << "two-tower.json" << 8 << 8 << 0;
}

void TestModelJson::topLevelFields()
{
    QFETCH(QString, file);
    QFETCH(int, layers);
    QFETCH(int, edges);
    QFETCH(int, transformerBlocks);
    const ModelGraph graph = importExample(qPrintable(file));
    const QJsonObject o = summaryOf(graph);
    for (const char *key :
         {"name", "microbatch", "sequence", "tensor_parallel", "fusion", "bytes_per_element",
          "parameters", "transformer_blocks", "layers", "edges", "distinct_layers"})
        QVERIFY2(o.contains(QString::fromUtf8(key)), key);
    QCOMPARE(o[u"name"_s].toString().toStdString(), graph.name);
    QCOMPARE(o[u"microbatch"_s].toInt(), 1);
    QCOMPARE(o[u"sequence"_s].toInt(), 0);
    QCOMPARE(o[u"tensor_parallel"_s].toInt(), 1);
    QCOMPARE(o[u"fusion"_s].toBool(), true);
    QCOMPARE(o[u"bytes_per_element"_s].toInt(), 2);
    QCOMPARE(o[u"parameters"_s].toInteger(), graph.totalParameters());
    QCOMPARE(o[u"transformer_blocks"_s].toInt(), transformerBlocks);
    QCOMPARE(o[u"layers"_s].toArray().size(), layers);
    QCOMPARE(o[u"edges"_s].toArray().size(), edges);
    const QJsonArray edgeList = o[u"edges"_s].toArray();
    for (int i = 0; i < edges; ++i) {
        const QJsonObject e = edgeList[i].toObject();
        QCOMPARE(e[u"source"_s].toInt(), graph.edges[std::size_t(i)].source);
        QCOMPARE(e[u"target"_s].toInt(), graph.edges[std::size_t(i)].target);
        QCOMPARE(e[u"bytes"_s].toInteger(), graph.edges[std::size_t(i)].bytes);
    }
    QCOMPARE(o[u"distinct_layers"_s].toArray().size(), qsizetype(graph.distinctLayers().size()));
}

void TestModelJson::layerFields()
{
    const ModelGraph graph = importExample("diamond.json");
    const QJsonArray layers = summaryOf(graph)[u"layers"_s].toArray();
    const QJsonObject mlp = layers[2].toObject();
    QCOMPARE(mlp[u"id"_s].toInt(), 2);
    QCOMPARE(mlp[u"external_id"_s].toInt(), 2);
    QCOMPARE(mlp[u"name"_s].toString(), u"mlp"_s);
    QCOMPARE(mlp[u"kind"_s].toString(), u"transformer"_s);
    QCOMPARE(mlp[u"tensor_parallel"_s].toBool(), false);
    QVERIFY(mlp[u"parameters"_s].isDouble()); // a JSON number written as an integer
    QCOMPARE(mlp[u"parameters"_s].toInteger(), qint64(1024 + 2 * 512 * 2048));
    QCOMPARE(mlp[u"sharded_parameters"_s].toInteger(), qint64(1024 + 2 * 512 * 2048));
    QCOMPARE(mlp[u"replicated_parameters"_s].toInteger(), qint64(0));
    QCOMPARE(mlp[u"tied_parameters"_s].toInteger(), qint64(0));
    QCOMPARE(mlp[u"parameter_bytes"_s].toInteger(), qint64(2 * (1024 + 2 * 512 * 2048)));
    const LayerBody &body = *graph.layers[2].body;
    QCOMPARE(mlp[u"activation_bytes"_s].toInteger(), body.activationBytes);
    QCOMPARE(mlp[u"operators"_s].toInt(), int(body.forward.ops.size()));
    QCOMPARE(mlp[u"operators_unfused"_s].toInt(), 5);
    QVERIFY(mlp[u"operators"_s].toInt() < 5); // fused
    QCOMPARE(mlp[u"flops_forward"_s].toDouble(), body.flopsForward);
    QCOMPARE(mlp[u"flops_backward"_s].toDouble(), body.flopsBackward);
    QCOMPARE(mlp[u"body"_s].toInt(), 2);
    const std::string compact = modelSummaryJson(graph, -1);
    QVERIFY(compact.find("\"parameters\":2098176,") != std::string::npos); // integer, not 2.1e6
}

void TestModelJson::sharedBodies()
{
    const ModelGraph graph = importExample("two-tower.json");
    const QJsonObject o = summaryOf(graph);
    const QJsonArray layers = o[u"layers"_s].toArray();
    const QJsonArray distinct = o[u"distinct_layers"_s].toArray();
    QCOMPARE(distinct.size(), 5);
    for (const QJsonValue &v : layers) {
        const QJsonObject layer = v.toObject();
        const int body = layer[u"body"_s].toInt();
        QVERIFY(body >= 0 && body < distinct.size());
        // the representative of a body has that body itself
        const int representative = distinct[body].toInt();
        QCOMPARE(graph.layers[std::size_t(representative)].body.get(),
                 graph.layers[std::size_t(layer[u"id"_s].toInt())].body.get());
    }
    QCOMPARE(layers[4].toObject()[u"name"_s].toString(), u"item1"_s);
    QCOMPARE(layers[4].toObject()[u"body"_s].toInt(), layers[1].toObject()[u"body"_s].toInt());
}

void TestModelJson::compactOutput()
{
    const ModelGraph graph = importExample("diamond.json");
    const std::string compact = modelSummaryJson(graph, -1);
    QVERIFY(compact.find('\n') == std::string::npos);
    const std::string pretty = modelSummaryJson(graph, 4);
    QVERIFY(pretty.find("\n    \"name\"") != std::string::npos);
    QCOMPARE(summaryOf(graph, -1), summaryOf(graph, 4));
}

void TestModelJson::handBuiltGraph()
{
    // Two tensor-parallel layers sharing one body object, with replicated and tied parameters.
    auto body = std::make_shared<LayerBody>();
    body->shardedParameters = 1000;
    body->replicatedParameters = 10;
    body->tiedParameters = 5;
    body->parameterBytes = 2 * 1015;
    body->activationBytes = 4096;
    body->flopsForward = 1.5e9;
    body->flopsBackward = 3.0e9;
    body->unfusedOperatorCount = 3;
    body->forward.ops.push_back(Operator{"x", {PrimitiveOp{}}, 0});
    ModelGraph graph;
    graph.name = "hand \"built\"";
    graph.options.tensorParallel = 4;
    graph.options.microbatch = 8;
    graph.options.sequence = 2048;
    for (int i = 0; i < 2; ++i) {
        Layer layer;
        layer.id = i;
        layer.externalId = i - 1;
        layer.name = "block." + std::to_string(i);
        layer.kind = LayerKind::TransformerBlock;
        layer.tensorParallel = true;
        layer.body = body;
        graph.layers.push_back(layer);
    }
    graph.edges.push_back({0, 1, 12345});
    graph.transformerBlocks = 2;

    const QJsonObject o = summaryOf(graph);
    QCOMPARE(o[u"name"_s].toString(), u"hand \"built\""_s);
    QCOMPARE(o[u"microbatch"_s].toInt(), 8);
    QCOMPARE(o[u"sequence"_s].toInt(), 2048);
    QCOMPARE(o[u"tensor_parallel"_s].toInt(), 4);
    QCOMPARE(o[u"parameters"_s].toInteger(), graph.totalParameters());
    const QJsonArray layers = o[u"layers"_s].toArray();
    QCOMPARE(layers.size(), 2);
    const QJsonObject second = layers[1].toObject();
    QCOMPARE(second[u"external_id"_s].toInt(), 0);
    QCOMPARE(second[u"tensor_parallel"_s].toBool(), true);
    QCOMPARE(second[u"parameters"_s].toInteger(), qint64(1010));
    QCOMPARE(second[u"replicated_parameters"_s].toInteger(), qint64(10));
    QCOMPARE(second[u"tied_parameters"_s].toInteger(), qint64(5));
    QCOMPARE(second[u"parameter_bytes"_s].toInteger(), qint64(2030));
    QCOMPARE(second[u"operators"_s].toInt(), 1);
    QCOMPARE(second[u"operators_unfused"_s].toInt(), 3);
    QCOMPARE(second[u"flops_backward"_s].toDouble(), 3.0e9);
    QCOMPARE(second[u"body"_s].toInt(), 0);
    QCOMPARE(layers[0].toObject()[u"body"_s].toInt(), 0);
    QCOMPARE(o[u"distinct_layers"_s].toArray(), QJsonArray{0});
    QCOMPARE(o[u"edges"_s].toArray()[0].toObject()[u"bytes"_s].toInteger(), qint64(12345));
}

QTEST_APPLESS_MAIN(TestModelJson)
#include "test_modeljson.moc"
