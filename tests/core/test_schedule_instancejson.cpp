// The schedule instance format: the golden files parse, load -> save -> load is lossless, every
// problem in a hand-written file is reported with its line and path, and the result JSON has
// the documented fields.

#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/io/scheduleinstancejson.h"
#include "core/schedule/exactscheduler.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestScheduleInstanceJson : public QObject
{
    Q_OBJECT

private slots:
    void goldenFileRoundTrips()
    {
        const Result<ScheduleInstance> a =
            loadScheduleInstance(PHAZE_TEST_DATA_DIR "/schedule/layer-103.json");
        QVERIFY(a.diagnostics.empty());
        QCOMPARE(a.value->problem.numTc, 3);
        QCOMPARE(a.value->problem.ops.size(), std::size_t(7));
        QCOMPARE(a.value->problem.ops[3].kind, ScheduleOpKind::TCVC);
        QCOMPARE(a.value->problem.ops[3].intraLatency, 5.391);
        QCOMPARE(*a.value->expectedMakespan, 33.473);
        const Result<ScheduleInstance> b =
            parseScheduleInstance(scheduleInstanceJson(*a.value), "again.json");
        QVERIFY(b.diagnostics.empty());
        QCOMPARE(scheduleInstanceJson(*b.value), scheduleInstanceJson(*a.value));
        QCOMPARE(b.value->problem.edges, a.value->problem.edges);
        QCOMPARE(b.value->ids, a.value->ids);
    }

    void idsNeedNotBeIndices()
    {
        const Result<ScheduleInstance> l = parseScheduleInstance(
            R"({"num_tc": 1, "num_vc": 1,
                "ops": [{"id": 70, "kind": "TC", "latency": 2, "intra_latency": 1},
                        {"id": 5, "kind": "collective", "latency": 3}],
                "edges": [[70, 5]]})",
            "ids.json");
        QVERIFY(l.diagnostics.empty());
        QCOMPARE(l.value->problem.edges, (std::vector<std::pair<int, int>>{{0, 1}}));
        QCOMPARE(l.value->problem.ops[1].kind, ScheduleOpKind::Collective);
        const Result<ScheduleSolution> r = ExactScheduler().solve(l.value->problem);
        QCOMPARE(r.value->schedule.makespan, 4.0);
        const nlohmann::json out = nlohmann::json::parse(scheduleResultJson(*l.value, r));
        QCOMPARE(out["status"].get<std::string>(), std::string("optimal"));
        QCOMPARE(out["makespan"].get<double>(), 4.0);
        QCOMPARE(out["lower_bound"].get<double>(), 4.0);
        QCOMPARE(out["ops"][0]["id"].get<int>(), 70);
        QCOMPARE(out["ops"][0]["mode"].get<std::string>(), std::string("intra"));
        QCOMPARE(out["ops"][1]["start"].get<double>(), 1.0);
        QCOMPARE(out["ops"][1]["end"].get<double>(), 4.0);
    }

    void errorsAreLocated_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString head = u"{\"num_tc\": 1, \"num_vc\": 1,\n \"ops\": [\n"_s;
        QTest::newRow("kind")
            << head + uR"( {"id": 0, "kind": "GPU", "latency": 1, "intra_latency": 1}]})"_s
            << "bad.json:3:20: ops[0].kind: must be \"TC\"";
        QTest::newRow("negative latency")
            << head + u" {\"id\": 0, \"kind\": \"TC\", \"latency\": -1, \"intra_latency\": 1}]}"_s
            << "bad.json:3:37: ops[0].latency: must be a finite, non-negative number";
        QTest::newRow("missing intra")
            << head + u" {\"id\": 0, \"kind\": \"VC\", \"latency\": 1}]}"_s
            << "ops[0].intra_latency: missing required field";
        QTest::newRow("typo")
            << head + u" {\"id\": 0, \"kind\": \"VC\", \"latency\": 1, \"intra\": 1}]}"_s
            << "unknown field \"intra\"";
        QTest::newRow("duplicate id")
            << head + u" {\"id\": 0, \"kind\": \"VC\", \"latency\": 1, \"intra_latency\": 1},\n"
                      u" {\"id\": 0, \"kind\": \"VC\", \"latency\": 1, \"intra_latency\": 1}]}"_s
            << "bad.json:4:9: ops[1].id: id 0 is used twice";
        QTest::newRow("edge to nowhere")
            << head + u" {\"id\": 0, \"kind\": \"VC\", \"latency\": 1, \"intra_latency\": 1}],\n"
                      u" \"edges\": [[0, 9]]}"_s
            << "bad.json:4:16: edges[0][1]: no operator has id 9";
        QTest::newRow("cycle")
            << head + u" {\"id\": 0, \"kind\": \"VC\", \"latency\": 1, \"intra_latency\": 1},\n"
                      u" {\"id\": 1, \"kind\": \"VC\", \"latency\": 1, \"intra_latency\": 1}],\n"
                      u" \"edges\": [[0, 1], [1, 0]]}"_s
            << "the edges form a cycle";
        QTest::newRow("no cores") << "{\"num_tc\": 0, \"num_vc\": 1, \"ops\": []}"
                                  << "bad.json:1:12: num_tc: must be between 1";
        QTest::newRow("syntax") << "{\"num_tc\": 1,, }"
                                << "bad.json:1:14: malformed JSON";
    }
    void errorsAreLocated()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const Result<ScheduleInstance> l = parseScheduleInstance(text.toStdString(), "bad.json");
        QVERIFY(!l.value);
        QVERIFY(!l.diagnostics.empty());
        const QString all = QString::fromStdString(formatAll(l.diagnostics));
        QVERIFY2(all.contains(expected), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestScheduleInstanceJson)
#include "test_schedule_instancejson.moc"
