// `phaze search`, `evaluate` and `merge` as a user runs them: outputs, exit codes, a search
// killed (SIGKILL) several times and resumed from its journal, shards merged.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <csignal>

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

int lineCount(const QString &path)
{
    return int(readFile(path).count('\n'));
}

const QString kMedium = PHAZE_TEST_DATA_DIR "/projects/medium-search.yaml";
const QString kQuick = PHAZE_SOURCE_DIR "/examples/quick-search.yaml";

} // namespace

class TestCliSearch : public QObject
{
    Q_OBJECT

private slots:
    void searchWritesJsonCsvAndJournal()
    {
        QTemporaryDir dir;
        const Run r = phaze({"search", kQuick, "--json", dir.filePath("r.json"), "--csv",
                             dir.filePath("r.csv"), "--journal", dir.filePath("j.jsonl")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("best: 2100.11 samples/s"), qPrintable(r.out));
        QVERIFY(r.out.contains("baseline tpuv4 + DP"));
        const QJsonObject o = readJson(dir.filePath("r.json"));
        QCOMPARE(o.value("status").toString(), QString("optimal"));
        QCOMPARE(o.value("counts").toObject().value("total").toInt(), 80);
        const QJsonObject best = o.value("best").toObject();
        QVERIFY(best.value("throughput").toDouble() > 2100.0);
        QVERIFY(!o.value("pareto").toObject().value("throughput_vs_area").toArray().isEmpty());
        QCOMPARE(o.value("baselines").toArray().size(), 3);
        const int evaluated = o.value("counts").toObject().value("evaluated").toInt();
        QCOMPARE(lineCount(dir.filePath("r.csv")), evaluated + 1);
        QCOMPARE(lineCount(dir.filePath("j.jsonl")), evaluated + 1); // header + one per evaluation
    }

    void exitCodes()
    {
        QTemporaryDir dir;
        QCOMPARE(phaze({"search", "/no/such.yaml"}).exitCode, 2);
        QCOMPARE(phaze({"search", kQuick, "--strategy", "random"}).exitCode, 2);
        QCOMPARE(phaze({"search", kQuick, "--shard", "4/3"}).exitCode, 2);
        QCOMPARE(phaze({"search", kQuick, "--resume"}).exitCode, 2); // --resume needs --journal
        QFile tiny(dir.filePath("tiny.yaml"));
        tiny.open(QIODevice::WriteOnly);
        tiny.write("models: [bert-large]\narchitecture: {preset: tpuv4}\ntraining:\n"
                   "  accelerators: 8\n  global_batch: 64\n  microbatch_sizes: [1]\n"
                   "  hbm_sizes: [8 MiB]\n");
        tiny.close();
        const Run r = phaze({"search", tiny.fileName(), "--no-baselines"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains("no feasible configuration"), qPrintable(r.out));
    }

    void evaluateOneArchitecture()
    {
        const Run r = phaze({"evaluate", kQuick, "--arch", "tpuv4", "--no-baselines"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("candidates: 2"), qPrintable(r.out)); // tpuv4 x 2 HBM sizes
        QVERIFY(r.out.contains("8 TCs of 128x128"));
    }

    // SIGKILL at several points, resume from the journal each time: the final result equals
    // the uninterrupted run's.
    void killedSearchResumesToTheSameResult()
    {
        QTemporaryDir dir;
        const QStringList common = {"search", kMedium, "--no-baselines", "--exact-fronts"};
        const Run full = phaze(common + QStringList{"--csv", dir.filePath("full.csv")});
        QCOMPARE(full.exitCode, 0);

        const QString journal = dir.filePath("j.jsonl");
        int kills = 0;
        for (int target : {40, 150, 300}) {
            QProcess p;
            QStringList args = common + QStringList{"--journal", journal};
            if (kills > 0)
                args << "--resume";
            p.start(PHAZE_CLI, args);
            QVERIFY(p.waitForStarted());
            QElapsedTimer timer;
            timer.start();
            while (lineCount(journal) < target && p.state() == QProcess::Running &&
                   timer.elapsed() < 60000)
                QThread::msleep(5);
            if (p.state() != QProcess::Running)
                break; // finished before the kill point (fast machine): nothing to kill
            ::kill(pid_t(p.processId()), SIGKILL);
            p.waitForFinished();
            ++kills;
        }
        QVERIFY2(kills >= 2, "the search finished before it could be killed");
        const Run resumed = phaze(common + QStringList{"--journal", journal, "--resume", "--csv",
                                                       dir.filePath("resumed.csv")});
        QCOMPARE(resumed.exitCode, 0);
        QVERIFY2(resumed.out.contains("from the journal"), qPrintable(resumed.out));
        QCOMPARE(readFile(dir.filePath("resumed.csv")), readFile(dir.filePath("full.csv")));
    }

    void interruptedSearchExits130()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(PHAZE_CLI, {"search", kMedium, "--no-baselines", "--exact-fronts", "--journal",
                            dir.filePath("j.jsonl")});
        QVERIFY(p.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (lineCount(dir.filePath("j.jsonl")) < 20 && timer.elapsed() < 60000)
            QThread::msleep(5);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(5000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 130,
                 qPrintable(QString::number(p.exitCode()) + ": " + err.right(300)));
        QVERIFY(err.contains("--resume"));
    }

    void shardsMergeIntoTheSingleSearch()
    {
        QTemporaryDir dir;
        const QStringList common = {"search", kMedium, "--no-baselines", "--exact-fronts"};
        QCOMPARE(phaze(common + QStringList{"--json", dir.filePath("single.json")}).exitCode, 0);
        QStringList parts;
        for (int i = 1; i <= 3; ++i) {
            const QString part = dir.filePath(QString("part%1.json").arg(i));
            QCOMPARE(phaze(common + QStringList{"--shard", QString("%1/3").arg(i), "--json", part})
                         .exitCode,
                     0);
            parts << part;
        }
        const Run merged = phaze(QStringList{"merge"} + parts +
                                 QStringList{"--json", dir.filePath("merged.json")});
        QCOMPARE(merged.exitCode, 0);
        const QJsonObject single = readJson(dir.filePath("single.json"));
        const QJsonObject all = readJson(dir.filePath("merged.json"));
        QCOMPARE(all.value("best").toObject().value("candidate").toInt(),
                 single.value("best").toObject().value("candidate").toInt());
        QCOMPARE(all.value("best").toObject().value("throughput").toDouble(),
                 single.value("best").toObject().value("throughput").toDouble());
        QCOMPARE(all.value("pareto").toObject().value("throughput_vs_area"),
                 single.value("pareto").toObject().value("throughput_vs_area"));
        QCOMPARE(all.value("pareto").toObject().value("throughput_vs_hbm"),
                 single.value("pareto").toObject().value("throughput_vs_hbm"));
        QCOMPARE(all.value("counts").toObject().value("total").toInt(),
                 single.value("counts").toObject().value("total").toInt());
        // The same part twice is refused.
        QCOMPARE(phaze({"merge", parts[0], parts[0], "--json", dir.filePath("bad.json")}).exitCode,
                 2);
    }
};

QTEST_GUILESS_MAIN(TestCliSearch)
#include "test_cli_search.moc"
