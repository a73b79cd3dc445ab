// Known answers: PHAZE's own device-placement program on three instances (tests/data/phaze-dp).
// Same finalTimePerBatch (relative 1e-9), same degrees, a stage partition with the same time
// per batch, and the same fixed baseline (or infeasible where PHAZE ran out of memory).

#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "test_placement_support.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestPlacementKnownAnswers : public QObject
{
    Q_OBJECT

private slots:
    void matchesPhaze_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"small-chain", "bert-like-tp", "gpt3-like-large"})
            QTest::newRow(n) << QString::fromUtf8(n);
    }

    void matchesPhaze()
    {
        QFETCH(QString, name);
        const PlacementInput in =
            testing::loadInstance("phaze-dp/" + name.toStdString() + ".input.json");
        QFile f(QStringLiteral(PHAZE_TEST_DATA_DIR "/phaze-dp/") + name + u".expected.json"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject expected = QJsonDocument::fromJson(f.readAll()).object();

        const Result<Placement> r = place(in);
        QCOMPARE(r.status, Status::Optimal);
        const Placement &p = *r.value;
        const double want = expected[u"finalTimePerBatch"_s].toDouble();
        QVERIFY2(std::abs(p.timePerBatch - want) <= 1e-9 * want,
                 qPrintable(QString::number(p.timePerBatch, 'g', 17)));
        QCOMPARE(p.dataParallel, expected[u"dataParallelDegree"_s].toInt());
        QCOMPARE(p.tensorParallel, expected[u"tensorParallelDegree"_s].toInt());

        // PHAZE's own stages evaluate to the same time in our model.
        std::vector<StagePlan> theirs;
        for (const QJsonValue &s : expected[u"stages"_s].toArray()) {
            StagePlan plan;
            for (const QJsonValue &id : s.toObject()[u"nodes"_s].toArray())
                plan.layers.push_back(id.toInt());
            plan.devices = s.toObject()[u"devicesForStage"_s].toInt();
            theirs.push_back(plan);
        }
        const Result<Placement> e = evaluatePlacement(in, PipelineSchedule::OneFOneB,
                                                      p.tensorParallel, theirs, p.dataParallel);
        QVERIFY2(e.hasValue(), e.message.c_str());
        QVERIFY(std::abs(e.value->timePerBatch - want) <= 1e-9 * want);
        QCOMPARE(p.stages.size(), theirs.size());

        QVERIFY(p.fixed.has_value());
        if (expected[u"fixedStrategyTimePerBatch"_s].isNull()) {
            QVERIFY(!p.fixed->feasible);
            QVERIFY2(p.fixed->message.find("needs") != std::string::npos, p.fixed->message.c_str());
        } else {
            QVERIFY2(p.fixed->feasible, p.fixed->message.c_str());
            const double fixed = expected[u"fixedStrategyTimePerBatch"_s].toDouble();
            QVERIFY(std::abs(p.fixed->timePerBatch - fixed) <= 1e-9 * fixed);
        }
    }

    // The id-based baseline layout (the documented Megatron rule) differs from PHAZE's
    // position-based one when a layer precedes the first block.
    void fixedLayoutByIds()
    {
        PlacementInput in = testing::loadInstance("phaze-dp/bert-like-tp.input.json");
        PlacementOptions byIds;
        byIds.fixedLayout = FixedLayout::LayerIds;
        const Result<Placement> a = place(in), b = place(in, byIds);
        QVERIFY(a.hasValue() && b.hasValue());
        QVERIFY(a.value->fixed->feasible && b.value->fixed->feasible);
        QCOMPARE(a.value->fixed->stages.front().layers.size(), std::size_t(3)); // -1, 0, 1
        QCOMPARE(b.value->fixed->stages.front().layers.size(), std::size_t(4)); // -1, 0, 1, 2
        QCOMPARE(b.value->fixed->stages.back().layers.back(), 24);
        QVERIFY(a.value->fixed->timePerBatch != b.value->fixed->timePerBatch);
    }

    void writesPhazeOutput()
    {
        const PlacementInput in = testing::loadInstance("phaze-dp/small-chain.input.json");
        const QJsonObject out =
            QJsonDocument::fromJson(QByteArray::fromStdString(writePhazeOutput(place(in))))
                .object();
        QCOMPARE(out[u"status"_s].toString(), u"optimal"_s);
        QCOMPARE(out[u"dataParallelDegree"_s].toInt(), 6);
        QCOMPARE(out[u"tensorParallelDegree"_s].toInt(), 1);
        QCOMPARE(out[u"finalTimePerBatch"_s].toDouble(), 5053.483778968352);
        QVERIFY(out[u"fixedStrategyTimePerBatch"_s].isNull());
        QCOMPARE(out[u"stages"_s].toArray().size(), 10);
        QCOMPARE(out[u"stages"_s].toArray()[0].toObject()[u"nodes"_s].toArray()[0].toInt(), -1);
    }
};

QTEST_GUILESS_MAIN(TestPlacementKnownAnswers)
#include "test_placement_knownanswers.moc"
