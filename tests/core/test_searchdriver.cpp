// The search driver on synthetic evaluators: exact pruning never changes the best or the
// area/HBM Pareto fronts (and the result says which fronts are exact), results do not depend on
// the thread count, shards merge into the single-search result, journals resume, cancellation
// stops.

#include <QtTest>

#include <cmath>
#include <thread>

#include "core/io/searchjson.h"
#include "core/search/pareto.h"
#include "core/search/searchdriver.h"
#include "tests/support/testtiming.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

std::vector<Candidate> makeCandidates(std::size_t n)
{
    std::vector<Candidate> out;
    for (std::size_t i = 0; i < n; ++i) {
        Candidate c;
        c.index = i;
        c.config.numTc = 1 << (i % 5);
        c.config.tcWidth = 16 << (i % 4);
        c.config.hbmBytes = double((i % 3) + 1) * (1ull << 34);
        c.areaMm2 = 100.0 + double((i * 7919) % 250);
        out.push_back(c);
    }
    return out;
}

// Deterministic pseudo-random throughput; every 11th candidate is infeasible.
double throughputOf(const Candidate &c)
{
    const double x = std::sin(double(c.index) * 12.9898) * 43758.5453;
    return 1000.0 + 500.0 * (x - std::floor(x)) + c.areaMm2;
}

Evaluation evaluate(const Candidate &c, const CancelToken &)
{
    Evaluation e;
    e.candidate = c.index;
    e.config = c.config;
    e.areaMm2 = c.areaMm2;
    if (c.index % 11 == 5) {
        e.status = Status::Infeasible;
        e.message = "does not fit";
        return e;
    }
    e.status = Status::Optimal;
    e.throughput = throughputOf(c);
    e.energyPerSample = 1.0 / e.throughput + 1e-3 * double(c.index % 7);
    ModelOutcome m;
    m.model = "synthetic";
    m.status = Status::Optimal;
    m.throughput = e.throughput;
    m.dataParallel = 4;
    m.pipelineStages = 2;
    m.tensorParallel = 1;
    m.microbatch = 1;
    m.stages = {{{-1, 0, 1}, 1}, {{2, 3}, 1}};
    e.models.push_back(m);
    return e;
}

double bound(const Candidate &c)
{
    return throughputOf(c) * 1.1 + 1.0;
}

std::vector<std::size_t> frontCandidates(const SearchResult &r, const std::vector<std::size_t> &f)
{
    std::vector<std::size_t> out;
    for (std::size_t i : f)
        out.push_back(r.evaluations[i].candidate);
    return out;
}

} // namespace

class TestSearchDriver : public QObject
{
    Q_OBJECT

private slots:
    void exactMatchesBruteForce()
    {
        const auto candidates = makeCandidates(400);
        SearchOptions all;
        const SearchResult brute = runSearch(candidates, evaluate, {}, all);
        QCOMPARE(brute.counts.evaluated, size_t(400));
        QCOMPARE(brute.counts.pruned, size_t(0));
        SearchOptions fronts;
        fronts.exactFronts = true;
        const SearchResult exact = runSearch(candidates, evaluate, bound, fronts);
        QVERIFY(exact.counts.pruned > 100); // the bound is tight enough to prune
        const SearchResult bestOnly = runSearch(candidates, evaluate, bound, all);
        QVERIFY(bestOnly.counts.pruned > exact.counts.pruned);
        QCOMPARE(bestOnly.evaluations[*bestOnly.best].candidate,
                 brute.evaluations[*brute.best].candidate);
        QCOMPARE(exact.counts.evaluated + exact.counts.pruned, size_t(400));
        QVERIFY(brute.best && exact.best);
        QCOMPARE(exact.evaluations[*exact.best].candidate,
                 brute.evaluations[*brute.best].candidate);
        QCOMPARE(frontCandidates(exact, exact.frontArea), frontCandidates(brute, brute.frontArea));
        QCOMPARE(frontCandidates(exact, exact.frontHbm), frontCandidates(brute, brute.frontHbm));
        // What the result remembers, and which of its fronts frontIsExact calls exact.
        QVERIFY(exact.exactFronts && !bestOnly.exactFronts && !brute.exactFronts);
        QVERIFY(frontIsExact(brute, ParetoAxis::EnergyPerSample)); // nothing pruned
        QVERIFY(frontIsExact(exact, ParetoAxis::Area));
        QVERIFY(frontIsExact(exact, ParetoAxis::HbmSize));
        QVERIFY(!frontIsExact(exact, ParetoAxis::EnergyPerSample));
        QVERIFY(!frontIsExact(bestOnly, ParetoAxis::Area));
        SearchResult cancelled = exact;
        cancelled.status = Status::Cancelled;
        QVERIFY(!frontIsExact(cancelled, ParetoAxis::Area));
        QCOMPARE(exact.counts.infeasible,
                 size_t(std::count_if(exact.evaluations.begin(), exact.evaluations.end(),
                                      [](const Evaluation &e) { return !e.feasible(); })));
    }

