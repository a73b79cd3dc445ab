// The Accelerator dock and the workbench's "best": the area it shows is computed with the
// project's technology file (and a broken file is reported, not replaced by the defaults), and
// the best it installs with "Use best found" is the engine's best, tie-breaks included.

#include <QtTest>

#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>

#include <algorithm>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/arch/technology.h"
#include "core/base/units.h"
#include "core/io/projectsearch.h"
#include "core/io/technologyfile.h"
#include "core/search/searchdriver.h"
#include "tests/support/testtiming.h"
#include "widgets/acceleratorpanel.h"
#include "widgets/resultstore.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/whatifjob.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

// A copy of `source` in dir with `from` replaced by `to` (which must occur).
bool copyWith(const QString &source, const QString &target, const QByteArray &from,
              const QByteArray &to)
{
    QByteArray text = readAll(source);
    if (!text.contains(from))
        return false;
    return writeAll(target, text.replace(from, to));
}

} // namespace

class TestAcceleratorPanel : public QObject
{
    Q_OBJECT

private slots:
    // A project with its own technology file: the dock's area is chipArea with that table,
    // not with the built-in one.
    void areaUsesTheProjectsTechnology()
    {
        QTemporaryDir dir;
        QVERIFY(copyWith(QStringLiteral(PHAZE_SOURCE_DIR "/resources/technology/default.yaml"),
                         dir.filePath(u"tech.yaml"_s), "mac: 600 um2", "mac: 1500 um2"));
        QVERIFY(copyWith(QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml"),
                         dir.filePath(u"p.yaml"_s), "technology: default",
                         "technology: tech.yaml"));
        Session session;
        QVERIFY(session.open(dir.filePath(u"p.yaml"_s)));
        AcceleratorPanel panel(&session);
        QVERIFY(session.project().architecture);
        const AcceleratorConfig &config = session.project().architecture->config;

        const Result<TechnologyTable> tech = resolveTechnology("tech.yaml", session.baseDir());
        QVERIFY2(tech.value, formatAll(tech.diagnostics).c_str());
        const double expected = chipArea(config, *tech.value);
        const double withDefaults = chipArea(config, defaultTechnology());
        QVERIFY(panel.areaMm2());
        QCOMPARE(*panel.areaMm2(), expected);
        QVERIFY2(std::abs(expected - withDefaults) > 1.0,
                 qPrintable(u"%1 vs %2 mm2"_s.arg(expected).arg(withDefaults)));
        auto *summary = panel.findChild<QLabel *>(u"acceleratorSummary"_s);
        QVERIFY(summary);
        QVERIFY2(summary->text().contains(
                     QString::fromStdString(formatHuman(expected, Dimension::Area))),
                 qPrintable(summary->text()));
        QVERIFY2(summary->text().contains(u"tech.yaml"_s), qPrintable(summary->text()));
        // The power at peak with the same table (the project's profile is the system's), and
        // both breakdowns in the tooltip, the per-core terms among them.
        QCOMPARE(session.project().training.profile, ModelProfile::System);
        const QString watts =
            QString::fromStdString(formatHuman(peakPower(config, *tech.value), Dimension::Power));
        QVERIFY2(summary->text().contains(u"Power at peak</b> "_s + watts),
                 qPrintable(summary->text()));
        QVERIFY2(summary->toolTip().contains(u"on-chip network routers"_s) &&
                     summary->toolTip().contains(u"static (leakage, idle clock)"_s),
                 qPrintable(summary->toolTip()));
        // Under PHAZE's profile the chip pays nothing per core: a smaller area.
        QCOMPARE(session.setField(u"training"_s, u"profile"_s, u"phaze"_s), QString());
        QVERIFY(*panel.areaMm2() < expected);
        QCOMPARE(*panel.areaMm2(),
                 chipArea(config, technologyForProfile(*tech.value, ModelProfile::Phaze)));
        QCOMPARE(session.setField(u"training"_s, u"profile"_s, u"system"_s), QString());
        QCOMPARE(*panel.areaMm2(), expected);

        // An architecture edit recomputes the area with the same table.
        QCOMPARE(session.setField(u"architecture"_s, u"num_tc"_s, u"4"_s), QString());
        QCOMPARE(session.project().architecture->config.numTc, 4);
        QCOMPARE(*panel.areaMm2(), chipArea(session.project().architecture->config, *tech.value));

        // The file is read when the project is opened or its `technology:` changes, not on
        // every edit: a change on disk shows after the project is opened again.
        QVERIFY(copyWith(QStringLiteral(PHAZE_SOURCE_DIR "/resources/technology/default.yaml"),
                         dir.filePath(u"tech.yaml"_s), "mac: 600 um2", "mac: 3000 um2"));
        QCOMPARE(session.setField(u"architecture"_s, u"num_tc"_s, u"2"_s), QString());
        QCOMPARE(*panel.areaMm2(), chipArea(session.project().architecture->config, *tech.value));
        QVERIFY(session.open(dir.filePath(u"p.yaml"_s)));
        const Result<TechnologyTable> changed = resolveTechnology("tech.yaml", session.baseDir());
        QVERIFY(changed.value);
        QCOMPARE(*panel.areaMm2(),
                 chipArea(session.project().architecture->config, *changed.value));
        QVERIFY(*panel.areaMm2() > expected);

        // Back to the built-in table.
        QCOMPARE(session.setField(u"technology"_s, QString(), u"default"_s), QString());
        QCOMPARE(*panel.areaMm2(),
                 chipArea(session.project().architecture->config, defaultTechnology()));
    }

