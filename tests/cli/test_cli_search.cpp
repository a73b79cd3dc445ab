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

using namespace Qt::StringLiterals;

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

const QString kMedium = QStringLiteral(PHAZE_TEST_DATA_DIR "/projects/medium-search.yaml");
const QString kQuick = QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");

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
        const Run r =
            phaze({u"search"_s, kQuick, u"--json"_s, dir.filePath(u"r.json"_s), u"--csv"_s,
                   dir.filePath(u"r.csv"_s), u"--journal"_s, dir.filePath(u"j.jsonl"_s)});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"best: 2100.11 samples/s"_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"baseline tpuv4 + DP"_s));
        const QJsonObject o = readJson(dir.filePath(u"r.json"_s));
        QCOMPARE(o.value(u"status"_s).toString(), u"optimal"_s);
        QCOMPARE(o.value(u"counts"_s).toObject().value(u"total"_s).toInt(), 80);
        const QJsonObject best = o.value(u"best"_s).toObject();
        QVERIFY(best.value(u"throughput"_s).toDouble() > 2100.0);
        QVERIFY(
            !o.value(u"pareto"_s).toObject().value(u"throughput_vs_area"_s).toArray().isEmpty());
        QCOMPARE(o.value(u"baselines"_s).toArray().size(), 3);
        const int evaluated = o.value(u"counts"_s).toObject().value(u"evaluated"_s).toInt();
        QCOMPARE(lineCount(dir.filePath(u"r.csv"_s)), evaluated + 1);
        QCOMPARE(lineCount(dir.filePath(u"j.jsonl"_s)),
                 evaluated + 1); // header + one per evaluation
    }

    void exitCodes()
    {
        QTemporaryDir dir;
        QCOMPARE(phaze({u"search"_s, u"/no/such.yaml"_s}).exitCode, 2);
        QCOMPARE(phaze({u"search"_s, kQuick, u"--strategy"_s, u"random"_s}).exitCode, 2);
        QCOMPARE(phaze({u"search"_s, kQuick, u"--shard"_s, u"4/3"_s}).exitCode, 2);
        QCOMPARE(phaze({u"search"_s, kQuick, u"--resume"_s}).exitCode,
                 2); // --resume needs --journal
        QFile tiny(dir.filePath(u"tiny.yaml"_s));
        tiny.open(QIODevice::WriteOnly);
        tiny.write("models: [bert-large]\narchitecture: {preset: tpuv4}\ntraining:\n"
                   "  accelerators: 8\n  global_batch: 64\n  microbatch_sizes: [1]\n"
                   "  hbm_sizes: [8 MiB]\n");
        tiny.close();
        const Run r = phaze({u"search"_s, tiny.fileName(), u"--no-baselines"_s});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains(u"no feasible configuration"_s), qPrintable(r.out));
    }

    void evaluateOneArchitecture()
    {
        const Run r = phaze({u"evaluate"_s, kQuick, u"--arch"_s, u"tpuv4"_s, u"--no-baselines"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"candidates: 2"_s), qPrintable(r.out)); // tpuv4 x 2 HBM sizes
        QVERIFY(r.out.contains(u"8 TCs of 128x128"_s));
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
        const QStringList common = {u"search"_s, kMedium, u"--no-baselines"_s, u"--exact-fronts"_s};
        const Run full = phaze(common + QStringList{u"--csv"_s, dir.filePath(u"full.csv"_s),
                                                    u"--json"_s, dir.filePath(u"full.json"_s)});
        QCOMPARE(full.exitCode, 0);
        const QJsonObject fullJson = readJson(dir.filePath(u"full.json"_s));
        const int evaluated = fullJson.value(u"counts"_s).toObject().value(u"evaluated"_s).toInt();
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

        const QString journal = dir.filePath(u"j.jsonl"_s);
        bool expectTorn = false, expectFresh = false;
        for (int target : targets) {
            // After the first kill, wait for at least one line this run wrote itself: targets
            // can repeat or lie below what the last run left, and a run killed before it wrote
            // anything has not yet printed its resume warnings.
            const int killAt = target == 0 ? 0 : std::max(target, evaluationLines(journal) + 1);
            QProcess p;
            p.start(QStringLiteral(PHAZE_CLI),
                    common + QStringList{u"--journal"_s, journal, u"--resume"_s});
            QVERIFY(p.waitForStarted());
            QElapsedTimer timer;
            timer.start();
            while (evaluationLines(journal) < killAt && p.state() == QProcess::Running &&
                   timer.elapsed() < testsupport::scaledMs(60000))
                QThread::msleep(2);
            QVERIFY2(
                p.state() == QProcess::Running,
                qPrintable(u"the run ended before the kill at %1 lines (seed %2): %3"_s.arg(killAt)
                               .arg(seed)
                               .arg(QString::fromUtf8(p.readAllStandardError()).right(300))));
            // Waiting gave up: a search that stalls is a failure, not a kill somewhere earlier.
            QVERIFY2(evaluationLines(journal) >= killAt,
                     qPrintable(u"%1 journal lines after %2 ms, waiting for %3 (seed %4)"_s
                                    .arg(evaluationLines(journal))
                                    .arg(timer.elapsed())
                                    .arg(killAt)
                                    .arg(seed)));
            ::kill(pid_t(p.processId()), SIGKILL);
            QVERIFY(p.waitForFinished(testsupport::scaledMs(10000)));
            QCOMPARE(p.exitStatus(), QProcess::CrashExit);
            const QString err = QString::fromUtf8(p.readAllStandardError());
            if (expectTorn)
                QVERIFY2(err.contains(u"ignoring a partial last line"_s), qPrintable(err));
            if (expectFresh)
                QVERIFY2(err.contains(u"starting a new search"_s), qPrintable(err));
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
        const Run resumed =
            phaze(common + QStringList{u"--journal"_s, journal, u"--resume"_s, u"--csv"_s,
                                       dir.filePath(u"resumed.csv"_s), u"--json"_s,
                                       dir.filePath(u"resumed.json"_s)});
        QCOMPARE(resumed.exitCode, 0);
        if (expectTorn)
            QVERIFY2(resumed.err.contains(u"ignoring a partial last line"_s),
                     qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains(u"from the journal %1)"_s.arg(kept)),
                 qPrintable(resumed.out));
        QCOMPARE(readFile(dir.filePath(u"resumed.csv"_s)), readFile(dir.filePath(u"full.csv"_s)));

        QJsonObject a = readJson(dir.filePath(u"resumed.json"_s)), b = fullJson;
        QCOMPARE(a.value(u"counts"_s).toObject().value(u"resumed"_s).toInt(), kept);
        for (QJsonObject *o : {&a, &b}) {
            QJsonObject counts = o->value(u"counts"_s).toObject();
            counts.remove(u"resumed"_s);
            o->insert(u"counts"_s, counts);
            o->remove(u"elapsed_s"_s);
            o->remove(u"profile"_s);
        }
        QCOMPARE(a.value(u"best"_s), b.value(u"best"_s));
        QCOMPARE(a.value(u"pareto"_s), b.value(u"pareto"_s));
        QCOMPARE(a.value(u"counts"_s), b.value(u"counts"_s));
        QCOMPARE(a.keys(), b.keys());
        QVERIFY(a == b); // evaluations, status, baselines: everything else
    }

    void interruptedSearchExits130()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral(PHAZE_CLI),
                {u"search"_s, kMedium, u"--no-baselines"_s, u"--exact-fronts"_s, u"--journal"_s,
                 dir.filePath(u"j.jsonl"_s)});
        QVERIFY(p.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (lineCount(dir.filePath(u"j.jsonl"_s)) < 20 && p.state() == QProcess::Running &&
               timer.elapsed() < testsupport::scaledMs(60000))
            QThread::msleep(5);
        QVERIFY2(p.state() == QProcess::Running, "the search ended before it was interrupted");
        QVERIFY2(
            lineCount(dir.filePath(u"j.jsonl"_s)) >= 20,
            qPrintable(u"%1 journal lines after %2 ms"_s.arg(lineCount(dir.filePath(u"j.jsonl"_s)))
                           .arg(timer.elapsed())));
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(testsupport::scaledMs(5000)));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 130,
                 qPrintable(QString::number(p.exitCode()) + u": "_s + err.right(300)));
        QVERIFY(err.contains(u"--resume"_s));
    }

    void shardsMergeIntoTheSingleSearch()
    {
        QTemporaryDir dir;
        const QStringList common = {u"search"_s, kMedium, u"--no-baselines"_s, u"--exact-fronts"_s};
        QCOMPARE(phaze(common + QStringList{u"--json"_s, dir.filePath(u"single.json"_s)}).exitCode,
                 0);
        QStringList parts;
        for (int i = 1; i <= 3; ++i) {
            const QString part = dir.filePath(u"part%1.json"_s.arg(i));
            QCOMPARE(phaze(common + QStringList{u"--shard"_s, u"%1/3"_s.arg(i), u"--json"_s, part})
                         .exitCode,
                     0);
            parts << part;
        }
        const Run merged = phaze(QStringList{u"merge"_s} + parts +
                                 QStringList{u"--json"_s, dir.filePath(u"merged.json"_s)});
        QCOMPARE(merged.exitCode, 0);
        const QJsonObject single = readJson(dir.filePath(u"single.json"_s));
        const QJsonObject all = readJson(dir.filePath(u"merged.json"_s));
        QCOMPARE(all.value(u"best"_s).toObject().value(u"candidate"_s).toInt(),
                 single.value(u"best"_s).toObject().value(u"candidate"_s).toInt());
        QCOMPARE(all.value(u"best"_s).toObject().value(u"throughput"_s).toDouble(),
                 single.value(u"best"_s).toObject().value(u"throughput"_s).toDouble());
        QCOMPARE(all.value(u"pareto"_s).toObject().value(u"throughput_vs_area"_s),
                 single.value(u"pareto"_s).toObject().value(u"throughput_vs_area"_s));
        QCOMPARE(all.value(u"pareto"_s).toObject().value(u"throughput_vs_hbm"_s),
                 single.value(u"pareto"_s).toObject().value(u"throughput_vs_hbm"_s));
        QCOMPARE(all.value(u"counts"_s).toObject().value(u"total"_s).toInt(),
                 single.value(u"counts"_s).toObject().value(u"total"_s).toInt());
        QCOMPARE(all.value(u"fingerprint"_s), single.value(u"fingerprint"_s));
        QCOMPARE(readJson(parts[1]).value(u"shard"_s).toObject().value(u"index"_s).toInt(), 2);
        // The same part twice is refused, with the reason.
        const Run twice =
            phaze({u"merge"_s, parts[0], parts[0], u"--json"_s, dir.filePath(u"bad.json"_s)});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY2(twice.err.contains(u"are both shard 1/3"_s), qPrintable(twice.err));
        // An incomplete set is refused and the missing shard named...
        const Run missing = phaze(
            {u"merge"_s, parts[0], parts[1], u"--json"_s, dir.filePath(u"incomplete.json"_s)});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(u"shard 3/3 is missing"_s), qPrintable(missing.err));
        QVERIFY(!QFile::exists(dir.filePath(u"incomplete.json"_s)));
        // ... unless --allow-missing, which lists exactly shard 3's candidates as missing.
        const Run allowed = phaze({u"merge"_s, parts[0], parts[1], u"--allow-missing"_s,
                                   u"--json"_s, dir.filePath(u"incomplete.json"_s)});
        QCOMPARE(allowed.exitCode, 0);
        QVERIFY2(allowed.err.contains(u"lacks"_s), qPrintable(allowed.err));
        const QJsonArray lacking =
            readJson(dir.filePath(u"incomplete.json"_s)).value(u"missing_candidates"_s).toArray();
        const int total = single.value(u"counts"_s).toObject().value(u"total"_s).toInt();
        QCOMPARE(lacking.size(), (total - 2 + 2) / 3);
        for (qsizetype i = 0; i < lacking.size(); ++i)
            QCOMPARE(lacking[i].toInt(), 2 + 3 * int(i));
        // A part of another project is refused.
        const QString other = dir.filePath(u"other.json"_s);
        QCOMPARE(phaze({u"search"_s, kQuick, u"--no-baselines"_s, u"--shard"_s, u"3/3"_s,
                        u"--json"_s, other})
                     .exitCode,
                 0);
        const Run foreign = phaze(
            {u"merge"_s, parts[0], parts[1], other, u"--json"_s, dir.filePath(u"bad.json"_s)});
        QCOMPARE(foreign.exitCode, 2);
        QVERIFY2(foreign.err.contains(u"different searches"_s), qPrintable(foreign.err));
    }

    void statusReadsTheShardsJournals()
    {
        // Two shards of the quick search, each with its journal (and progress file beside it).
        QTemporaryDir dir;
        const QStringList common = {u"search"_s, kQuick, u"--no-baselines"_s};
        QCOMPARE(phaze(common + QStringList{u"--json"_s, dir.filePath(u"single.json"_s)}).exitCode,
                 0);
        for (int i = 1; i <= 2; ++i)
            QCOMPARE(phaze(common + QStringList{u"--shard"_s, u"%1/2"_s.arg(i), u"--journal"_s,
                                                dir.filePath(u"part-%1.jsonl"_s.arg(i)),
                                                u"--json"_s, dir.filePath(u"part-%1.json"_s.arg(i))})
                         .exitCode,
                     0);
        const QJsonObject single = readJson(dir.filePath(u"single.json"_s));
        // Shard 1 alone: shard 2 not started, so the ETA is unknown.
        const Run one = phaze({u"status"_s, dir.filePath(u"part-1.jsonl"_s), u"--json"_s,
                               dir.filePath(u"one.json"_s)});
        QCOMPARE(one.exitCode, 0);
        QVERIFY2(one.out.contains(u"not started (no journal given): shard 2/2"_s),
                 qPrintable(one.out));
        const QJsonObject partial = readJson(dir.filePath(u"one.json"_s));
        QCOMPARE(partial.value(u"not_started"_s).toArray(), QJsonArray{2});
        QVERIFY(partial.value(u"eta_s"_s).isNull());
        QCOMPARE(partial.value(u"shards_finished"_s).toInt(), 1);
        // The directory: every candidate done, the whole search's best, nothing left.
        const Run all =
            phaze({u"status"_s, dir.path(), u"--json"_s, dir.filePath(u"all.json"_s)});
        QCOMPARE(all.exitCode, 0);
        const QJsonObject status = readJson(dir.filePath(u"all.json"_s));
        const QJsonObject counts = single.value(u"counts"_s).toObject();
        QCOMPARE(status.value(u"total"_s).toInt(), counts.value(u"total"_s).toInt());
        QCOMPARE(status.value(u"done"_s).toInt(), counts.value(u"total"_s).toInt());
        QCOMPARE(status.value(u"shards_finished"_s).toInt(), 2);
        QCOMPARE(status.value(u"eta_s"_s).toDouble(), 0.0);
        QCOMPARE(status.value(u"best"_s).toObject().value(u"candidate"_s).toInt(),
                 single.value(u"best"_s).toObject().value(u"candidate"_s).toInt());
        // A shard that has not written its header yet counts as nothing done; a damaged
        // journal is refused with its line.
        QFile fresh(dir.filePath(u"part-3.jsonl"_s));
        QVERIFY(fresh.open(QIODevice::WriteOnly));
        fresh.close();
        QCOMPARE(phaze({u"status"_s, dir.filePath(u"part-3.jsonl"_s)}).exitCode, 0);
        QFile damaged(dir.filePath(u"part-1.jsonl"_s));
        QVERIFY(damaged.open(QIODevice::Append));
        damaged.write("{not json}\n");
        damaged.close();
        const Run bad = phaze({u"status"_s, dir.filePath(u"part-1.jsonl"_s)});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"part-1.jsonl:"_s), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestCliSearch)
#include "test_cli_search.moc"
