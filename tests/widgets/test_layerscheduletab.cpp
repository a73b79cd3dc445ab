// The Layer schedule tab: the schedules are solved off the GUI thread, every drawn Gantt bar is
// an operator of the schedule at its start and end (intra-operator ones on every core row), and
// the chart exports to PNG, PDF and SVG.

#include <QtTest>

#include <QTemporaryDir>

#include "tests/support/testtiming.h"
#include "widgets/ganttplot.h"
#include "widgets/layerscheduletab.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

class TestLayerScheduleTab : public QObject
{
    Q_OBJECT

private slots:
    void barsMatchTheSchedule()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/bert-large.yaml")));
        LayerScheduleTab tab(&session);
        tab.resize(1100, 520);
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        tab.show(); // solving starts when the tab is visible
        QVERIFY(tab.isRunning());
        QCOMPARE(ready.count(), 0); // the result comes later, through the event loop
        QVERIFY(ready.wait(scaledMs(120'000)));
        QVERIFY2(!tab.layers().empty(), qPrintable(tab.statusText()));
        QVERIFY(tab.config().has_value());

        int intraBars = 0;
        int bestLayer = 0;
        std::size_t mostBars = 0;
        bool bestBackward = false;
        for (int layer = 0; layer < int(tab.layers().size()); ++layer) {
            for (bool backward : {false, true}) {
                tab.setLayerIndex(layer);
                tab.setShowsBackward(backward);
                const PassSchedule *pass = tab.currentPass();
                QVERIFY(pass && pass->hasSchedule());
                const Schedule &s = pass->result->value->schedule;
                const std::vector<GanttBar> &bars = tab.gantt()->bars();
                // Bars name operators of the pass's problem: the schedule indexes the same list.
                QCOMPARE(s.ops.size(), pass->problem.ops.size());
                std::size_t expected = 0;
                for (const ScheduledOp &op : s.ops)
                    expected += op.end > op.start;
                QCOMPARE(bars.size(), expected);
                const int cores = pass->problem.numTc + pass->problem.numVc;
                for (const GanttBar &b : bars) {
                    const ScheduledOp &op = s.ops[std::size_t(b.op)];
                    QCOMPARE(b.start, op.start);
                    QCOMPARE(b.end, op.end);
                    if (op.mode == OpMode::Intra) {
                        QCOMPARE(int(b.rows.size()), cores);
                        ++intraBars;
                    } else if (op.tcCore >= 0) {
                        QCOMPARE(b.rows.front(), op.tcCore);
                    }
                }
                // The screenshot shows the pass with the most operators.
                if (bars.size() > mostBars) {
                    mostBars = bars.size();
                    bestLayer = layer;
                    bestBackward = backward;
                }
            }
        }
        qInfo("%d intra-operator bars over all passes", intraBars);

        // Hovering a bar's centre finds that bar.
        tab.setLayerIndex(bestLayer);
        tab.setShowsBackward(bestBackward);
        QVERIFY(!tab.gantt()->bars().empty());
        const int bar = int(tab.gantt()->bars().size() / 2);
        const int found = tab.gantt()->barAt(tab.gantt()->pixelOf(bar));
        QVERIFY(found >= 0);
        QVERIFY(tab.gantt()->describe(found).contains(u"µs"_s));

        QTemporaryDir dir;
        for (const QString &suffix : {u"png"_s, u"pdf"_s, u"svg"_s}) {
            const QString path = dir.filePath(u"schedule."_s + suffix);
            QCOMPARE(tab.exportPlot(path, 1000, 500), QString());
            QVERIFY(QFileInfo(path).size() > 1000);
        }
        QVERIFY(!tab.exportPlot(dir.filePath(u"schedule.txt"_s), 100, 100).isEmpty());
        // The screenshot for the documentation (copied to docs/images/schedule.png).
        QVERIFY(tab.grab().save(QStringLiteral(PHAZE_BINARY_DIR "/schedule.png")));
    }

    void withoutArchitectureSaysWhy()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        LayerScheduleTab tab(&session);
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        tab.show();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, scaledMs(5000));
        QVERIFY(tab.layers().empty());
        QVERIFY(tab.statusText().contains(u"architecture"_s));
    }

    void selectedResultGivesTheArchitecture()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/bert-large.yaml")));
        Evaluation e;
        e.candidate = 7;
        e.config = session.project().architecture->config;
        e.config.numTc = 2;
        e.config.numVc = 1;
        session.results()->addEvaluation(e);
        LayerScheduleTab tab(&session);
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        tab.show();
        QVERIFY(ready.wait(scaledMs(120'000)));
        QCOMPARE(tab.config()->numTc, session.project().architecture->config.numTc);
        session.results()->selectRow(0);
        QVERIFY(ready.wait(scaledMs(120'000)));
        QCOMPARE(tab.config()->numTc, 2);
        QVERIFY(!tab.gantt()->bars().empty());
        QCOMPARE(tab.gantt()->rowLabels().mid(0, 3),
                 QStringList({u"TC 0"_s, u"TC 1"_s, u"VC 0"_s}));
    }

    void whatIfEvaluationGivesTheArchitecture()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        CodesignResult whatIf;
        Evaluation e;
        e.config.numTc = 2;
        e.config.numVc = 1;
        whatIf.search.evaluations.push_back(e);
        session.results()->setWhatIf(whatIf);
        LayerScheduleTab tab(&session);
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        tab.show();
        QVERIFY(ready.wait(scaledMs(120'000)));
        QVERIFY(tab.config().has_value());
        QCOMPARE(tab.config()->numTc, 2);
        QVERIFY2(!tab.layers().empty(), qPrintable(tab.statusText()));
    }

    void eventLoopTurnsWhileSolving()
    {
        // A pool of one thread held by a blocker keeps the job pending for as long as the test
        // wants, so that "the GUI thread is not blocked" is checked deterministically.
        QThreadPool *pool = QThreadPool::globalInstance();
        const int threads = pool->maxThreadCount();
        pool->setMaxThreadCount(1);
        QSemaphore release;
        pool->start([&release] { release.acquire(); });
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/bert-large.yaml")));
        LayerScheduleTab tab(&session);
        // Declared after the tab so that it runs first: the tab's destructor waits for its job,
        // which cannot start while the blocker holds the only thread.
        const auto unblock = qScopeGuard([&] {
            release.release();
            pool->waitForDone();
            pool->setMaxThreadCount(threads);
        });
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
        timer.start(5);
        tab.show();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 5, scaledMs(5000));
        QVERIFY(tab.isRunning());
        QCOMPARE(ready.count(), 0);
        release.release();
        QVERIFY(ready.wait(scaledMs(120'000)));
        QVERIFY(!tab.layers().empty());
    }

    void destroyingWhileRunningCancels()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt3-175b.yaml")));
        QElapsedTimer clock;
        {
            LayerScheduleTab tab(&session);
            tab.show();
            QVERIFY(tab.isRunning());
            clock.start();
        }
        QVERIFY2(clock.elapsed() < scaledMs(15'000), "the destructor waited for a full solve");
    }
};

QTEST_MAIN(TestLayerScheduleTab)
#include "test_layerscheduletab.moc"