    // A technology file that cannot be read is reported in the dock, not replaced silently by
    // the built-in table.
    void brokenTechnologyIsReported()
    {
        QTemporaryDir dir;
        QVERIFY(writeAll(dir.filePath(u"broken.yaml"_s),
                         "phaze_technology: 1\narea:\n  mac: 600 GB/s\n"));
        QVERIFY(QFile::copy(QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml"),
                            dir.filePath(u"p.yaml"_s)));
        Session session;
        QVERIFY(session.open(dir.filePath(u"p.yaml"_s)));
        AcceleratorPanel panel(&session);
        QVERIFY(panel.areaMm2());
        ProjectSpec project = session.project();
        project.technology = "broken.yaml";
        session.replaceProject(project);
        QVERIFY(!panel.areaMm2());
        auto *summary = panel.findChild<QLabel *>(u"acceleratorSummary"_s);
        QVERIFY(summary);
        // The located error of the file: broken.yaml:3:8: area.mac: ... is a bandwidth.
        QVERIFY2(summary->text().contains(u"unknown: "_s) &&
                     summary->text().contains(u"broken.yaml:3:"_s) &&
                     summary->text().contains(u"is a bandwidth"_s),
                 qPrintable(summary->text()));
        project.technology = "no-such-file.yaml";
        session.replaceProject(project);
        QVERIFY(!panel.areaMm2());
        QVERIFY2(summary->text().contains(u"unknown: "_s) &&
                     summary->text().contains(dir.filePath(u"no-such-file.yaml"_s)),
                 qPrintable(summary->text()));
    }

    // quick-search with the HBM sizes in falling order: its best throughput is reached at both
    // sizes, and the engine breaks the tie for the smaller HBM (betterEvaluation), which is not
    // the first candidate with that throughput. The workbench's best, as the search streams in
    // and once it has finished, and what "Use best found" installs, are that one.
    void bestIsTheEnginesBest()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ties.yaml"_s);
        QVERIFY(copyWith(QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml"), path,
                         "hbm_sizes: [16 GiB, 32 GiB]", "hbm_sizes: [64 GiB, 32 GiB]"));
        Session session;
        QVERIFY(session.open(path));

        CodesignOptions options;
        options.threads = 1;
        const Result<CodesignResult> direct =
            runCodesign(session.project(), session.baseDir(), options);
        QVERIFY2(direct.hasValue(), direct.message.c_str());
        const SearchResult &engine = direct.value->search;
        QVERIFY(engine.best);
        const Evaluation &engineBest = engine.evaluations[*engine.best];
        // The case is a tie: an earlier candidate has the same throughput.
        const auto firstAtBest = std::find_if(
            engine.evaluations.begin(), engine.evaluations.end(), [&](const Evaluation &e) {
                return e.feasible() && e.throughput == engineBest.throughput;
            });
        QVERIFY(firstAtBest != engine.evaluations.end());
        QVERIFY2(firstAtBest->candidate != engineBest.candidate,
                 qPrintable(u"no tie: candidate %1"_s.arg(engineBest.candidate)));

