// `phaze place`: PHAZE JSON in and out, exit codes, the timeline trace.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace {

QString data(const QString &relative)
{
    return QString(PHAZE_TEST_DATA_DIR) + "/" + relative;
}

} // namespace

class TestCliPlace : public QObject
{
    Q_OBJECT

private slots:
    void reproducesPhaze()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("out.json"), trace = dir.filePath("t.trace.json");
        const Run r = phaze({"place", "--phaze-json", data("phaze-dp/bert-like-tp.input.json"),
                             "--out", out, "--timeline", trace});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("tensor-parallel 2, data-parallel 32, 4 stages"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("timeline (1f1b): makespan"));
        const QJsonObject o = readJson(out);
        QCOMPARE(o["status"].toString(), QString("optimal"));
        QCOMPARE(o["dataParallelDegree"].toInt(), 32);
        QCOMPARE(o["tensorParallelDegree"].toInt(), 2);
        QVERIFY(std::abs(o["finalTimePerBatch"].toDouble() - 2130.3988342825387) < 1e-9);
        QVERIFY(std::abs(o["fixedStrategyTimePerBatch"].toDouble() - 40083.729285656074) < 1e-8);
        QCOMPARE(o["stages"].toArray().size(), 4);
        const QJsonObject t = readJson(trace);
        int forwards = 0;
        for (const QJsonValue &e : t["traceEvents"].toArray())
            forwards += e.toObject()["cat"].toString() == "forward";
        QCOMPARE(forwards, 4 * 32); // 4 stages x ceil(1024 / 32) microbatches
    }

    void stdoutAndGpipe()
    {
        const Run r = phaze({"place", "--phaze-json", data("placement/two-tower.json"), "--out",
                             "-", "--schedule", "gpipe"});
        QCOMPARE(r.exitCode, 3); // two-tower does not fit in 6 GiB under GPipe
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["status"].toString(),
                 QString("infeasible"));
        const Run ok =
            phaze({"place", "--phaze-json", data("placement/diamond.json"), "--out", "-"});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY(QJsonDocument::fromJson(ok.out.toUtf8()).object()["finalTimePerBatch"].toDouble() >
                0);
    }

    void exitCodes()
    {
        const Run infeasible = phaze({"place", "--phaze-json", data("placement/infeasible.json")});
        QCOMPARE(infeasible.exitCode, 3);
        QVERIFY2(infeasible.out.contains("the smallest stage needs 41.2 GiB on a 32 GiB device"),
                 qPrintable(infeasible.out));
        QCOMPARE(phaze({"place"}).exitCode, 2);
        QCOMPARE(phaze({"place", "--phaze-json", data("nope.json")}).exitCode, 2);
        QCOMPARE(phaze({"place", "--phaze-json", data("phaze-dp/small-chain.input.json"),
                        "--schedule", "zigzag"})
                     .exitCode,
                 2);
        const Run guard = phaze({"place", "--phaze-json", data("placement/wide-fan.json")});
        QCOMPARE(guard.exitCode, 2);
        QVERIFY2(guard.err.contains("16,777,218 downsets"), qPrintable(guard.err));
    }
};

QTEST_GUILESS_MAIN(TestCliPlace)
#include "test_cli_place.moc"
