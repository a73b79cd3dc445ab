// The search job: runs the co-design search off the GUI thread, streams every evaluation into
// the session, keeps the event loop turning, and stops within 500 ms when cancelled. Started
// with exact fronts, the Explore plot draws the exact front (what phaze search --exact-fronts
// gives) and says so; without, it says the front is partial and how much was pruned.

#include <QtTest>

#include <QDir>

#include "core/io/projectsearch.h"
#include "tests/support/testtiming.h"
#include "widgets/paretoplot.h"
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

    void exactFrontsReachTheEngineAndThePlot_data()
    {
        QTest::addColumn<bool>("exact");
        QTest::newRow("default (pruned)") << false;
        QTest::newRow("exact fronts") << true;
    }

    void exactFrontsReachTheEngineAndThePlot()
    {
        QFETCH(bool, exact);
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        ParetoPlot plot(session.results());
        plot.resize(900, 600);
        SearchJob job(&session);
        QSignalSpy finished(&job, &SearchJob::finished);
        CodesignOptions options;
        options.exactFronts = exact;
        QVERIFY(job.start(options));
        QVERIFY(finished.wait(scaledMs(60000)));
        const ResultStore *store = session.results();
        QVERIFY(store->result().has_value());
        const SearchResult &search = store->result()->search;
        QCOMPARE(search.exactFronts, exact);

        // The front of phaze search --exact-fronts, through the core API, as candidate indices.
        CodesignOptions cli;
        cli.exactFronts = true;
        cli.baselines = false;
        const auto direct = runCodesign(session.project(), session.baseDir(), cli);
        QVERIFY2(direct.hasValue(), direct.message.c_str());
        const SearchResult &reference = direct.value->search;
        auto candidates = [](const std::vector<Evaluation> &all,
                             const std::vector<std::size_t> &rows) {
            std::vector<std::size_t> out;
            for (std::size_t row : rows)
                out.push_back(all[row].candidate);
            return out;
        };
        const std::vector<std::size_t> exactArea =
            candidates(reference.evaluations, reference.frontArea);
        const std::vector<std::size_t> exactHbm =
            candidates(reference.evaluations, reference.frontHbm);
        const std::vector<std::size_t> drawn = candidates(store->evaluations(), plot.frontRows());
        QVERIFY(search.counts.pruned > 0); // quick-search prunes in both modes

        if (exact) {
            QCOMPARE(drawn, exactArea);
            QVERIFY(plot.frontIsExact());
            QCOMPARE(plot.frontLabel(), u"Pareto front (exact)"_s);
            plot.setAxis(ParetoAxis::HbmSize);
            QCOMPARE(candidates(store->evaluations(), plot.frontRows()), exactHbm);
            QVERIFY(plot.frontIsExact());
            // The exact-fronts rule does not look at energy: that front stays partial.
            plot.setAxis(ParetoAxis::EnergyPerSample);
            QVERIFY(!plot.frontIsExact());
            QCOMPARE(plot.frontLabel(),
                     u"Pareto front of evaluated designs (%1 pruned: not exact in energy)"_s.arg(
                         search.counts.pruned));
            plot.setAxis(ParetoAxis::Area);
        } else {
            QVERIFY(!plot.frontIsExact());
            QCOMPARE(plot.frontLabel(),
                     u"Pareto front of evaluated designs (%1 pruned: not exact)"_s.arg(
                         search.counts.pruned));
            // What the label warns about: the pruned search misses the front's cheap end.
            QVERIFY(drawn != exactArea);
            QVERIFY(store->evaluations()[plot.frontRows().front()].areaMm2 >
                    reference.evaluations[reference.frontArea.front()].areaMm2);
        }
        qInfo("%s: %zu evaluated, %zu pruned, front of %zu (exact: %zu)",
              exact ? "exact fronts" : "default", search.counts.evaluated, search.counts.pruned,
              drawn.size(), exactArea.size());
        QVERIFY(QDir().mkpath(QStringLiteral(PHAZE_BINARY_DIR "/screenshots")));
        QVERIFY(plot.grab().save(QStringLiteral(PHAZE_BINARY_DIR "/screenshots/explore-") +
                                 (exact ? u"exact"_s : u"partial"_s) + u".png"_s));
    }

    void eventLoopTurnsAndCancelIsPrompt()
    {
        // GPT-2 XL over the full space runs for many minutes: it is still running when
        // cancelled.
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt2-xl.yaml")));
        ParetoPlot plot(session.results());
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
        // A cancelled search's front is never exact, exact fronts or not.
        QVERIFY(!plot.frontIsExact());
        QCOMPARE(plot.frontLabel(),
                 u"Pareto front of evaluated designs (search stopped: not exact)"_s);
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
