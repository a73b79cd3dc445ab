// The model summary JSON (`phaze model --json`, core/io/modeljson.h): every documented field is
// present with the graph's values, shared bodies point at one distinct layer.

#include <QtTest>

#include <memory>
#include <string>

#include "core/io/modeljson.h"
#include "core/io/operatorgraphjson.h"

using namespace phaze;

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
    const GraphImport result =
        importOperatorGraphFile(std::string(PHAZE_SOURCE_DIR) + "/examples/graphs/" + name, true);
    if (!result.ok())
        qFatal("%s", formatAll(result.errors).c_str());
    return *result.graph;
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
        QVERIFY2(o.contains(key), key);
    QCOMPARE(o["name"].toString().toStdString(), graph.name);
    QCOMPARE(o["microbatch"].toInt(), 1);
    QCOMPARE(o["sequence"].toInt(), 0);
    QCOMPARE(o["tensor_parallel"].toInt(), 1);
    QCOMPARE(o["fusion"].toBool(), true);
    QCOMPARE(o["bytes_per_element"].toInt(), 2);
    QCOMPARE(o["parameters"].toInteger(), graph.totalParameters());
    QCOMPARE(o["transformer_blocks"].toInt(), transformerBlocks);
    QCOMPARE(o["layers"].toArray().size(), layers);
    QCOMPARE(o["edges"].toArray().size(), edges);
    const QJsonArray edgeList = o["edges"].toArray();
    for (int i = 0; i < edges; ++i) {
        const QJsonObject e = edgeList[i].toObject();
        QCOMPARE(e["source"].toInt(), graph.edges[std::size_t(i)].source);
        QCOMPARE(e["target"].toInt(), graph.edges[std::size_t(i)].target);
        QCOMPARE(e["bytes"].toInteger(), graph.edges[std::size_t(i)].bytes);
    }
    QCOMPARE(o["distinct_layers"].toArray().size(), qsizetype(graph.distinctLayers().size()));
}

void TestModelJson::layerFields()
{
    const ModelGraph graph = importExample("diamond.json");
    const QJsonArray layers = summaryOf(graph)["layers"].toArray();
    const QJsonObject mlp = layers[2].toObject();
    QCOMPARE(mlp["id"].toInt(), 2);
    QCOMPARE(mlp["external_id"].toInt(), 2);
    QCOMPARE(mlp["name"].toString(), QString("mlp"));
    QCOMPARE(mlp["kind"].toString(), QString("transformer"));
    QCOMPARE(mlp["tensor_parallel"].toBool(), false);
    QVERIFY(mlp["parameters"].isDouble()); // a JSON number written as an integer
    QCOMPARE(mlp["parameters"].toInteger(), qint64(1024 + 2 * 512 * 2048));
    QCOMPARE(mlp["sharded_parameters"].toInteger(), qint64(1024 + 2 * 512 * 2048));
    QCOMPARE(mlp["replicated_parameters"].toInteger(), qint64(0));
    QCOMPARE(mlp["tied_parameters"].toInteger(), qint64(0));
    QCOMPARE(mlp["parameter_bytes"].toInteger(), qint64(2 * (1024 + 2 * 512 * 2048)));
    const LayerBody &body = *graph.layers[2].body;
    QCOMPARE(mlp["activation_bytes"].toInteger(), body.activationBytes);
    QCOMPARE(mlp["operators"].toInt(), int(body.forward.ops.size()));
    QCOMPARE(mlp["operators_unfused"].toInt(), 5);
    QVERIFY(mlp["operators"].toInt() < 5); // fused
    QCOMPARE(mlp["flops_forward"].toDouble(), body.flopsForward);
    QCOMPARE(mlp["flops_backward"].toDouble(), body.flopsBackward);
    QCOMPARE(mlp["body"].toInt(), 2);
    const std::string compact = modelSummaryJson(graph, -1);
    QVERIFY(compact.find("\"parameters\":2098176,") != std::string::npos); // integer, not 2.1e6
}

void TestModelJson::sharedBodies()
{
    const ModelGraph graph = importExample("two-tower.json");
    const QJsonObject o = summaryOf(graph);
    const QJsonArray layers = o["layers"].toArray();
    const QJsonArray distinct = o["distinct_layers"].toArray();
    QCOMPARE(distinct.size(), 5);
    for (const QJsonValue &v : layers) {
        const QJsonObject layer = v.toObject();
        const int body = layer["body"].toInt();
        QVERIFY(body >= 0 && body < distinct.size());
        // the representative of a body has that body itself
        const int representative = distinct[body].toInt();
        QCOMPARE(graph.layers[std::size_t(representative)].body.get(),
                 graph.layers[std::size_t(layer["id"].toInt())].body.get());
    }
    QCOMPARE(layers[4].toObject()["name"].toString(), QString("item1"));
    QCOMPARE(layers[4].toObject()["body"].toInt(), layers[1].toObject()["body"].toInt());
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
    body->forward.ops.push_back(Operator{"x", {PrimitiveOp{}}});
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
    QCOMPARE(o["name"].toString(), QString("hand \"built\""));
    QCOMPARE(o["microbatch"].toInt(), 8);
    QCOMPARE(o["sequence"].toInt(), 2048);
    QCOMPARE(o["tensor_parallel"].toInt(), 4);
    QCOMPARE(o["parameters"].toInteger(), graph.totalParameters());
    const QJsonArray layers = o["layers"].toArray();
    QCOMPARE(layers.size(), 2);
    const QJsonObject second = layers[1].toObject();
    QCOMPARE(second["external_id"].toInt(), 0);
    QCOMPARE(second["tensor_parallel"].toBool(), true);
    QCOMPARE(second["parameters"].toInteger(), qint64(1010));
    QCOMPARE(second["replicated_parameters"].toInteger(), qint64(10));
    QCOMPARE(second["tied_parameters"].toInteger(), qint64(5));
    QCOMPARE(second["parameter_bytes"].toInteger(), qint64(2030));
    QCOMPARE(second["operators"].toInt(), 1);
    QCOMPARE(second["operators_unfused"].toInt(), 3);
    QCOMPARE(second["flops_backward"].toDouble(), 3.0e9);
    QCOMPARE(second["body"].toInt(), 0);
    QCOMPARE(layers[0].toObject()["body"].toInt(), 0);
    QCOMPARE(o["distinct_layers"].toArray(), QJsonArray{0});
    QCOMPARE(o["edges"].toArray()[0].toObject()["bytes"].toInteger(), qint64(12345));
}

QTEST_APPLESS_MAIN(TestModelJson)
#include "test_modeljson.moc"
