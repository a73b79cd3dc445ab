// The pipeline timeline: 1F1B and GPipe simulated microbatch by microbatch.

#include <QtTest>

#include "core/placement/pipelinetimeline.h"
#include "test_placement_support.h"

using namespace phaze;

namespace {

Placement uniform(int stages, int microbatches, double f, double b)
{
    Placement p;
    p.microbatchesPerPipeline = microbatches;
    for (int i = 0; i < stages; ++i) {
        PlacedStage s;
        s.layers = {i};
        s.position = stages - i;
        s.forward = f;
        s.backward = b;
        s.load = f + b;
        s.parameterBytes = 1000;
        p.stages.push_back(s);
    }
    p.maxLoad = f + b;
    p.timePerBatch = (f + b) * (microbatches + stages - 1);
    return p;
}

} // namespace

class TestPlacementTimeline : public QObject
{
    Q_OBJECT

private slots:
    void uniformStagesMatchTheClosedForm_data()
    {
        QTest::addColumn<int>("stages");
        QTest::addColumn<int>("microbatches");
        QTest::addColumn<bool>("gpipe");
        for (bool gpipe : {false, true}) {
            for (auto [s, m] : {std::pair{1, 1}, {2, 2}, {4, 8}, {5, 3}, {8, 32}})
                QTest::addRow("%s S=%d m=%d", gpipe ? "gpipe" : "1f1b", s, m) << s << m << gpipe;
        }
    }

    void uniformStagesMatchTheClosedForm()
    {
        QFETCH(int, stages);
        QFETCH(int, microbatches);
        QFETCH(bool, gpipe);
        const Placement p = uniform(stages, microbatches, 1.0, 2.0);
        const PipelineTimeline t =
            simulatePipeline(p, gpipe ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB, 1.0);
        QCOMPARE(t.events.size(), std::size_t(2 * stages * microbatches)); // d = 1: no sync
        QCOMPARE(t.pipelineMakespan, 3.0 * (microbatches + stages - 1));
        QCOMPARE(t.makespan, t.closedForm);
        QVERIFY(std::abs(t.bubbleFraction - double(stages - 1) / (microbatches + stages - 1)) <
                1e-12);
        // Dependencies: a forward after the previous stage's, a backward after the next one's.
        std::map<std::tuple<int, int, int>, std::pair<double, double>> at;
        for (const TimelineEvent &e : t.events)
            at[{e.stage, e.microbatch, int(e.kind)}] = {e.start, e.end};
        const auto end = [&](int stage, int k, int kind) {
            return at[std::make_tuple(stage, k, kind)].second;
        };
        for (const TimelineEvent &e : t.events) {
            if (e.kind == TimelineKind::Forward && e.stage > 0)
                QVERIFY(e.start >= end(e.stage - 1, e.microbatch, 0));
            if (e.kind == TimelineKind::Backward && e.stage + 1 < stages)
                QVERIFY(e.start >= end(e.stage + 1, e.microbatch, 1));
            if (e.kind == TimelineKind::Backward)
                QVERIFY(e.start >= end(e.stage, e.microbatch, 0));
        }
    }

    void allReduceAfterTheLastBackward()
    {
        Placement p = uniform(3, 4, 1.0, 2.0);
        p.dataParallel = 4;
        const PipelineTimeline t = simulatePipeline(p, PipelineSchedule::OneFOneB, 100.0);
        int syncs = 0;
        for (const TimelineEvent &e : t.events) {
            if (e.kind != TimelineKind::AllReduce)
                continue;
            ++syncs;
            QCOMPARE(e.end - e.start, 4.0 * 3 * 1000 / 100.0 / 4); // 4 (d-1) P / (W d)
        }
        QCOMPARE(syncs, 3);
        QCOMPARE(t.makespan, t.pipelineMakespan + 30.0); // the first stage finishes last
    }

    void realPlacementNeverExceedsTheClosedFormPipeline()
    {
        for (const char *name : {"small-chain", "bert-like-tp", "gpt3-like-large"}) {
            const PlacementInput in =
                testing::loadInstance(std::string("phaze-dp/") + name + ".input.json");
            const Result<Placement> r = place(in);
            const Placement &p = *r.value;
            const PipelineTimeline t =
                simulatePipeline(p, PipelineSchedule::OneFOneB, in.bandwidth);
            const double closedPipeline =
                p.maxLoad * double(p.microbatchesPerPipeline + p.stages.size() - 1);
            QVERIFY(t.pipelineMakespan <= closedPipeline * (1 + 1e-12));
            QVERIFY(t.pipelineMakespan >= p.maxLoad * p.microbatchesPerPipeline);
            QVERIFY(t.bubbleFraction > 0.0 && t.bubbleFraction < 0.5);
        }
    }
};

QTEST_GUILESS_MAIN(TestPlacementTimeline)
#include "test_placement_timeline.moc"
