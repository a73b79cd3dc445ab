// Replaying a candidate's placement gives back the evaluation's strategy and time per batch,
// and its pipeline timeline agrees with the closed form.

#include <QtTest>

#include "core/evaluation/evaluator.h"
#include "core/evaluation/placementreplay.h"
#include "core/io/projectfile.h"
#include "core/io/projectprepare.h"
#include "core/io/projectsearch.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestPlacementReplay : public QObject
{
    Q_OBJECT

private slots:
    void replayMatchesEvaluation()
    {
        const std::string dir = PHAZE_SOURCE_DIR "/examples";
        const Result<ProjectSpec> load = loadProjectFile(dir + "/quick-search.yaml");
        QVERIFY(load.value);
        const ProjectSpec &project = *load.value;
        auto candidates = buildCandidates(project, dir);
        QVERIFY2(candidates.hasValue(), candidates.message.c_str());
        const Result<std::shared_ptr<const PreparedProject>> prepared =
            prepareProject(project, dir);
        QVERIFY2(prepared.value, prepared.message.c_str());
        Evaluator evaluator(*prepared.value);
        // A few candidates spread over the list: different widths, depths and HBM sizes.
        for (std::size_t i :
             {std::size_t(0), candidates.value->size() / 2, candidates.value->size() - 1}) {
            const Evaluation e = evaluator.evaluate((*candidates.value)[i]);
            QVERIFY(e.feasible());
            const Result<PlacementReplay> r = replayPlacement(evaluator, e, 0);
            QVERIFY2(r.hasValue(), r.message.c_str());
            const ModelOutcome &m = e.models.front();
            const Placement &p = r.value->placement;
            QCOMPARE(int(p.stages.size()), m.pipelineStages);
            QCOMPARE(p.dataParallel, m.dataParallel);
            QCOMPARE(p.timePerBatch, m.timePerBatch);
            const PipelineTimeline &t = r.value->timeline;
            QCOMPARE(t.closedForm, m.timePerBatch);
            // The closed form charges every slot the largest load, so the simulated pipeline
            // never takes longer; the all-reduces of later stages may end after the first's.
            QVERIFY2(
                t.pipelineMakespan <= (p.timePerBatch - p.allReduceTime) * (1 + 1e-9),
                qPrintable(u"pipeline %1 > closed form %2 - all-reduce %3"_s.arg(t.pipelineMakespan)
                               .arg(p.timePerBatch)
                               .arg(p.allReduceTime)));
            QVERIFY(t.makespan >= t.pipelineMakespan);
            QVERIFY(t.pipelineMakespan > 0.0);
            std::size_t blocks = 0;
            for (const TimelineEvent &ev : t.events)
                blocks += ev.kind != TimelineKind::AllReduce;
            QCOMPARE(blocks, 2 * p.stages.size() * std::size_t(p.microbatchesPerPipeline));
        }
    }

    void badModelIndexIsAnError()
    {
        const Result<ProjectSpec> load =
            loadProjectFile(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");
        const Result<std::shared_ptr<const PreparedProject>> prepared =
            prepareProject(*load.value, PHAZE_SOURCE_DIR "/examples");
        QVERIFY2(prepared.value, prepared.message.c_str());
        const Result<PlacementReplay> r =
            replayPlacement(Evaluator(*prepared.value), Evaluation{}, 3);
        QCOMPARE(r.status, Status::Error);
    }
};

QTEST_GUILESS_MAIN(TestPlacementReplay)
#include "test_placementreplay.moc"