        // Streamed in either order, the store's best is the engine's.
        for (const bool reversed : {false, true}) {
            ResultStore store;
            std::vector<Evaluation> stream = engine.evaluations;
            if (reversed)
                std::reverse(stream.begin(), stream.end());
            for (const Evaluation &e : stream)
                store.addEvaluation(e);
            QVERIFY(store.bestRow() >= 0);
            QCOMPARE(store.evaluations()[std::size_t(store.bestRow())].candidate,
                     engineBest.candidate);
            QCOMPARE(store.searchResult().best, std::optional(std::size_t(store.bestRow())));
        }

        AcceleratorPanel panel(&session);
        auto *useBest = panel.findChild<QPushButton *>(u"useBestArchitecture"_s);
        QVERIFY(useBest);
        QVERIFY(!useBest->isEnabled());
        SearchJob job(&session);
        QSignalSpy finished(&job, &SearchJob::finished);
        QVERIFY(job.start());
        QVERIFY(finished.wait(scaledMs(60000)));
        QCOMPARE(job.lastStatus(), Status::Optimal);
        const ResultStore *store = session.results();
        QVERIFY(store->result());
        QCOMPARE(store->result()->search.best, engine.best);
        QCOMPARE(store->bestRow(), int(*engine.best));
        QCOMPARE(store->evaluations()[std::size_t(store->bestRow())].candidate,
                 engineBest.candidate);

        QVERIFY(useBest->isEnabled());
        useBest->click();
        QVERIFY(session.project().architecture);
        QVERIFY(session.project().architecture->config == engineBest.config);
        QCOMPARE(session.project().architecture->config.hbmBytes, engineBest.config.hbmBytes);
        QVERIFY(session.project().architecture->config != firstAtBest->config);
    }

    // The what-if runs for the project the session starts with (the default one when the file
    // given failed to load), so the dock never shows "evaluating..." for an evaluation nothing
    // started; and the HBM the dock names is what the what-if evaluates: the project's
    // training.hbm_sizes, the throughput at the best of them.
    void whatIfRunsAtStartAndNamesItsHbm()
    {
        Session session;
        QVERIFY(!session.open(u"/nonexistent/project.yaml"_s));
        AcceleratorPanel panel(&session);
        WhatIfJob whatIf(&session);
        auto *text = panel.findChild<QLabel *>(u"acceleratorWhatIf"_s);
        QVERIFY(text);
        const ResultStore *store = session.results();
        QTRY_VERIFY_WITH_TIMEOUT(!whatIf.isPending() &&
                                     (store->whatIfEvaluation() || !store->whatIfError().isEmpty()),
                                 scaledMs(120000));
        QVERIFY2(!text->text().contains(u"evaluating"_s), qPrintable(text->text()));

        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/bert-large.yaml")));
        const std::vector<double> &sizes = session.project().training.hbmSizes;
        QVERIFY(sizes.size() > 1);
        QVERIFY(session.project().architecture);
        QTRY_VERIFY_WITH_TIMEOUT(!whatIf.isPending() && store->whatIfEvaluation(),
                                 scaledMs(120000));
        const double hbm = store->whatIfEvaluation()->config.hbmBytes;
        QVERIFY(std::find(sizes.begin(), sizes.end(), hbm) != sizes.end());
        auto *summary = panel.findChild<QLabel *>(u"acceleratorSummary"_s);
        QStringList listed;
        for (double size : sizes)
            listed << QString::fromStdString(formatHuman(size, Dimension::Bytes));
        QVERIFY2(summary->text().contains(listed.join(u", "_s)), qPrintable(summary->text()));
        const QString at = u"at HBM "_s + QString::fromStdString(formatHuman(hbm, Dimension::Bytes));
        QVERIFY2(text->text().contains(at) && text->text().contains(u"best of"_s),
                 qPrintable(text->text()));
    }
};

QTEST_MAIN(TestAcceleratorPanel)
#include "test_acceleratorpanel.moc"
