// `phaze schedule`, run as a user would: golden instances with --json and --trace, a model on
// two chips, and bad input.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace {

QJsonDocument readJsonDocument(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll());
}

} // namespace

class TestCliSchedule : public QObject
{
    Q_OBJECT

private slots:
    void helpListsSchedule() { QVERIFY(phaze({"--help"}).out.contains("  schedule ")); }

    void instanceWithJsonAndTrace()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("out.json"), trace = dir.filePath("trace.json");
        const Run r = phaze({"schedule", PHAZE_TEST_DATA_DIR "/schedule/layer-102.json", "--json",
                             json, "--trace", trace, "--time-limit", "30"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("makespan 42.585") && r.out.contains("status optimal"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("(matches)"));
        const QJsonObject o = readJsonDocument(json).object();
        QCOMPARE(o["status"].toString(), QString("optimal"));
        QVERIFY(std::abs(o["makespan"].toDouble() - 42.585) <= 1e-6);
        QVERIFY(o["lower_bound"].toDouble() <= o["makespan"].toDouble());
        const QJsonArray ops = o["ops"].toArray();
        QCOMPARE(ops.size(), 6);
        for (const QJsonValue &v : ops) {
            const QString mode = v.toObject()["mode"].toString();
            QVERIFY(mode == "single" || mode == "intra");
            QVERIFY(v.toObject()["end"].toDouble() >= v.toObject()["start"].toDouble());
        }
        const QJsonArray events = readJsonDocument(trace).object()["traceEvents"].toArray();
        int complete = 0;
        QStringList tracks;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            complete += e["ph"].toString() == "X" ? 1 : 0;
            if (e["name"].toString() == "thread_name")
                tracks << e["args"].toObject()["name"].toString();
        }
        QVERIFY(complete >= 6);
        QVERIFY(tracks.contains("TC 0") && tracks.contains("VC 1") && tracks.contains("links"));
    }

    void modelOnTwoChips_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::newRow("tpuv4") << "tpuv4";
        QTest::newRow("2 TC, 1 VC") << "phaze-largest";
    }
    void modelOnTwoChips()
    {
        QFETCH(QString, arch);
        QTemporaryDir dir;
        const QString json = dir.filePath("layers.json");
        const Run r = phaze({"schedule", "--model", "megatron-gpt2-2.5b", "--arch", arch, "--tp",
                             "2", "--mbs", "2", "--json", json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("block.0") && r.out.contains("optimal"), qPrintable(r.out));
        const QJsonObject o = readJsonDocument(json).object();
        const QJsonArray layers = o["layers"].toArray();
        QCOMPARE(layers.size(), 3);
        for (const QJsonValue &v : layers) {
            const QJsonObject l = v.toObject();
            QCOMPARE(l["status"].toString(), QString("optimal"));
            for (const char *pass : {"forward", "backward"}) {
                const QJsonObject p = l[pass].toObject();
                QVERIFY(p["latency"].toDouble() > 0.0);
                QVERIFY(p["lower_bound"].toDouble() <= p["latency"].toDouble());
                QVERIFY(!p["ops"].toArray().isEmpty());
            }
        }
        QCOMPARE(layers[1].toObject()["occurrences"].toInt(), 54);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no input") << QStringList{"schedule"} << "give one instance file";
        QTest::newRow("missing file")
            << QStringList{"schedule", "/nonexistent.json"} << "cannot open";
        QTest::newRow("bad limit")
            << QStringList{"schedule", PHAZE_TEST_DATA_DIR "/schedule/layer-101.json",
                           "--time-limit", "soon"}
            << "--time-limit must be";
        QTest::newRow("model without arch")
            << QStringList{"schedule", "--model", "gpt2-xl"} << "go together";
        QTest::newRow("unknown model")
            << QStringList{"schedule", "--model", "nope", "--arch", "tpuv4"} << "nope";
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = phaze(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliSchedule)
#include "test_cli_schedule.moc"
