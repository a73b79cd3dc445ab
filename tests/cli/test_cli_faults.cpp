// `phaze search` and `evaluate` when the outputs cannot be written: a full disk (/dev/full, a
// file-size limit that hits mid-search), a missing directory, a path under a regular file, two
// searches on one journal, and journals damaged by a kill. Tests run as root, so permission bits
// would not fail; these faults do. Expected: a clear error naming the path and the OS reason,
// exit code 4 (2 for a journal that is not this search's), found before the search where
// possible, and a journal of whole lines that --resume continues from.

#include <QtTest>

#include "tests/cli/clirunner.h"
#include "tests/support/testtiming.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <sys/resource.h>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

const QString kMedium = QStringLiteral(PHAZE_TEST_DATA_DIR "/projects/medium-search.yaml");
const QString kQuick = QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// Runs phaze with a file-size limit (RLIMIT_FSIZE): writes past `bytes` fail with EFBIG, the
// way a disk fills up in the middle of a search.
Run phazeWithFileLimit(const QStringList &args, rlim_t bytes,
                       std::source_location where = std::source_location::current())
{
    QProcess p;
    p.setChildProcessModifier([bytes] {
        const rlimit limit{bytes, bytes};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    p.start(QStringLiteral(PHAZE_CLI), args);
    return finishRun(p, args, defaultRunTimeoutMs(), where);
}

// Every line of a journal is complete JSON ending with a newline.
void verifyWholeLines(const QString &path)
{
    const QByteArray text = readFile(path);
    QVERIFY2(!text.isEmpty() && text.endsWith('\n'), qPrintable(path + u" ends mid-line"_s));
    const QList<QByteArray> lines = text.chopped(1).split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        QJsonParseError error;
        QJsonDocument::fromJson(lines[i], &error);
        QVERIFY2(error.error == QJsonParseError::NoError,
                 qPrintable(u"%1:%2: %3"_s.arg(path).arg(i + 1).arg(error.errorString())));
    }
}

int evaluationLines(const QString &journal)
{
    return int(readFile(journal).count('\n')) - 1;
}

} // namespace

