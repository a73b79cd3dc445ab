// The search job: runs the co-design search off the GUI thread, streams every evaluation into
// the session, keeps the event loop turning, and stops within 500 ms when cancelled.

#include <QtTest>

#include "core/io/projectsearch.h"
#include "tests/support/testtiming.h"
#include "widgets/resultstore.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

class TestSearchJob : public QObject
{
    Q_OBJECT

private slots:
    void quickSearchMatchesTheEngine()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        SearchJob job(&session);
        QSignalSpy finished(&job, &SearchJob::finished);
        QSignalSpy added(session.results(), &ResultStore::evaluationAdded);
        QSignalSpy progress(&job, &SearchJob::progressChanged);
        QVERIFY(job.start());
        QVERIFY(job.isRunning());
        QVERIFY(!job.start()); // one search at a time
        QVERIFY(finished.wait(scaledMs(60000)));
        QVERIFY(!job.isRunning());
        QCOMPARE(finished.front().at(0).value<Status>(), Status::Optimal);

        const auto direct = runCodesign(session.project(), session.baseDir(), {});
        QVERIFY2(direct.hasValue(), direct.message.c_str());
        const ResultStore *store = session.results();
        QVERIFY(store->result().has_value());
        const SearchResult &search = store->result()->search;
        QVERIFY(search.best && direct.value->search.best);
        QCOMPARE(search.evaluations[*search.best].throughput,
                 direct.value->search.evaluations[*direct.value->search.best].throughput);
        QCOMPARE(added.size(), int(search.counts.evaluated));
        QCOMPARE(store->evaluations().size(), search.evaluations.size());
        QCOMPARE(store->baselines().size(), direct.value->baselines.size());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(job.progress().done, job.progress().total);
    }

    void eventLoopTurnsAndCancelIsPrompt()
    {
        // GPT-2 XL over the full space runs for many minutes: it is still running when
        // cancelled.
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt2-xl.yaml")));
        SearchJob job(&session);
        QSignalSpy finished(&job, &SearchJob::finished);
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
        timer.start(10);
        QElapsedTimer running;
        running.start();
        QVERIFY(job.start());
        // Evaluations stream in while the search runs, and the GUI thread keeps turning.
        QTRY_VERIFY_WITH_TIMEOUT(session.results()->evaluations().size() >= 2, scaledMs(60000));
        QTest::qWait(300);
        QVERIFY(job.isRunning());
        // At least half the ticks of a 10 ms timer (fewer on a slow build: the same scale).
        const qint64 expected = running.elapsed() / 10 / testsupport::timeScale();
        QVERIFY2(ticks >= expected / 2,
                 qPrintable(u"%1 timer ticks of %2"_s.arg(ticks).arg(expected)));

        QElapsedTimer clock;
        clock.start();
        job.cancel();
        QVERIFY(finished.wait(scaledMs(5000)));
        const qint64 ms = clock.elapsed();
        qInfo("cancelled after %lld ms", ms);
        QVERIFY2(ms < scaledMs(500), qPrintable(u"cancel took %1 ms"_s.arg(ms)));
        QCOMPARE(job.lastStatus(), Status::Cancelled);
        QVERIFY(!job.isRunning());
    }

    void destructorCancelsAndWaits()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt2-xl.yaml")));
        QElapsedTimer clock;
        clock.start();
        {
            SearchJob job(&session);
            QVERIFY(job.start());
            QTest::qWait(200);
        }
        QVERIFY(clock.elapsed() < scaledMs(1500));
        // Queued evaluations of the destroyed job are dropped, not delivered to freed memory:
        // the worker has ended, so everything it queued is in the queue now.
        QCoreApplication::sendPostedEvents();
    }

    void badProjectReportsAnError()
    {
        Session session;
        ProjectSpec project = session.project();
        project.models = {ModelRef{"", "no-such-model.json", 0, {}, ""}};
        session.replaceProject(project);
        SearchJob job(&session);
        QSignalSpy finished(&job, &SearchJob::finished);
        QVERIFY(job.start());
        QVERIFY(finished.wait(scaledMs(30000)));
        QCOMPARE(job.lastStatus(), Status::Error);
        QVERIFY(!job.lastMessage().isEmpty());
    }
};

QTEST_MAIN(TestSearchJob)
#include "test_searchjob.moc"
