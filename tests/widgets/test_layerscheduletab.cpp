// The Layer schedule tab: the schedules are solved off the GUI thread, every drawn Gantt bar is
// an operator of the schedule at its start and end (intra-operator ones on every core row), and
// the chart exports to PNG, PDF and SVG.

#include <QtTest>

#include <QTemporaryDir>

#include "widgets/ganttplot.h"
#include "widgets/layerscheduletab.h"
#include "widgets/session.h"

using namespace phaze;

class TestLayerScheduleTab : public QObject
{
    Q_OBJECT

private slots:
    void barsMatchTheSchedule()
    {
        Session session;
        QVERIFY(session.open(PHAZE_SOURCE_DIR "/examples/bert-large.yaml"));
        LayerScheduleTab tab(&session);
        tab.resize(1100, 520);
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        // The event loop keeps turning while the job runs.
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
        timer.start(10);
        tab.show(); // solving starts when the tab is visible
        QVERIFY(tab.isRunning());
        QVERIFY(ready.wait(120'000));
        QVERIFY2(ticks > 0, "the GUI thread was blocked");
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
        QVERIFY(tab.gantt()->describe(found).contains("µs"));

        QTemporaryDir dir;
        for (const char *suffix : {"png", "pdf", "svg"}) {
            const QString path = dir.filePath(QString("schedule.") + suffix);
            QCOMPARE(tab.exportPlot(path, 1000, 500), QString());
            QVERIFY(QFileInfo(path).size() > 1000);
        }
        QVERIFY(!tab.exportPlot(dir.filePath("schedule.txt"), 100, 100).isEmpty());
        // The screenshot for the documentation (copied to docs/images/schedule.png).
        QVERIFY(tab.grab().save(PHAZE_BINARY_DIR "/schedule.png"));
    }

    void withoutArchitectureSaysWhy()
    {
        Session session;
        QVERIFY(session.open(PHAZE_SOURCE_DIR "/examples/quick-search.yaml"));
        LayerScheduleTab tab(&session);
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        tab.show();
        QTRY_COMPARE(ready.count(), 1);
        QVERIFY(tab.layers().empty());
        QVERIFY(tab.statusText().contains("architecture"));
    }

    void destroyingWhileRunningCancels()
    {
        Session session;
        QVERIFY(session.open(PHAZE_SOURCE_DIR "/examples/gpt3-175b.yaml"));
        QElapsedTimer clock;
        {
            LayerScheduleTab tab(&session);
            tab.show();
            QVERIFY(tab.isRunning());
            clock.start();
        }
        QVERIFY2(clock.elapsed() < 15'000, "the destructor waited for a full solve");
    }
};

QTEST_MAIN(TestLayerScheduleTab)
#include "test_layerscheduletab.moc"