    void paretoFrontIsNonDominated()
    {
        const auto candidates = makeCandidates(300);
        const SearchResult r = runSearch(candidates, evaluate, {}, {});
        for (ParetoAxis axis :
             {ParetoAxis::Area, ParetoAxis::HbmSize, ParetoAxis::EnergyPerSample}) {
            const auto front = paretoFront(r.evaluations, axis);
            QVERIFY(!front.empty());
            for (std::size_t i : front)
                for (const Evaluation &other : r.evaluations) {
                    if (!other.feasible())
                        continue;
                    const bool dominated =
                        other.throughput >= r.evaluations[i].throughput &&
                        paretoValue(other, axis) <= paretoValue(r.evaluations[i], axis) &&
                        (other.throughput > r.evaluations[i].throughput ||
                         paretoValue(other, axis) < paretoValue(r.evaluations[i], axis));
                    QVERIFY(!dominated);
                }
        }
    }

    void sameResultForAnyThreadCount()
    {
        const auto candidates = makeCandidates(300);
        SearchOptions one, two;
        one.threads = 1;
        two.threads = 2;
        const SearchResult a = runSearch(candidates, evaluate, bound, one);
        const SearchResult b = runSearch(candidates, evaluate, bound, two);
        QCOMPARE(searchResultToCsv(a), searchResultToCsv(b));
        QCOMPARE(a.counts.pruned, b.counts.pruned);
    }

    void shardsMergeIntoTheSingleResult()
    {
        const auto candidates = makeCandidates(300);
        SearchOptions fronts;
        fronts.exactFronts = true;
        const SearchResult single = runSearch(candidates, evaluate, bound, fronts);
        const SearchResult singleBest = runSearch(candidates, evaluate, bound, {});
        QCOMPARE(singleBest.evaluations[*singleBest.best].candidate,
                 single.evaluations[*single.best].candidate);
        SearchResult merged;
        for (int shard = 0; shard < 3; ++shard) {
            std::vector<Candidate> part;
            for (std::size_t i : shardIndices(candidates.size(), shard, 3))
                part.push_back(candidates[i]);
            const SearchResult r = runSearch(part, evaluate, bound, fronts);
            // Through JSON, as `phaze merge` reads the parts.
            const Result<SearchResult> back = searchResultFromJson(searchResultToJson(r), "part");
            QVERIFY(back.ok());
            QVERIFY(back.value->exactFronts);
            merged.evaluations.insert(merged.evaluations.end(), back.value->evaluations.begin(),
                                      back.value->evaluations.end());
        }
        std::sort(
            merged.evaluations.begin(), merged.evaluations.end(),
            [](const Evaluation &a, const Evaluation &b) { return a.candidate < b.candidate; });
        finishResult(merged);
        QCOMPARE(merged.evaluations[*merged.best].candidate,
                 single.evaluations[*single.best].candidate);
        QCOMPARE(merged.evaluations[*merged.best].throughput,
                 single.evaluations[*single.best].throughput);
        QCOMPARE(frontCandidates(merged, merged.frontArea),
                 frontCandidates(single, single.frontArea));
        QCOMPARE(frontCandidates(merged, merged.frontHbm),
                 frontCandidates(single, single.frontHbm));
        QCOMPARE(shardIndices(10, 1, 3), (std::vector<std::size_t>{1, 4, 7}));
        QVERIFY(shardIndices(10, 3, 3).empty());
    }

    void journalResumesToTheSameResult()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(u"search.jsonl"_s).toStdString();
        const auto candidates = makeCandidates(200);
        const SearchResult full = runSearch(candidates, evaluate, bound, {});

        // First run dies after 10 evaluations (the journal write fails from then on).
        SearchJournal journal;
        QVERIFY(journal.open(path, "fp1", false).ok());
        int written = 0;
        SearchOptions dying;
        dying.onEvaluation = [&](const Evaluation &e) -> Outcome {
            if (written == 10)
                return Outcome::error("killed");
            ++written;
            return journal.append(e);
        };
        const SearchResult partial = runSearch(candidates, evaluate, bound, dying);
        QCOMPARE(partial.status, Status::Error);
        journal.close();
        // Simulate a kill mid-line: a truncated last line.
        {
            std::FILE *f = std::fopen(path.c_str(), "ab");
            std::fputs("{\"candidate\": 12, \"conf", f);
            std::fclose(f);
        }
        const Result<std::vector<Evaluation>> resumed = SearchJournal::read(path, "fp1");
        QVERIFY2(resumed.ok(), resumed.message.c_str());
        QCOMPARE(resumed.value->size(), size_t(10));
        const Result<std::vector<Evaluation>> other = SearchJournal::read(path, "other");
        QCOMPARE(other.status, Status::Error);
        QVERIFY(other.message.find("another search") != std::string::npos);
        QCOMPARE(other.diagnostics.front().file, path);

