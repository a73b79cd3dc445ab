// `phaze place`: PHAZE JSON in and out, exit codes, the timeline trace.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace {

QString data(const QString &relative)
{
    return QStringLiteral(PHAZE_TEST_DATA_DIR "/") + relative;
}

} // namespace

class TestCliPlace : public QObject
{
    Q_OBJECT

private slots:
    void reproducesPhaze()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"out.json"_s), trace = dir.filePath(u"t.trace.json"_s);
        const Run r =
            phaze({u"place"_s, u"--phaze-json"_s, data(u"phaze-dp/bert-like-tp.input.json"_s),
                   u"--out"_s, out, u"--timeline"_s, trace});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"tensor-parallel 2, data-parallel 32, 4 stages"_s),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(u"timeline (1f1b): makespan"_s));
        const QJsonObject o = readJson(out);
        QCOMPARE(o[u"status"_s].toString(), u"optimal"_s);
        QCOMPARE(o[u"dataParallelDegree"_s].toInt(), 32);
        QCOMPARE(o[u"tensorParallelDegree"_s].toInt(), 2);
        QVERIFY(std::abs(o[u"finalTimePerBatch"_s].toDouble() - 2130.3988342825387) < 1e-9);
        QVERIFY(std::abs(o[u"fixedStrategyTimePerBatch"_s].toDouble() - 40083.729285656074) < 1e-8);
        QCOMPARE(o[u"stages"_s].toArray().size(), 4);
        const QJsonObject t = readJson(trace);
        int forwards = 0;
        for (const QJsonValue &e : t[u"traceEvents"_s].toArray())
            forwards += e.toObject()[u"cat"_s].toString() == u"forward"_s;
        QCOMPARE(forwards, 4 * 32); // 4 stages x ceil(1024 / 32) microbatches
    }

    void stdoutAndGpipe()
    {
        const Run r = phaze({u"place"_s, u"--phaze-json"_s, data(u"placement/two-tower.json"_s),
                             u"--out"_s, u"-"_s, u"--schedule"_s, u"gpipe"_s});
        QCOMPARE(r.exitCode, 3); // two-tower does not fit in 6 GiB under GPipe
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()[u"status"_s].toString(),
                 u"infeasible"_s);
        const Run ok = phaze(
            {u"place"_s, u"--phaze-json"_s, data(u"placement/diamond.json"_s), u"--out"_s, u"-"_s});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY(
            QJsonDocument::fromJson(ok.out.toUtf8()).object()[u"finalTimePerBatch"_s].toDouble() >
            0);
    }

    void exitCodes()
    {
        const Run infeasible =
            phaze({u"place"_s, u"--phaze-json"_s, data(u"placement/infeasible.json"_s)});
        QCOMPARE(infeasible.exitCode, 3);
        QVERIFY2(infeasible.out.contains(u"the smallest stage needs 41.2 GiB on a 32 GiB device"_s),
                 qPrintable(infeasible.out));
        QCOMPARE(phaze({u"place"_s}).exitCode, 2);
        QCOMPARE(phaze({u"place"_s, u"--phaze-json"_s, data(u"nope.json"_s)}).exitCode, 2);
        QCOMPARE(phaze({u"place"_s, u"--phaze-json"_s, data(u"phaze-dp/small-chain.input.json"_s),
                        u"--schedule"_s, u"zigzag"_s})
                     .exitCode,
                 2);
        const Run guard =
            phaze({u"place"_s, u"--phaze-json"_s, data(u"placement/wide-fan.json"_s)});
        QCOMPARE(guard.exitCode, 2);
        QVERIFY2(guard.err.contains(u"16,777,218 downsets"_s), qPrintable(guard.err));
    }
};

QTEST_GUILESS_MAIN(TestCliPlace)
#include "test_cli_place.moc"
