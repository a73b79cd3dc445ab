// The last-resort guard of background work: an exception thrown by the work never reaches the
// event loop (where Qt would end the program); it comes back as the job's error result.

#include <QtTest>

#include <new>
#include <stdexcept>

#include "core/base/status.h"
#include "widgets/backgroundjob.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestJobGuard : public QObject
{
    Q_OBJECT

private slots:
    void anExceptionBecomesAnErrorResult()
    {
        QList<Result<int>> got;
        BackgroundJob<Result<int>> job(this, [&](Result<int> r) { got << r; });
        job.run([](const CancelToken &) -> Result<int> { throw std::runtime_error("boom"); });
        QTRY_COMPARE(got.size(), 1);
        QCOMPARE(got.front().status, Status::Error);
        QVERIFY2(got.front().message.find("internal error") != std::string::npos &&
                     got.front().message.find("boom") != std::string::npos,
                 got.front().message.c_str());
        // The job is usable afterwards.
        job.run([](const CancelToken &) { return Result<int>::optimal(5); });
        QTRY_COMPARE(got.size(), 2);
        QCOMPARE(*got.back().value, 5);
    }

    void anyExceptionIsCaught()
    {
        QList<QString> got;
        BackgroundJob<QString> job(this, [&](QString error) { got << error; });
        job.run([](const CancelToken &) -> QString { throw 42; });
        QTRY_COMPARE(got.size(), 1);
        QVERIFY2(got.front().contains(u"unknown exception"_s), qPrintable(got.front()));
        job.run([](const CancelToken &) -> QString { throw std::bad_alloc(); });
        QTRY_COMPARE(got.size(), 2);
        QVERIFY2(got.back().contains(u"internal error"_s), qPrintable(got.back()));
    }

    // A result type that cannot carry a failure: the failure is logged, nothing is delivered,
    // and the program goes on.
    void aPlainResultIsDroppedAndLogged()
    {
        QList<int> got;
        BackgroundJob<int> job(this, [&](int v) { got << v; });
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(u"background work failed: .*boom"_s));
        job.run([](const CancelToken &) -> int { throw std::runtime_error("boom"); });
        QTRY_VERIFY(!job.isRunning()); // its end was handled: logged, not delivered
        QVERIFY(got.isEmpty());
        job.run([](const CancelToken &) { return 3; });
        QTRY_COMPARE(got, QList<int>{3});
    }

    void runGuardedReturnsTheValueOrTheFailure()
    {
        QCOMPARE(*runGuarded<Result<int>>([] { return Result<int>::optimal(2); }).value, 2);
        const QString failed = runGuarded<QString>([]() -> QString {
            throw std::out_of_range("index 9");
        });
        QVERIFY(failed.contains(u"index 9"_s));
    }
};

QTEST_MAIN(TestJobGuard)
#include "test_jobguard.moc"
