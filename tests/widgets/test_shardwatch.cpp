// The shard view: a search split into shards (journals plus progress files, as `phaze search
// --shard I/N --journal J` writes them on a cluster) is shown as one search of the project while
// the shards run, and once they have all finished it holds exactly the rows of the unsharded
// search; shards of another search, an unreadable journal or an empty folder are refused and
// leave the views as they were.

#include <QtTest>

#include <QAction>
#include <QLabel>

#include <fstream>
#include <map>

#include "app/workbench/mainwindow.h"
#include "core/io/projectsearch.h"
#include "core/io/searchjson.h"
#include "core/io/shardjson.h"
#include "core/search/searchdriver.h"
#include "tests/support/testtiming.h"
#include "widgets/resultstore.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/shardwatch.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

namespace {

constexpr int kShards = 3;

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const std::string &path, const std::string &text)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// What a cluster leaves in its results folder: each shard's journal and progress file.
struct ShardFiles {
    std::string journal, progress;
    ShardProgress finished; // its progress file at the end
};

} // namespace

class TestShardWatch : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Session m_session;
    std::vector<ShardFiles> m_shards;
    CodesignResult m_whole; // the unsharded search
    // Every shard's rows: a shard prunes against its own best only, so together they evaluate
    // the unsharded search's candidates and more.
    std::map<std::size_t, std::string> m_shardRows; // candidate: its evaluation's JSON

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        const ProjectSpec &project = m_session.project();
        const std::string baseDir = m_session.baseDir();
        CodesignOptions plain;
        plain.baselines = false;
        const auto whole = runCodesign(project, baseDir, plain);
        QVERIFY2(whole.hasValue(), whole.message.c_str());
        m_whole = *whole.value;
        const auto fingerprint = searchFingerprint(project, baseDir);
        QVERIFY(fingerprint.hasValue());
        for (int i = 0; i < kShards; ++i) {
            CodesignOptions options = plain;
            options.shardIndex = i;
            options.shardCount = kShards;
            options.journalPath = m_dir.filePath(u"shard-%1.jsonl"_s.arg(i + 1)).toStdString();
            const auto part = runCodesign(project, baseDir, options);
            QVERIFY2(part.hasValue(), part.message.c_str());
            const SearchCounts &c = part.value->search.counts;
            for (const Evaluation &e : part.value->search.evaluations)
                m_shardRows[e.candidate] = evaluationToJson(e);
            ShardFiles files;
            files.journal = options.journalPath;
            files.progress = progressPathOf(files.journal);
            files.finished.shard = {*fingerprint.value, i + 1, kShards, m_whole.search.counts.total};
            files.finished.total = (long long)c.total;
            files.finished.pruned = (long long)(c.pruned + c.skipped);
            files.finished.done = (long long)c.evaluated + files.finished.pruned;
            files.finished.elapsedSeconds = 1.0;
            files.finished.finished = true;
            writeAll(files.progress, shardProgressJson(files.finished));
            m_shards.push_back(files);
        }
        QVERIFY(m_whole.search.counts.pruned > 0); // the sums below count pruned work too
    }

    void showsRunningShardsAsOneSearchLive()
    {
        // Shard 3 is still running: half its journal written, its progress not finished.
        const std::string full = readAll(m_shards[2].journal);
        std::vector<std::size_t> lineEnds;
        for (std::size_t p = full.find('\n'); p != std::string::npos; p = full.find('\n', p + 1))
            lineEnds.push_back(p + 1);
        QVERIFY(lineEnds.size() >= 3); // header and at least two evaluations
        const std::size_t half = lineEnds[lineEnds.size() / 2];
        writeAll(m_shards[2].journal, full.substr(0, half) + "{\"candid"); // a torn last line
        ShardProgress running = m_shards[2].finished;
        running.finished = false;
        running.done = (long long)(lineEnds.size() / 2) - 1;
        running.pruned = 0;
        writeAll(m_shards[2].progress, shardProgressJson(running));

        ShardWatch watch(&m_session);
        QSignalSpy updated(&watch, &ShardWatch::updated);
        QSignalSpy completed(&watch, &ShardWatch::completed);
        QSignalSpy failed(&watch, &ShardWatch::failed);
        watch.watch({m_dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), scaledMs(20000));
        QVERIFY(failed.isEmpty());
        QVERIFY(watch.isWatching());
        QVERIFY(completed.isEmpty());
        const ShardSetStatus first = *watch.status();
        QCOMPARE(first.shardCount, kShards);
        QCOMPARE(first.finished, kShards - 1);
        QCOMPARE(first.total, (long long)m_whole.search.counts.total);
        QVERIFY(first.done < first.total);
        const std::size_t shownEarly = m_session.results()->evaluations().size();
        QVERIFY(shownEarly < m_shardRows.size());
        QCOMPARE((long long)shownEarly, first.evaluated);
        QVERIFY(!shardStatusText(first).contains(u"ETA unknown"_s));

        // The shard finishes: the rest of its journal and its final progress file appear.
        writeAll(m_shards[2].journal, full);
        writeAll(m_shards[2].progress, shardProgressJson(m_shards[2].finished));
        QTRY_VERIFY_WITH_TIMEOUT(!completed.isEmpty(), scaledMs(20000));
        QVERIFY(!watch.isWatching());
        QVERIFY(failed.isEmpty());
        const ShardSetStatus last = *watch.status();
        QVERIFY(last.complete());
        QCOMPARE(last.done, last.total);
        QCOMPARE(last.evaluated, (long long)m_shardRows.size());

        // Every row of every shard, each once; among them every row of the unsharded search
        // with the same numbers; and the same best.
        const std::vector<Evaluation> &shown = m_session.results()->evaluations();
        QCOMPARE(shown.size(), m_shardRows.size());
        std::map<std::size_t, const Evaluation *> byCandidate;
        for (const Evaluation &e : shown) {
            byCandidate[e.candidate] = &e;
            QVERIFY(m_shardRows.count(e.candidate));
            QCOMPARE(evaluationToJson(e), m_shardRows[e.candidate]);
        }
        QCOMPARE(byCandidate.size(), shown.size());
        for (const Evaluation &e : m_whole.search.evaluations) {
            QVERIFY2(byCandidate.count(e.candidate), qPrintable(u"candidate %1"_s.arg(e.candidate)));
            QCOMPARE(evaluationToJson(*byCandidate[e.candidate]), evaluationToJson(e));
        }
        const int best = m_session.results()->bestRow();
        QVERIFY(best >= 0 && m_whole.search.best);
        QCOMPARE(shown[std::size_t(best)].candidate,
                 m_whole.search.evaluations[*m_whole.search.best].candidate);
        QVERIFY(last.best);
        QCOMPARE(last.best->candidate, shown[std::size_t(best)].candidate);
    }

    void refusesShardsOfAnotherSearch()
    {
        Session edited;
        QVERIFY(edited.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        ProjectSpec changed = edited.project();
        changed.training.globalBatch *= 2; // another search: its fingerprint differs
        edited.replaceProject(changed);
        Evaluation kept;
        kept.candidate = 12345;
        edited.results()->addEvaluation(kept);

        ShardWatch watch(&edited);
        QSignalSpy failed(&watch, &ShardWatch::failed);
        QSignalSpy updated(&watch, &ShardWatch::updated);
        watch.watch({m_dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), scaledMs(20000));
        QVERIFY(updated.isEmpty());
        QVERIFY(!watch.isWatching());
        QVERIFY2(failed.front().at(0).toString().contains(u"another search"_s),
                 qPrintable(failed.front().at(0).toString()));
        // Nothing shown before is lost.
        QCOMPARE(edited.results()->evaluations().size(), std::size_t(1));
        QCOMPARE(edited.results()->evaluations().front().candidate, std::size_t(12345));
    }

    void refusesAnEmptyFolderAndABrokenJournal()
    {
        QTemporaryDir empty;
        ShardWatch watch(&m_session);
        QSignalSpy failed(&watch, &ShardWatch::failed);
        watch.watch({empty.path()});
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), scaledMs(20000));
        QVERIFY(failed.back().at(0).toString().contains(u"no search journal"_s));

        const QString broken = empty.filePath(u"broken.jsonl"_s);
        writeAll(broken.toStdString(), "{\"phaze_journal\":1,\"fingerprint\":\"x\"}\nnot json\n");
        watch.watch({broken});
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, scaledMs(20000));
        const QString why = failed.back().at(0).toString();
        QVERIFY2(why.contains(u"broken.jsonl"_s) && why.contains(u"2"_s), qPrintable(why));
    }

    void showsAnUnshardedJournal()
    {
        // A search killed in the workbench's absence leaves one journal with no progress file:
        // its header is the whole search's, so it is this project's.
        QTemporaryDir dir;
        CodesignOptions options;
        options.baselines = false;
        options.journalPath = dir.filePath(u"search.jsonl"_s).toStdString();
        const auto run = runCodesign(m_session.project(), m_session.baseDir(), options);
        QVERIFY(run.hasValue());
        ShardWatch watch(&m_session);
        QSignalSpy updated(&watch, &ShardWatch::updated);
        watch.watch({dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), scaledMs(20000));
        QCOMPARE(m_session.results()->evaluations().size(), run.value->search.evaluations.size());
        QCOMPARE(watch.status()->shardCount, 1);
        watch.stop();
        QVERIFY(!watch.isWatching());
    }

    // A shard that has just started has a journal but no progress file yet: it is left out of
    // the reading (its rows cannot be told to be this project's) and named as such.
    void aJournalWithoutItsProgressFileWaits()
    {
        QTemporaryDir dir;
        const std::string journal = dir.filePath(u"part-1.jsonl"_s).toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(m_shards[0].journal),
                            QString::fromStdString(journal)));
        ShardWatch watch(&m_session);
        QSignalSpy updated(&watch, &ShardWatch::updated);
        watch.watch({dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), scaledMs(20000));
        QCOMPARE(watch.unidentified(), 1);
        QCOMPARE(watch.status()->evaluated, 0);
        QVERIFY(watch.isWatching());
        QVERIFY2(shardStatusText(*watch.status(), watch.unidentified()).contains(u"not identified"_s),
                 qPrintable(shardStatusText(*watch.status(), watch.unidentified())));
        // Its progress file appears: the shard is shown.
        writeAll(progressPathOf(journal), shardProgressJson(m_shards[0].finished));
        QTRY_VERIFY_WITH_TIMEOUT(watch.unidentified() == 0 && watch.status()->evaluated > 0,
                                 scaledMs(20000));
        watch.stop();
    }

    void mainWindowFollowsTheShards()
    {
        Session session;
        MainWindow window(&session);
        window.setSavesResults(false); // nothing written beside the example
        QVERIFY(window.openProject(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        QSignalSpy completed(window.shardWatch(), &ShardWatch::completed);
        QVERIFY(window.openShardSet({m_dir.path()}));
        QTRY_VERIFY_WITH_TIMEOUT(!completed.isEmpty(), scaledMs(20000));
        auto *label = window.findChild<QLabel *>(u"searchLabel"_s);
        QVERIFY(label);
        QVERIFY2(label->text().startsWith(u"Shards %1/%1 finished"_s.arg(kShards)),
                 qPrintable(label->text()));
        QCOMPARE(session.results()->evaluations().size(), m_shardRows.size());
        QVERIFY(!window.shardWatch()->isWatching());
        // While a search runs, no shard set opens (it would mix two searches' rows).
        window.runSearchAction()->trigger();
        QVERIFY(window.searchJob()->isRunning());
        QVERIFY(!window.openShardSet({m_dir.path()}));
        window.searchJob()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!window.searchJob()->isRunning(), scaledMs(20000));
    }
};

QTEST_MAIN(TestShardWatch)
#include "test_shardwatch.moc"
