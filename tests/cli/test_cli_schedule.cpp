// `phaze schedule`, run as a user would: golden instances with --json and --trace, a model on
// two chips, and bad input.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

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
    void helpListsSchedule() { QVERIFY(phaze({u"--help"_s}).out.contains(u"  schedule "_s)); }

    void instanceWithJsonAndTrace()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath(u"out.json"_s), trace = dir.filePath(u"trace.json"_s);
        const Run r =
            phaze({u"schedule"_s, QStringLiteral(PHAZE_TEST_DATA_DIR "/schedule/layer-102.json"),
                   u"--json"_s, json, u"--trace"_s, trace, u"--time-limit"_s, u"30"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"makespan 42.585"_s) && r.out.contains(u"status optimal"_s),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(u"(matches)"_s));
        const QJsonObject o = readJsonDocument(json).object();
        QCOMPARE(o[u"status"_s].toString(), u"optimal"_s);
        QVERIFY(std::abs(o[u"makespan"_s].toDouble() - 42.585) <= 1e-6);
        QVERIFY(o[u"lower_bound"_s].toDouble() <= o[u"makespan"_s].toDouble());
        const QJsonArray ops = o[u"ops"_s].toArray();
        QCOMPARE(ops.size(), 6);
        for (const QJsonValue &v : ops) {
            const QString mode = v.toObject()[u"mode"_s].toString();
            QVERIFY(mode == u"single"_s || mode == u"intra"_s);
            QVERIFY(v.toObject()[u"end"_s].toDouble() >= v.toObject()[u"start"_s].toDouble());
        }
        const QJsonArray events = readJsonDocument(trace).object()[u"traceEvents"_s].toArray();
        int complete = 0;
        QStringList tracks;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            complete += e[u"ph"_s].toString() == u"X"_s ? 1 : 0;
            if (e[u"name"_s].toString() == u"thread_name"_s)
                tracks << e[u"args"_s].toObject()[u"name"_s].toString();
        }
        QVERIFY(complete >= 6);
        QVERIFY(tracks.contains(u"TC 0"_s) && tracks.contains(u"VC 1"_s) &&
                tracks.contains(u"links"_s));
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
        const QString json = dir.filePath(u"layers.json"_s);
        const Run r = phaze({u"schedule"_s, u"--model"_s, u"megatron-gpt2-2.5b"_s, u"--arch"_s,
                             arch, u"--tp"_s, u"2"_s, u"--mbs"_s, u"2"_s, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"block.0"_s) && r.out.contains(u"optimal"_s), qPrintable(r.out));
        const QJsonObject o = readJsonDocument(json).object();
        const QJsonArray layers = o[u"layers"_s].toArray();
        QCOMPARE(layers.size(), 3);
        for (const QJsonValue &v : layers) {
            const QJsonObject l = v.toObject();
            QCOMPARE(l[u"status"_s].toString(), u"optimal"_s);
            for (const QString &pass : {u"forward"_s, u"backward"_s}) {
                const QJsonObject p = l[pass].toObject();
                QVERIFY(p[u"latency"_s].toDouble() > 0.0);
                QVERIFY(p[u"lower_bound"_s].toDouble() <= p[u"latency"_s].toDouble());
                QVERIFY(!p[u"ops"_s].toArray().isEmpty());
                // The operator efficiency: FLOPs over the makespan over the peak, at most 1.
                const double efficiency = p[u"efficiency"_s].toDouble();
                QVERIFY(p[u"flops"_s].toDouble() > 0.0);
                QVERIFY2(efficiency > 0.0 && efficiency <= 1.0, qPrintable(QString::number(efficiency)));
            }
        }
        QCOMPARE(layers[1].toObject()[u"occurrences"_s].toInt(), 54);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no input") << QStringList{u"schedule"_s} << u"give one instance file"_s;
        QTest::newRow("missing file")
            << QStringList{u"schedule"_s, u"/nonexistent.json"_s} << u"cannot open"_s;
        QTest::newRow("bad limit")
            << QStringList{u"schedule"_s,
                           QStringLiteral(PHAZE_TEST_DATA_DIR "/schedule/layer-101.json"),
                           u"--time-limit"_s, u"soon"_s}
            << "--time-limit must be";
        QTest::newRow("model without arch")
            << QStringList{u"schedule"_s, u"--model"_s, u"gpt2-xl"_s} << u"go together"_s;
        QTest::newRow("unknown model")
            << QStringList{u"schedule"_s, u"--model"_s, u"nope"_s, u"--arch"_s, u"tpuv4"_s}
            << u"nope"_s;
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