class TestCliFaults : public QObject
{
    Q_OBJECT

private slots:
    // An unwritable --journal, --json or --csv is refused before the search starts: no summary
    // is printed (nothing was searched), the message names the option, the path and the OS
    // reason, and the exit code is 4.
    void unwritableOutputsAreRefusedUpFront_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("target"); // full | nodir | underfile
        QTest::addColumn<QString>("reason");
        const QStringList options = {u"--journal"_s, u"--json"_s, u"--csv"_s};
        for (const QString &command : {u"search"_s, u"evaluate"_s}) {
            for (const QString &option : options) {
                if (command == u"evaluate"_s && option == u"--journal"_s)
                    continue; // evaluate has no journal
                const QString tag = command + u" "_s + option + u" "_s;
                QTest::newRow(qPrintable(tag + u"/dev/full"_s))
                    << command << option << u"full"_s << "No space left on device";
                QTest::newRow(qPrintable(tag + u"missing directory"_s))
                    << command << option << u"nodir"_s << "No such file or directory";
                QTest::newRow(qPrintable(tag + u"under a regular file"_s))
                    << command << option << "underfile"
                    << "Not a directory";
            }
        }
    }

    void unwritableOutputsAreRefusedUpFront()
    {
        QFETCH(QString, command);
        QFETCH(QString, option);
        QFETCH(QString, target);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        writeFile(dir.filePath(u"plain-file"_s), "not a directory\n");
        const QString path = target == u"full"_s    ? u"/dev/full"_s
                             : target == u"nodir"_s ? dir.filePath(u"no/such/dir/out"_s)
                                                    : dir.filePath(u"plain-file/out"_s);
        // A previous result beside it must survive the refused run unchanged.
        const QString other = option == u"--json"_s ? u"--csv"_s : u"--json"_s;
        const QString otherPath = dir.filePath(u"previous"_s);
        writeFile(otherPath, "previous result\n");
        QStringList args = {command,
                            command == u"search"_s ? kMedium : kQuick,
                            u"--no-baselines"_s,
                            option,
                            path,
                            other,
                            otherPath};
        QElapsedTimer timer;
        timer.start();
        const Run r = phaze(args);
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(option + u" "_s + path + u": cannot write: "_s + reason),
                 qPrintable(r.err));
        if (target == u"nodir"_s)
            QVERIFY2(r.err.contains(u"the directory "_s + dir.filePath(u"no/such/dir"_s) +
                                    u" does not exist"_s),
                     qPrintable(r.err));
        QVERIFY2(!r.out.contains(u"candidates:"_s), qPrintable(r.out)); // the search never ran
        QCOMPARE(readFile(otherPath), QByteArray("previous result\n"));
        QVERIFY(!QFile::exists(dir.filePath(u"no"_s)));
        qInfo("refused in %lld ms", timer.elapsed());
    }

    void sameFileForTwoOutputsIsRefused()
    {
        QTemporaryDir dir;
        const Run r = phaze({u"search"_s, kQuick, u"--json"_s, dir.filePath(u"r"_s), u"--csv"_s,
                             dir.filePath(u"./r"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--json and --csv name the same file"_s), qPrintable(r.err));
    }

    // The disk fills up mid-search (a file-size limit): the search stops with exit 4 and a
    // message naming the journal and the reason; the journal holds whole lines only (the cut
    // line is rolled back); the same command without the limit and with --resume continues and
    // ends with the uninterrupted run's result.
    void journalFullMidSearchResumes()
    {
        QTemporaryDir dir;
        const QStringList common = {u"search"_s, kQuick, u"--no-baselines"_s};
        QCOMPARE(phaze(common + QStringList{u"--csv"_s, dir.filePath(u"full.csv"_s)}).exitCode, 0);
        const QString journal = dir.filePath(u"j.jsonl"_s);
        const rlim_t limit = 6000; // the header and a few evaluations (about 1 kB each)
        const Run failed = phazeWithFileLimit(common + QStringList{u"--journal"_s, journal}, limit);
        QCOMPARE(failed.exitCode, 4);
        QVERIFY2(failed.err.contains(journal + u": cannot write the journal: File too large"_s),
                 qPrintable(failed.err));
        QVERIFY2(failed.err.contains(u"continue with --resume"_s), qPrintable(failed.err));
        verifyWholeLines(journal);
        QVERIFY(QFileInfo(journal).size() <= qint64(limit));
        const int kept = evaluationLines(journal);
        QVERIFY2(kept >= 1 && kept < 16, qPrintable(QString::number(kept)));

        const Run resumed = phaze(common + QStringList{u"--journal"_s, journal, u"--resume"_s,
                                                       u"--csv"_s, dir.filePath(u"resumed.csv"_s)});
        QCOMPARE(resumed.exitCode, 0);
        QVERIFY2(!resumed.err.contains(u"warning"_s), qPrintable(resumed.err)); // nothing was torn
        QVERIFY2(resumed.out.contains(u"from the journal %1)"_s.arg(kept)),
                 qPrintable(resumed.out));
        QCOMPARE(readFile(dir.filePath(u"resumed.csv"_s)), readFile(dir.filePath(u"full.csv"_s)));
        verifyWholeLines(journal);
    }

    // The result cannot be written at the end (the journal fitted, the JSON does not): exit 4,
    // the previous JSON is intact (replaced atomically or not at all), and --resume with room
    // writes the result from the journal without evaluating anything again.
    void resultWriteFailsAtTheEndResumes()
    {
        QTemporaryDir dir;
        const QString journal = dir.filePath(u"j.jsonl"_s), json = dir.filePath(u"r.json"_s);
        writeFile(json, "{\"previous\": true}\n");
        const QStringList common = {u"search"_s, kQuick, u"--no-baselines"_s, u"--journal"_s,
                                    journal};
        // 30 kB: the journal (about 21 kB) fits, the result JSON (about 38 kB) does not.
        const Run failed = phazeWithFileLimit(common + QStringList{u"--json"_s, json}, 30000);
        QCOMPARE(failed.exitCode, 4);
        QVERIFY2(failed.err.contains(json + u": cannot write: File too large"_s),
                 qPrintable(failed.err));
        QVERIFY2(failed.err.contains(u"every evaluation is in the journal "_s + journal),
                 qPrintable(failed.err));
        QCOMPARE(readFile(json), QByteArray("{\"previous\": true}\n"));
        // No temporary left over: the journal, its progress file (phaze status) and the result.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 (QStringList{u"j.jsonl"_s, u"j.jsonl.progress"_s, u"r.json"_s}));
        verifyWholeLines(journal);

        const Run resumed = phaze(common + QStringList{u"--resume"_s, u"--json"_s, json});
        QCOMPARE(resumed.exitCode, 0);
        const QJsonObject o = readJson(json);
        const QJsonObject counts = o.value(u"counts"_s).toObject();
        QCOMPARE(counts.value(u"resumed"_s).toInt(), counts.value(u"evaluated"_s).toInt());
        QCOMPARE(counts.value(u"evaluated"_s).toInt(), evaluationLines(journal));
        QVERIFY(o.value(u"best"_s).toObject().value(u"throughput"_s).toDouble() > 2100.0);
    }

    // A second search on a journal that a running search writes is refused, and the running
    // search's journal is not truncated.
    void twoSearchesCannotShareAJournal()
    {
        QTemporaryDir dir;
        const QString journal = dir.filePath(u"j.jsonl"_s);
        QProcess first;
        first.start(QStringLiteral(PHAZE_CLI),
                    {u"search"_s, kMedium, u"--no-baselines"_s, u"--journal"_s, journal,
                     u"--json"_s, dir.filePath(u"first.json"_s)});
        QVERIFY(first.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (evaluationLines(journal) < 1 && first.state() == QProcess::Running &&
               timer.elapsed() < testsupport::scaledMs(60000))
            QThread::msleep(5);
        QVERIFY2(first.state() == QProcess::Running, "the first search ended too early");
        QVERIFY2(evaluationLines(journal) >= 1,
                 qPrintable(u"no journal line after %1 ms"_s.arg(timer.elapsed())));
        const Run second =
            phaze({u"search"_s, kMedium, u"--no-baselines"_s, u"--journal"_s, journal});
        QVERIFY2(first.state() == QProcess::Running, "the first search ended too early");
        ::kill(pid_t(first.processId()), SIGINT); // stops cleanly, with a whole journal
        QVERIFY(first.waitForFinished(testsupport::scaledMs(60000)));
        QCOMPARE(second.exitCode, 4);
        QVERIFY2(second.err.contains(journal + u": cannot lock the journal: another search is "
                                               u"writing it"_s),
                 qPrintable(second.err));
        QCOMPARE(first.exitCode(), 130);
        verifyWholeLines(journal);
        QCOMPARE(evaluationLines(journal), readJson(dir.filePath(u"first.json"_s))
                                               .value(u"counts"_s)
                                               .toObject()
                                               .value(u"evaluated"_s)
                                               .toInt());
    }

    // Journals as a kill leaves them, and damaged ones.
    void damagedJournals()
    {
        QTemporaryDir dir;
        const QString journal = dir.filePath(u"j.jsonl"_s);
        const QStringList common = {u"search"_s, kQuick, u"--no-baselines"_s, u"--journal"_s,
                                    journal};
        QCOMPARE(phaze(common + QStringList{u"--csv"_s, dir.filePath(u"full.csv"_s)}).exitCode, 0);
        const QByteArray complete = readFile(journal);
        const QList<QByteArray> lines = complete.chopped(1).split('\n');
        QVERIFY(lines.size() > 8);

        // A line cut mid-write by a kill: ignored with a warning, cut off the file, redone.
        QByteArray torn = complete.left(complete.size() - lines.last().size() - 1);
        torn += lines.last().left(lines.last().size() / 2);
        writeFile(journal, torn);
        Run r =
            phaze(common + QStringList{u"--resume"_s, u"--csv"_s, dir.filePath(u"resumed.csv"_s)});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(
                     u"warning: %1: ignoring a partial last line (%2 bytes"_s.arg(journal).arg(
                         lines.last().size() / 2)),
                 qPrintable(r.err));
        QCOMPARE(readFile(dir.filePath(u"resumed.csv"_s)), readFile(dir.filePath(u"full.csv"_s)));
        QCOMPARE(readFile(journal), complete); // the torn part replaced by the whole line
        verifyWholeLines(journal);

        // A damaged line in the middle is not silently dropped: the error names the line.
        QList<QByteArray> damaged = lines;
        damaged[4] = damaged[4].left(damaged[4].size() - 3);
        writeFile(journal, damaged.join('\n') + '\n');
        r = phaze(common + QStringList{u"--resume"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(journal + u":5: not a journal line"_s), qPrintable(r.err));

        // Killed before the header was complete (or never started): --resume starts afresh.
        for (const QByteArray &start : {QByteArray(), lines.first().left(10)}) {
            writeFile(journal, start);
            r = phaze(common + QStringList{u"--resume"_s});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.err.contains(u"has no complete header line; starting a new search"_s),
                     qPrintable(r.err));
            QCOMPARE(readFile(journal), complete);
        }
        QVERIFY(QFile::remove(journal));
        r = phaze(common + QStringList{u"--resume"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(journal + u": no such journal; starting a new search"_s),
                 qPrintable(r.err));

        // Another project's journal is refused (exit 2), and left as it was.
        const Run other = phaze(
            {u"search"_s, kMedium, u"--no-baselines"_s, u"--journal"_s, journal, u"--resume"_s});
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains(u"the journal belongs to another search"_s),
                 qPrintable(other.err));
        QCOMPARE(readFile(journal), complete);
    }

    // Numeric edge cases as a user meets them: file:line:col: field: message, exit code 2,
    // also for the checks made after reading (microbatch larger than the batch).
    void numericInputsAreLocated_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("line"); // the training line under test
        QTest::addColumn<QString>("expected");
        QTest::newRow("NaN HBM size") << "search"
                                      << "hbm_sizes: [32 GiB, .nan]"
                                      << "p.yaml:4:23: training.hbm_sizes[1]: \".nan\" is not "
                                         "a number";
        QTest::newRow("infinite batch") << "evaluate"
                                        << "global_batch: .inf"
                                        << "p.yaml:4:17: training.global_batch: \".inf\"";
        QTest::newRow("negative bandwidth")
            << "search"
            << "link_bandwidth: -4 GiB/s"
            << "p.yaml:4:19: training.link_bandwidth: \"-4 GiB/s\" must be at least";
        QTest::newRow("10^9 accelerators")
            << "search"
            << "accelerators: 1000000000"
            << "p.yaml:4:17: training.accelerators: \"1000000000\" must be at most 1048576";
        QTest::newRow("1e308 bytes") << "check"
                                     << "hbm_sizes: [1e308 GiB]"
                                     << "p.yaml:4:15: training.hbm_sizes[0]: \"1e308 GiB\" is "
                                        "out of range";
        QTest::newRow("microbatch above the batch")
            << "check"
            << "microbatch_sizes: [1, 4096]"
            << "p.yaml:4:25: training.microbatch_sizes[1]: microbatch size 4096 is larger than "
               "the global batch 512";
    }

    void numericInputsAreLocated()
    {
        QFETCH(QString, command);
        QFETCH(QString, line);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString project = dir.filePath(u"p.yaml"_s);
        const QString batch =
            line.startsWith(u"global_batch"_s) ? QString() : u"  global_batch: 512\n"_s;
        writeFile(project, (u"models: [bert-large]\narchitecture: tpuv4\ntraining:\n  "_s + line +
                            u"\n"_s + batch)
                               .toUtf8());
        const Run r =
            phaze(command == u"check"_s ? QStringList{command, project}
                                        : QStringList{command, project, u"--no-baselines"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    }

    // Other subcommands report unwritable outputs the same way.
    void otherCommandsReportWriteFailures_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("arch") << QStringList{u"arch"_s, u"tpuv4"_s, u"--json"_s, u"/dev/full"_s};
        QTest::newRow("model") << QStringList{u"model"_s, u"bert-large"_s, u"--json"_s,
                                              u"/dev/full"_s};
        QTest::newRow("space") << QStringList{u"space"_s, kQuick, u"--json"_s, u"/dev/full"_s};
    }

    void otherCommandsReportWriteFailures()
    {
        QFETCH(QStringList, args);
        const Run r = phaze(args);
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(u"/dev/full: cannot write: No space left on device"_s),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliFaults)
#include "test_cli_faults.moc"
