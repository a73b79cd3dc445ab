// BackgroundJob, the one mechanism every view's background work goes through: results arrive
// on the GUI thread; a request made while work runs supersedes it; cancel() drops the running
// work's result even when the work had already finished (the views rely on this instead of
// flags of their own); requestStop() stops the work and delivers what it returns (the search).

#include <QtTest>

#include <QSemaphore>

#include <atomic>

#include "tests/support/testtiming.h"
#include "widgets/backgroundjob.h"

using namespace phaze;
using testsupport::scaledMs;

class TestBackgroundJob : public QObject
{
    Q_OBJECT

private slots:
    void deliversOnTheGuiThread()
    {
        QList<int> got;
        QThread *deliveredOn = nullptr;
        BackgroundJob<int> job(this, [&](int v) {
            got << v;
            deliveredOn = QThread::currentThread();
        });
        job.run([](const CancelToken &) { return 7; });
        QTRY_COMPARE_WITH_TIMEOUT(got, QList<int>{7}, scaledMs(5000));
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY(!job.isRunning());
    }

    // Three requests while the first runs: the first is cancelled, the second never starts,
    // only the last is delivered.
    void theLatestRequestWins()
    {
        QList<int> got;
        BackgroundJob<int> job(this, [&](int v) { got << v; });
        QSemaphore started, release;
        std::atomic<bool> firstSawCancel = false;
        job.run([&](const CancelToken &cancel) {
            started.release();
            release.acquire();
            firstSawCancel = cancel.isCancelled();
            return 1;
        });
        started.acquire();
        std::atomic<int> runs = 0;
        job.run([&](const CancelToken &) { return ++runs, 2; });
        job.run([&](const CancelToken &) { return ++runs, 3; });
        release.release();
        QTRY_COMPARE_WITH_TIMEOUT(got, QList<int>{3}, scaledMs(5000));
        QVERIFY(firstSawCancel);
        QCOMPARE(runs.load(), 1);
        // Nothing else comes later: the last work has ended, so whatever it would deliver is
        // queued by now; deliver the queue, then look.
        QVERIFY(!job.isRunning());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(got, QList<int>{3});
    }

    // The work has returned, but its result has not reached the GUI thread yet when cancel()
    // is called: it is dropped all the same.
    void cancelDropsAFinishedResult()
    {
        QList<int> got;
        BackgroundJob<int> job(this, [&](int v) { got << v; });
        QSemaphore done;
        job.run([&](const CancelToken &) {
            done.release();
            return 5; // ignores the token, as a quick computation does
        });
        done.acquire();
        job.waitForFinished(); // finished; the delivery is still queued
        job.cancel();
        // The queued delivery is handled (the job stops running) and drops the result: wait for
        // that, not for a while, which a slow machine could spend before the delivery.
        QVERIFY(job.isRunning());
        QCoreApplication::sendPostedEvents();
        QTRY_VERIFY_WITH_TIMEOUT(!job.isRunning(), scaledMs(5000));
        QVERIFY(got.isEmpty());

        // A later request is delivered as usual.
        job.run([](const CancelToken &) { return 6; });
        QTRY_COMPARE_WITH_TIMEOUT(got, QList<int>{6}, scaledMs(5000));
    }

    // requestStop() is for work whose result is what it found until stopped (the search): the
    // work sees its token cancelled and its result is delivered.
    void requestStopDeliversTheResult()
    {
        QList<int> got;
        BackgroundJob<int> job(this, [&](int v) { got << v; });
        QSemaphore started;
        job.run([&](const CancelToken &cancel) {
            // What it found is set before it says it started: the stop may come before the
            // loop below runs once.
            const int found = 41;
            started.release();
            while (!cancel.isCancelled())
                QThread::yieldCurrentThread();
            return found + 1;
        });
        started.acquire();
        QVERIFY(job.isRunning());
        job.requestStop();
        QTRY_COMPARE_WITH_TIMEOUT(got, QList<int>{42}, scaledMs(5000));
        QVERIFY(!job.isRunning());
    }
};

QTEST_MAIN(TestBackgroundJob)
#include "test_backgroundjob.moc"
