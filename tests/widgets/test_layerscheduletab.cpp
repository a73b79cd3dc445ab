// The Layer schedule tab: the schedules are solved off the GUI thread, every drawn Gantt bar is
// an operator of the schedule at its start and end (intra-operator ones on every core row), and
// the chart exports to PNG, PDF and SVG. Identical cores fold into one counted row (thousands of
// cores give a few rows), expand to one row per core, and the row labels never overlap.

#include <QtTest>

#include <QCheckBox>
#include <QDir>
#include <QFontMetricsF>
#include <QTemporaryDir>

#include <algorithm>
#include <set>
#include <tuple>

#include <qcustomplot.h>

#include "core/io/scheduletrace.h"

#include "tests/support/testtiming.h"
#include "widgets/ganttplot.h"
#include "widgets/layerscheduletab.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

namespace {

// The smallest distance in pixels between two drawn row labels, and the pixels a label needs.
double labelGap(const GanttPlot &gantt)
{
    const std::vector<int> &rows = gantt.labelledRows();
    double gap = 1e9;
    for (std::size_t i = 1; i < rows.size(); ++i)
        gap = std::min(gap, std::abs(gantt.plot()->yAxis->coordToPixel(rows[i]) -
                                     gantt.plot()->yAxis->coordToPixel(rows[i - 1])));
    return gap;
}

double labelHeight(const GanttPlot &gantt)
{
    return QFontMetricsF(gantt.plot()->yAxis->tickLabelFont()).lineSpacing();
}

// What a core holds in the schedule (independently of the chart): (op, start, end) triples.
using Held = std::set<std::tuple<int, double, double>>;
std::vector<Held> heldByCore(const ScheduleProblem &problem, const Schedule &schedule)
{
    std::vector<Held> held(std::size_t(problem.numTc + problem.numVc));
    for (const ScheduledOp &s : schedule.ops) {
        if (!(s.end > s.start) || problem.ops[std::size_t(s.op)].kind == ScheduleOpKind::Collective)
            continue;
        for (std::size_t c = 0; c < held.size(); ++c) {
            const bool tc = int(c) < problem.numTc;
            const int index = tc ? int(c) : int(c) - problem.numTc;
            if (s.mode == OpMode::Intra || (tc ? s.tcCore : s.vcCore) == index)
                held[c].insert({s.op, s.start, s.end});
        }
    }
    return held;
}

} // namespace

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
                // The pass's achieved FLOP/s over the chip's peak: its FLOPs over its makespan,
                // never above the peak (the roofline), and said above the chart.
                QVERIFY(tab.passFlops() && *tab.passFlops() > 0.0);
                const std::optional<double> efficiency = tab.passEfficiency();
                QVERIFY(efficiency);
                QCOMPARE(*efficiency,
                         *tab.passFlops() / pass->latency() / tab.config()->peakFlops());
                QVERIFY2(*efficiency > 0.0 && *efficiency <= 1.0,
                         qPrintable(tab.efficiencyText()));
                QVERIFY(tab.efficiencyText().contains(
                    u"%1% of the chip's peak"_s.arg(100.0 * *efficiency, 0, 'f', 1)));
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
                        QCOMPARE(int(b.cores.size()), cores);
                        ++intraBars;
                    } else if (op.tcCore >= 0) {
                        QCOMPARE(b.cores.front(), op.tcCore);
                    }
                    // Drawn on the rows of its cores, folded or not.
                    for (int core : b.cores) {
                        const auto &rows = tab.gantt()->rows();
                        const auto row = std::find_if(rows.begin(), rows.end(), [&](auto &r) {
                            return std::count(r.cores.begin(), r.cores.end(), core) > 0;
                        });
                        QVERIFY(row != rows.end());
                        const int drawn = int(row - rows.begin());
                        QCOMPARE(int(std::count(b.rows.begin(), b.rows.end(), drawn)), 1);
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

        // The roofline of every pass: one point per operator with FLOPs and HBM traffic, at
        // the cost model's numbers, none above its class's roof (vector FLOPs are element
        // operations; a fused GEMM + epilogue may add its vector work to the tensor peak).
        tab.setShowsRoofline(true);
        const RooflineRoofs roofs{tab.config()->peakFlops(),
                                  double(tab.config()->numVc) * tab.config()->vcWidth *
                                      tab.config()->frequency,
                                  tab.config()->hbmBandwidth};
        for (int layer = 0; layer < int(tab.layers().size()); ++layer) {
            for (bool backward : {false, true}) {
                tab.setLayerIndex(layer);
                tab.setShowsBackward(backward);
                const std::vector<RooflinePoint> &points = tab.roofline()->drawnPoints();
                QVERIFY(!points.empty());
                for (const RooflinePoint &p : points) {
                    const double roof = p.core == CoreClass::TCVC
                                            ? roofs.attainable(CoreClass::TC, p.intensity()) +
                                                  roofs.vectorPeak
                                            : roofs.attainable(p.core, p.intensity());
                    QVERIFY2(p.achieved() <= roof * (1 + 1e-9), qPrintable(p.name));
                }
                QVERIFY(tab.roofline()->noteText().contains(QString::number(points.size())));
            }
        }
        tab.setLayerIndex(bestLayer); // the pass with the most operators, for the screenshot
        tab.setShowsBackward(bestBackward);
        QTemporaryDir roofDir;
        QCOMPARE(tab.exportPlot(roofDir.filePath(u"roofline.pdf"_s), 504, 374), QString());
        QVERIFY(QFileInfo(roofDir.filePath(u"roofline.pdf"_s)).size() > 1000);
        QVERIFY(tab.grab().save(QStringLiteral(PHAZE_BINARY_DIR "/roofline.png")));
        tab.setShowsRoofline(false);

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

    void manyCoresFoldIntoCountedRows()
    {
        // 4,096 TCs and 2,048 VCs: two TCs and one VC run single-core operators (TC 1 and TC 3
        // at the same times, but different operators), one operator is split over the whole
        // chip, one collective runs on the links; the other cores only join the split one.
        ScheduleProblem problem;
        problem.numTc = 4096;
        problem.numVc = 2048;
        auto op = [](const char *name, ScheduleOpKind kind) {
            return ScheduleOp{.name = name,
                              .kind = kind,
                              .latency = 1e-6,
                              .intraLatency = 1e-7,
                              .energy = 0.0,
                              .intraEnergy = 0.0};
        };
        problem.ops = {op("qkv", ScheduleOpKind::TC), op("proj", ScheduleOpKind::TC),
                       op("softmax", ScheduleOpKind::VC), op("ffn", ScheduleOpKind::TC),
                       op("allreduce", ScheduleOpKind::Collective)};
        Schedule schedule;
        schedule.ops = {
            {.op = 0, .mode = OpMode::Single, .start = 0, .end = 4e-6, .tcCore = 1, .vcCore = -1},
            {.op = 1, .mode = OpMode::Single, .start = 0, .end = 4e-6, .tcCore = 3, .vcCore = -1},
            {.op = 2,
             .mode = OpMode::Single,
             .start = 4e-6,
             .end = 6e-6,
             .tcCore = -1,
             .vcCore = 0},
            {.op = 3,
             .mode = OpMode::Intra,
             .start = 6e-6,
             .end = 1e-5,
             .tcCore = -1,
             .vcCore = -1},
            {.op = 4, .mode = OpMode::Single, .start = 0, .end = 1e-5, .tcCore = -1, .vcCore = -1}};
        schedule.makespan = 1e-5;

        GanttPlot gantt;
        gantt.resize(1000, 520);
        gantt.show();
        QVERIFY(QTest::qWaitForWindowExposed(&gantt));
        QVERIFY(gantt.isFolded());
        gantt.setSchedule(problem, schedule);
        QCOMPARE(gantt.rowLabels(), QStringList({u"TC ×4094"_s, u"TC 1"_s, u"TC 3"_s, u"VC 0"_s,
                                                 u"VC 1–2047 (×2047)"_s, u"Links"_s}));
        std::vector<std::size_t> counts;
        for (const GanttRow &r : gantt.rows())
            counts.push_back(r.cores.size());
        QCOMPARE(counts, (std::vector<std::size_t>{4094, 1, 1, 1, 2047, 1}));
        QCOMPARE(gantt.rows()[0].cores[1], 2); // TC 0, TC 2, TC 4, ...: not one run
        QCOMPARE(gantt.rows()[4].cores.front(), 4096 + 1);
        // Every bar is drawn, the split one over every core row, each on the rows of its cores.
        QCOMPARE(gantt.bars().size(), std::size_t(5));
        QCOMPARE(gantt.bars()[3].rows, (std::vector<int>{0, 1, 2, 3, 4}));
        QCOMPARE(gantt.bars()[3].cores.size(), std::size_t(6144));
        QCOMPARE(gantt.bars()[0].rows, std::vector<int>{1});
        QCOMPARE(gantt.bars()[2].rows, std::vector<int>{3});
        QCOMPARE(gantt.bars()[4].rows, std::vector<int>{5});
        // Six rows fit: every one is labelled.
        QCOMPARE(gantt.labelledRows(), (std::vector<int>{0, 1, 2, 3, 4, 5}));
        QVERIFY(labelGap(gantt) >= labelHeight(gantt));
        // Hovering the split operator on the folded row finds it.
        QCOMPARE(gantt.barAt(gantt.pixelOf(3)), 3);

        gantt.setFolded(false);
        QCOMPARE(gantt.rows().size(), std::size_t(6145));
        QCOMPARE(gantt.rowLabels()[4095], u"TC 4095"_s);
        QCOMPARE(gantt.rowLabels()[4096], u"VC 0"_s);
        QCOMPARE(gantt.rowLabels().back(), u"Links"_s);
        QCOMPARE(gantt.bars()[1].rows, std::vector<int>{3});
        QCOMPARE(gantt.bars()[3].rows.size(), std::size_t(6144));
        // 6,145 rows in about 450 pixels: labels are thinned so that none overlap.
        const double axisHeight = gantt.plot()->axisRect()->height();
        const std::size_t labels = gantt.labelledRows().size();
        qInfo("%zu of 6145 rows labelled in %.0f px", labels, axisHeight);
        QVERIFY(labels >= 5);
        QVERIFY(labels <= std::size_t(axisHeight / labelHeight(gantt)) + 1);
        QVERIFY(labelGap(gantt) >= labelHeight(gantt));
        gantt.setFolded(true);
        QCOMPARE(gantt.rows().size(), std::size_t(6));
    }

    void manyCoreDesignInTheTab()
    {
        // BERT-Large on a chip of 4,096 TCs and 2,048 VCs, through the engine.
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/bert-large.yaml")));
        Evaluation e;
        e.candidate = 1;
        e.config = session.project().architecture->config;
        e.config.numTc = 4096;
        e.config.numVc = 2048;
        session.results()->addEvaluation(e);
        session.results()->selectRow(0);
        LayerScheduleTab tab(&session);
        tab.resize(1100, 560);
        QSignalSpy ready(&tab, &LayerScheduleTab::scheduleReady);
        tab.show();
        QVERIFY(ready.wait(scaledMs(300'000)));
        QVERIFY2(!tab.layers().empty(), qPrintable(tab.statusText()));
        QCOMPARE(tab.config()->numTc, 4096);
        QVERIFY(!tab.expandsCores());
        const PassSchedule *pass = tab.currentPass();
        QVERIFY(pass && pass->hasSchedule());
        const Schedule &schedule = pass->result->value->schedule;
        const int cores = 4096 + 2048;
        const GanttPlot &gantt = *tab.gantt();
        const std::size_t links = gantt.rowLabels().back() == u"Links"_s ? 1 : 0;

        // Folded: a few rows whose counts add up to the chip, and a row's cores hold exactly
        // the same operators over the same intervals; cores of different rows differ.
        const std::vector<Held> held = heldByCore(pass->problem, schedule);
        QVERIFY2(gantt.rows().size() <= 40, qPrintable(gantt.rowLabels().join(u", "_s)));
        std::size_t total = 0;
        std::set<std::pair<bool, Held>> seen;
        for (std::size_t r = 0; r + links < gantt.rows().size(); ++r) {
            const GanttRow &row = gantt.rows()[r];
            total += row.cores.size();
            for (int c : row.cores)
                QVERIFY(held[std::size_t(c)] == held[std::size_t(row.cores.front())]);
            QVERIFY(seen.insert({row.cores.front() < 4096, held[std::size_t(row.cores.front())]})
                        .second);
            if (row.cores.size() > 1)
                QVERIFY2(gantt.rowLabels()[int(r)].contains(u"×%1"_s.arg(row.cores.size())),
                         qPrintable(gantt.rowLabels()[int(r)]));
        }
        QCOMPARE(total, std::size_t(cores));
        QVERIFY(labelGap(gantt) >= labelHeight(gantt));
        QVERIFY(QDir().mkpath(QStringLiteral(PHAZE_BINARY_DIR "/screenshots")));
        QVERIFY(tab.grab().save(
            QStringLiteral(PHAZE_BINARY_DIR "/screenshots/schedule-6144-cores.png")));

        // Expanded: one row per core; labels still never overlap.
        auto *expand = tab.findChild<QCheckBox *>(u"expandCores"_s);
        QVERIFY(expand);
        expand->click();
        QVERIFY(tab.expandsCores());
        QCOMPARE(gantt.rows().size(), std::size_t(cores) + links);
        QVERIFY(gantt.labelledRows().size() < std::size_t(cores) / 10);
        QVERIFY(labelGap(gantt) >= labelHeight(gantt));
        QVERIFY(tab.grab().save(
            QStringLiteral(PHAZE_BINARY_DIR "/screenshots/schedule-6144-cores-expanded.png")));

        // The Chrome trace (File > Export) still has a track for every core.
        const std::string trace = layerSchedulesToTrace(tab.layers()).toJson();
        QVERIFY(trace.find("\"TC 4095\"") != std::string::npos);
        QVERIFY(trace.find("\"VC 2047\"") != std::string::npos);
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