        SearchOptions again;
        again.resumed = *resumed.value;
        const SearchResult finished = runSearch(candidates, evaluate, bound, again);
        QCOMPARE(finished.counts.resumed, size_t(10));
        QCOMPARE(searchResultToCsv(finished), searchResultToCsv(full));
    }

    // The progress counts a candidate as pruned as soon as it is certain to be (its bound is
    // below the best found), not only when the loop reaches it: without that, every pruned
    // candidate was counted in the last reports and the ETA before them was many times the
    // search's length. The final counts are the same; done never goes back.
    void progressCountsCertainPruningEarly()
    {
        const auto candidates = makeCandidates(400);
        SearchOptions options;
        options.threads = 1;
        options.batchSize = 8;
        std::vector<Progress> reports;
        const SearchResult r = runSearch(candidates, evaluate, bound, options,
                                         ProgressSink([&](const Progress &p) { reports.push_back(p); }));
        QVERIFY(r.counts.pruned > 200);
        QVERIFY(reports.size() > 3);
        const Progress &last = reports.back();
        QCOMPARE(last.done, (long long)(r.counts.evaluated + r.counts.pruned));
        QCOMPARE(last.pruned, (long long)r.counts.pruned);
        // Half-way through the evaluations, most of the pruning is already known.
        const std::size_t half = reports.size() / 2;
        QVERIFY2(reports[half].pruned > (long long)r.counts.pruned / 2,
                 qPrintable(u"%1 of %2 pruned half-way"_s.arg(reports[half].pruned)
                                .arg(r.counts.pruned)));
        for (std::size_t i = 1; i < reports.size(); ++i) {
            QVERIFY(reports[i].done >= reports[i - 1].done);
            QVERIFY(reports[i].pruned <= (long long)r.counts.pruned);
        }
        // The same search with exact fronts: nothing is looked ahead at, the counts still end right.
        options.exactFronts = true;
        std::vector<Progress> exactReports;
        const SearchResult e = runSearch(
            candidates, evaluate, bound, options,
            ProgressSink([&](const Progress &p) { exactReports.push_back(p); }));
        QCOMPARE(exactReports.back().pruned, (long long)e.counts.pruned);
    }

    void cancellationStopsQuickly()
    {
        const auto candidates = makeCandidates(100000);
        CancelToken cancel = CancelToken::create();
        auto slow = [](const Candidate &c, const CancelToken &t) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            return evaluate(c, t);
        };
        SearchOptions options;
        options.threads = 2;
        // Cancel once some results exist (not after a fixed time: slow machines and sanitizer
        // builds must pass too), and measure how long the search takes to return after that.
        QElapsedTimer sinceCancel;
        ProgressSink progress([&](const Progress &p) {
            if (p.done >= 64 && !cancel.isCancelled()) {
                sinceCancel.start();
                cancel.cancel();
            }
        });
        const SearchResult r = runSearch(candidates, slow, {}, options, progress, cancel);
        QVERIFY(sinceCancel.isValid());
        const qint64 latency = sinceCancel.elapsed();
        QCOMPARE(r.status, Status::Cancelled);
        QVERIFY(r.counts.evaluated < candidates.size());
        QVERIFY(r.best); // the best so far is kept
        QVERIFY2(latency < testsupport::scaledMs(200), qPrintable(QString::number(latency)));
    }

    void phazeStrategyStopsByItsRule()
    {
        // Throughput grows with area: the largest bucket wins at once and the next five
        // buckets never beat it, so PHAZE stops after 5 buckets.
        std::vector<Candidate> candidates;
        for (std::size_t i = 0; i < 50; ++i) {
            Candidate c;
            c.index = i;
            c.areaMm2 = 10.0 + double(i);
            candidates.push_back(c);
        }
        auto byArea = [](const Candidate &c, const CancelToken &) {
            Evaluation e;
            e.candidate = c.index;
            e.areaMm2 = c.areaMm2;
            e.status = Status::Optimal;
            e.throughput = c.areaMm2;
            return e;
        };
        SearchOptions options;
        options.strategy = SearchStrategy::Phaze;
        options.phazeBucketArea = 1.0;
        const SearchResult r = runSearch(candidates, byArea, {}, options);
        QCOMPARE(r.counts.evaluated, size_t(5));
        QCOMPARE(r.counts.skipped, size_t(45));
        QCOMPARE(r.evaluations[*r.best].candidate, size_t(49));
    }

    void csvHasOneRowPerEvaluatedModel()
    {
        const SearchResult r = runSearch(makeCandidates(20), evaluate, {}, {});
        const std::string csv = searchResultToCsv(r);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 21L);
        QVERIFY(csv.find("\"does not fit\"") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSearchDriver)
#include "test_searchdriver.moc"
