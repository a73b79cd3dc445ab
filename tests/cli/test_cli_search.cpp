// `phaze search`, `evaluate` and `merge` as a user runs them: outputs, exit codes, a search
// killed (SIGKILL) at random points and resumed from its journal, shards merged.

#include <QtTest>

#include "tests/cli/clirunner.h"
#include "tests/support/testseed.h"
#include "tests/support/testtiming.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <csignal>

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int lineCount(const QString &path)
{
    return int(readFile(path).count('\n'));
}

int evaluationLines(const QString &journal)
{
    return lineCount(journal) - 1; // after the header
}

const QString kMedium = PHAZE_TEST_DATA_DIR "/projects/medium-search.yaml";
const QString kQuick = PHAZE_SOURCE_DIR "/examples/quick-search.yaml";

// The kill points' default seed: fixed, so that every run of a commit kills at the same points.
constexpr quint32 kKillPointsSeed = 20250613;

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

    // SIGKILL at random points (a PRNG from a fixed seed, printed; PHAZE_TEST_SEED=N draws other
    // points, the same N replays them): after 0 journal lines, then at sorted random line counts;
    // after some kills the last line is also cut at a random byte, as a kill mid-write leaves it.
    // Every restart passes
    // --resume (as a requeued cluster job does). The final result equals the uninterrupted
    // run's: the CSV byte for byte, the JSON in everything but timings and the resumed count.
    void killedSearchResumesToTheSameResult()
    {
        QTemporaryDir dir;
        const QStringList common = {"search", kMedium, "--no-baselines", "--exact-fronts"};
        const Run full = phaze(common + QStringList{"--csv", dir.filePath("full.csv"), "--json",
                                                    dir.filePath("full.json")});
        QCOMPARE(full.exitCode, 0);
        const QJsonObject fullJson = readJson(dir.filePath("full.json"));
        const int evaluated = fullJson.value("counts").toObject().value("evaluated").toInt();
        QVERIFY(evaluated > 200);

        const quint32 seed = testsupport::testSeed("kill points", kKillPointsSeed);
        QRandomGenerator rng(seed);
        // Lines appear a batch (16) at a time: stay a few batches short of the end, so that
        // every run is killed before it finishes.
        QList<int> targets;
        for (int i = 0; i < 5; ++i)
            targets << 1 + int(rng.bounded(quint32(evaluated - 48)));
        std::sort(targets.begin(), targets.end());
        targets.prepend(0);

        const QString journal = dir.filePath("j.jsonl");
        bool expectTorn = false, expectFresh = false;
        for (int target : targets) {
            // After the first kill, wait for at least one line this run wrote itself: targets
            // can repeat or lie below what the last run left, and a run killed before it wrote
            // anything has not yet printed its resume warnings.
            const int killAt = target == 0 ? 0 : std::max(target, evaluationLines(journal) + 1);
            QProcess p;
            p.start(PHAZE_CLI, common + QStringList{"--journal", journal, "--resume"});
            QVERIFY(p.waitForStarted());
            QElapsedTimer timer;
            timer.start();
            while (evaluationLines(journal) < killAt && p.state() == QProcess::Running &&
                   timer.elapsed() < testsupport::scaledMs(60000))
                QThread::msleep(2);
            QVERIFY2(p.state() == QProcess::Running,
                     qPrintable(QString("the run ended before the kill at %1 lines (seed %2): %3")
                                    .arg(killAt)
                                    .arg(seed)
                                    .arg(QString::fromUtf8(p.readAllStandardError()).right(300))));
            // Waiting gave up: a search that stalls is a failure, not a kill somewhere earlier.
            QVERIFY2(evaluationLines(journal) >= killAt,
                     qPrintable(QString("%1 journal lines after %2 ms, waiting for %3 (seed %4)")
                                    .arg(evaluationLines(journal))
                                    .arg(timer.elapsed())
                                    .arg(killAt)
                                    .arg(seed)));
            ::kill(pid_t(p.processId()), SIGKILL);
            QVERIFY(p.waitForFinished(testsupport::scaledMs(10000)));
            QCOMPARE(p.exitStatus(), QProcess::CrashExit);
            const QString err = QString::fromUtf8(p.readAllStandardError());
            if (expectTorn)
                QVERIFY2(err.contains("ignoring a partial last line"), qPrintable(err));
            if (expectFresh)
                QVERIFY2(err.contains("starting a new search"), qPrintable(err));
            // Killed before the header was written: the next --resume starts afresh.
            expectFresh = lineCount(journal) == 0;
            if (target == 0)
                continue;
            // A kill mid-write: cut the last line somewhere inside.
            expectTorn = rng.bounded(2) == 1 && evaluationLines(journal) > 0;
            if (expectTorn) {
                const QByteArray text = readFile(journal);
                const int lastStart = int(text.lastIndexOf('\n', text.size() - 2)) + 1;
                const int cut =
                    lastStart + 1 + int(rng.bounded(quint32(text.size() - lastStart - 1)));
                QVERIFY(QFile::resize(journal, cut));
                qInfo("kill at %d lines, last line cut to %d of %d bytes", killAt, cut - lastStart,
                      int(text.size()) - lastStart);
            } else {
                qInfo("kill at %d lines", killAt);
            }
        }
        const int kept = std::max(0, evaluationLines(journal));
        const Run resumed = phaze(common + QStringList{"--journal", journal, "--resume", "--csv",
                                                       dir.filePath("resumed.csv"), "--json",
                                                       dir.filePath("resumed.json")});
        QCOMPARE(resumed.exitCode, 0);
        if (expectTorn)
            QVERIFY2(resumed.err.contains("ignoring a partial last line"), qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains(QString("from the journal %1)").arg(kept)),
                 qPrintable(resumed.out));
        QCOMPARE(readFile(dir.filePath("resumed.csv")), readFile(dir.filePath("full.csv")));

        QJsonObject a = readJson(dir.filePath("resumed.json")), b = fullJson;
        QCOMPARE(a.value("counts").toObject().value("resumed").toInt(), kept);
        for (QJsonObject *o : {&a, &b}) {
            QJsonObject counts = o->value("counts").toObject();
            counts.remove("resumed");
            o->insert("counts", counts);
            o->remove("elapsed_s");
            o->remove("profile");
        }
        QCOMPARE(a.value("best"), b.value("best"));
        QCOMPARE(a.value("pareto"), b.value("pareto"));
        QCOMPARE(a.value("counts"), b.value("counts"));
        QCOMPARE(a.keys(), b.keys());
        QVERIFY(a == b); // evaluations, status, baselines: everything else
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
        while (lineCount(dir.filePath("j.jsonl")) < 20 && p.state() == QProcess::Running &&
               timer.elapsed() < testsupport::scaledMs(60000))
            QThread::msleep(5);
        QVERIFY2(p.state() == QProcess::Running, "the search ended before it was interrupted");
        QVERIFY2(lineCount(dir.filePath("j.jsonl")) >= 20,
                 qPrintable(QString("%1 journal lines after %2 ms")
                                .arg(lineCount(dir.filePath("j.jsonl")))
                                .arg(timer.elapsed())));
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(testsupport::scaledMs(5000)));
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
