// PHAZE device-placement JSON: reading with located diagnostics, writing PHAZE's output.

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/io/phazejson.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

const char *kGood = R"({
  "maxMemoryPerDevice": 1000, "maxDevices": 4, "bandwidth": 10, "mbsInBatch": 8,
  "activationRecomputation": true, "optimizerAlgorithm": "Adam",
  "fixedPP": 2, "fixedTMPC": 1, "fixedDP": 2, "numTransformerLayers": 2,
  "nodes": {"1": [
    {"id": -1, "parameterSize": 10, "activationSize": 5, "optimalLatencyFw": 1,
     "optimalLatencyBw": 2, "isTensorParallelized": false},
    {"id": 0, "parameterSize": 20, "activationSize": 6, "optimalLatencyFw": 3,
     "optimalLatencyBw": 6, "isTensorParallelized": false},
    {"id": 1, "parameterSize": 20, "activationSize": 6, "optimalLatencyFw": 3,
     "optimalLatencyBw": 6, "isTensorParallelized": false}]},
  "edges": {"1": [{"sourceId": -1, "destId": 0, "communicationCost": 4},
                  {"sourceId": 0, "destId": 1, "communicationCost": 4}]}
})";

} // namespace

class TestPhazeJson : public QObject
{
    Q_OBJECT

private slots:
    void readsAllFields()
    {
        Diagnostics errors;
        const auto in = readPhazeInput(kGood, "good.json", errors);
        QVERIFY(errors.empty());
        QVERIFY(in.has_value());
        QCOMPARE(in->memoryPerDevice, 1000.0);
        QCOMPARE(in->devices, 4);
        QCOMPARE(in->bandwidth, 10.0);
        QCOMPARE(in->microbatches, 8);
        QVERIFY(in->recomputation);
        QCOMPARE(in->optimizer, Optimizer::Adam);
        QVERIFY(in->fixed.has_value());
        QCOMPARE(in->fixed->pipelineStages, 2);
        QCOMPARE(in->fixed->dataParallel, 2);
        QCOMPARE(in->graphs.size(), std::size_t(1));
        QCOMPARE(in->graphs[0].layers.size(), std::size_t(3));
        QCOMPARE(in->graphs[0].layers[1].forward, 3.0);
        QCOMPARE(in->graphs[0].edges[1].bytes, 4.0);
    }

    void locatesErrors_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expected");
        QTest::newRow("negative size")
            << R"("parameterSize": 20, "activationSize": 6, "optimalLatencyFw": 3,
     "optimalLatencyBw": 6, "isTensorParallelized": false},
    {"id": 1)"
            << R"("parameterSize": -20, "activationSize": 6, "optimalLatencyFw": 3,
     "optimalLatencyBw": 6, "isTensorParallelized": false},
    {"id": 1)"
            << "x.json:8:32: nodes.1[1].parameterSize: must be >= 0";
        QTest::newRow("optimizer")
            << R"("Adam")"
            << R"("Lion")"
            << "x.json:3:58: optimizerAlgorithm: must be \"SGD\" or \"Adam\"";
        QTest::newRow("devices") << R"("maxDevices": 4)"
                                 << R"("maxDevices": 0)"
                                 << "x.json:2:45: maxDevices: must be an integer >= 1";
        QTest::newRow("width key") << R"("nodes": {"1")"
                                   << R"("nodes": {"x")"
                                   << "nodes.x: key \"x\" is not a tensor-parallel width";
        QTest::newRow("unknown layer") << R"("destId": 1)"
                                       << R"("destId": 7)"
                                       << "edge 0 -> 7 (width 1) names a layer that does not exist";
        QTest::newRow("cycle") << R"("communicationCost": 4},)"
                               << R"("communicationCost": 4}, {"sourceId": 1, "destId": -1,
                                  "communicationCost": 4},)"
                               << "has a cycle";
        QTest::newRow("malformed") << R"("edges")"
                                   << R"("edges" 3)"
                                   << "malformed JSON";
    }

    void locatesErrors()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expected);
        QString text = QString::fromUtf8(kGood);
        QVERIFY(text.contains(from));
        text.replace(from, to);
        Diagnostics errors;
        const auto in = readPhazeInput(text.toStdString(), "x.json", errors);
        QVERIFY(!in.has_value());
        QVERIFY(!errors.empty());
        const QString all = QString::fromStdString(formatAll(errors));
        QVERIFY2(all.contains(expected), qPrintable(all));
    }

    void writesInfeasibleAsEmptyStages()
    {
        const QJsonObject out =
            QJsonDocument::fromJson(QByteArray::fromStdString(writePhazeOutput(
                                        Result<Placement>::infeasible("nothing fits"))))
                .object();
        QCOMPARE(out[u"stages"_s].toArray().size(), 0);
        QVERIFY(out[u"finalTimePerBatch"_s].isNull());
        QCOMPARE(out[u"status"_s].toString(), u"infeasible"_s);
        QCOMPARE(out[u"message"_s].toString(), u"nothing fits"_s);
    }

    void placesTheSmallInstance()
    {
        Diagnostics errors;
        const auto in = readPhazeInput(kGood, "good.json", errors);
        const Result<Placement> r = place(*in);
        QCOMPARE(r.status, Status::Optimal);
        const QJsonObject out =
            QJsonDocument::fromJson(QByteArray::fromStdString(writePhazeOutput(r))).object();
        QCOMPARE(out[u"tensorParallelDegree"_s].toInt(), 1);
        QVERIFY(out[u"finalTimePerBatch"_s].toDouble() > 0);
        QVERIFY(out[u"fixedStrategyTimePerBatch"_s].toDouble() > 0);
        int layers = 0;
        for (const QJsonValue &s : out[u"stages"_s].toArray())
            layers += s.toObject()[u"nodes"_s].toArray().size();
        QCOMPARE(layers, 3);
    }
};

QTEST_GUILESS_MAIN(TestPhazeJson)
#include "test_phazejson.moc"
