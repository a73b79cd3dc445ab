// phaze-workbench: the desktop workbench.
//   phaze-workbench [PROJECT.yaml] [--search | --shards DIR|JOURNAL...]
//                   [--screenshot OUT.png [--tab NAME]] [--colour-by PARAM] [--log x|y|xy]
//                   [--validation FILE] [--pin K] [--sweep PARAM[=V1,V2,...]]
//                   [--export-figures DIR [--size 3.5x2.6in] [--dpi 300] [--format pdf,svg,png]
//                                     [--legend below|inside|none]]

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLineEdit>
#include <QPixmap>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "app/workbench/figurerequest.h"
#include "app/workbench/mainwindow.h"
#include "core/io/resourcepaths.h"
#include "widgets/colourgroups.h"
#include "widgets/paretoplot.h"
#include "widgets/pinnedtab.h"
#include "widgets/recoveryfile.h"
#include "widgets/resultstore.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"
#include "widgets/shardwatch.h"
#include "widgets/sweeptab.h"
#include "widgets/validationview.h"
#include "widgets/whatifjob.h"

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Q_INIT_RESOURCE(resources); // the .qrc lives in the static phaze_widgets library
    QApplication::setApplicationName(u"phaze-workbench"_s);
    QApplication::setOrganizationName(u"phaze"_s);
    QApplication::setApplicationVersion(QStringLiteral(PHAZE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Co-design a DL training accelerator and its device placement"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"project"_s,
                                 u"Project file to open (default: the bundled project)"_s);
    QCommandLineOption screenshot(
        u"screenshot"_s, u"Load, evaluate, render a PNG of the window and exit."_s, u"FILE.png"_s);
    QCommandLineOption search(u"search"_s,
                              u"Run the project's search first (with --screenshot)."_s);
    QCommandLineOption tab(u"tab"_s,
                           u"Tab to show in the screenshot: explore, results, schedule, pipeline, "
                           u"memory, time, compare, chip, pinned, sweep, validation or project, "
                           u"or a view inside one: roofline (Layer schedule), pinned-pipelines "
                           u"(Pinned) (default: explore after --search, else project)."_s,
                           u"NAME"_s);
    QCommandLineOption shards(
        u"shards"_s,
        u"Show a search split over a cluster as one search of the project, live, from the "
        u"shards' journals (a folder of *.jsonl, or one journal; repeatable)."_s,
        u"DIR"_s);
    QCommandLineOption exportFigures(
        u"export-figures"_s,
        u"Load (and search, with --search), write every figure into DIR offscreen and exit: "
        u"the same figures as File > Export > All Figures, for a paper's Makefile."_s,
        u"DIR"_s);
    QCommandLineOption figureSize(u"size"_s,
                                  u"Figure size for --export-figures, WxH in inches (3.5x2.6in) "
                                  u"or millimetres (89x66mm); default 3.5x2.6in."_s,
                                  u"WxH"_s, u"3.5x2.6in"_s);
    QCommandLineOption figureDpi(u"dpi"_s, u"PNG resolution for --export-figures (default 300)."_s,
                                 u"N"_s, u"300"_s);
    QCommandLineOption figureFormat(
        u"format"_s,
        u"Formats for --export-figures: pdf, svg, png, comma-separated (default all)."_s, u"LIST"_s,
        u"pdf,svg,png"_s);
    QCommandLineOption figureLegend(
        u"legend"_s,
        u"Legends of --export-figures: below the axes, inside them (top right) or none "
        u"(default below)."_s,
        u"WHERE"_s, u"below"_s);
    QCommandLineOption colourBy(
        u"colour-by"_s,
        u"Colour the Explore plot's points by a parameter: "_s +
            phaze::colourByKeys().join(u", "_s) +
            u" (tp, pp, dp: the best placement of the first model). Default none."_s,
        u"PARAM"_s);
    QCommandLineOption logAxes(u"log"_s, u"Logarithmic axes in the Explore plot: x, y or xy."_s,
                               u"AXES"_s);
    QCommandLineOption validation(
        u"validation"_s,
        u"Open a validation file of published training runs in the Validation tab: the model's "
        u"predictions against the measurements (docs/validation.md)."_s,
        u"FILE"_s);
    QCommandLineOption pin(u"pin"_s,
                           u"With --screenshot or --export-figures: pin the best design of each "
                           u"of the K fastest compute configurations of the search (cores, "
                           u"arrays, lanes; without --search: the project's architecture) for "
                           u"the Pinned tab and the sweep."_s,
                           u"K"_s);
    QCommandLineOption sweep(
        u"sweep"_s,
        u"With --screenshot or --export-figures: sweep a parameter for the pinned designs (else "
        u"the focused one) in the Sweep tab, e.g. cluster.inter_node_bandwidth=12.5GB/s,25GB/s "
        u"(without values: five around the current one)."_s,
        u"PARAM[=VALUES]"_s);
    parser.addOptions({screenshot, search, tab, shards, exportFigures, figureSize, figureDpi,
                       figureFormat, figureLegend, colourBy, logAxes, validation, pin, sweep});
    parser.process(app);

    std::optional<phaze::FigureRequest> figures;
    if (parser.isSet(exportFigures)) {
        QString why;
        figures = phaze::parseFigureRequest(parser.value(exportFigures), parser.value(figureSize),
                                            parser.value(figureDpi), parser.value(figureFormat),
                                            parser.value(figureLegend), &why);
        if (!figures) {
            std::cerr << "phaze-workbench: " << why.toStdString() << "\n";
            return 2;
        }
    }

    std::optional<phaze::ColourBy> colouring;
    if (parser.isSet(colourBy)) {
        colouring = phaze::colourByFromKey(parser.value(colourBy));
        if (!colouring) {
            std::cerr << "phaze-workbench: unknown --colour-by \""
                      << parser.value(colourBy).toStdString()
                      << "\"; use one of: " << phaze::colourByKeys().join(u", "_s).toStdString()
                      << "\n";
            return 2;
        }
    }
    const QString logValue = parser.value(logAxes).toLower();
    if (parser.isSet(logAxes) && logValue != u"x"_s && logValue != u"y"_s && logValue != u"xy"_s) {
        std::cerr << "phaze-workbench: --log takes x, y or xy, not \"" << logValue.toStdString()
                  << "\"\n";
        return 2;
    }

    phaze::Session session;
    phaze::MainWindow window(&session);
    if (colouring)
        window.explorePlot()->setColourBy(*colouring);
    if (parser.isSet(logAxes)) {
        window.explorePlot()->setLogX(logValue.contains(u'x'));
        window.explorePlot()->setLogY(logValue.contains(u'y'));
    }
    if (parser.isSet(tab) && !window.viewNames().contains(parser.value(tab).toLower())) {
        std::cerr << "phaze-workbench: unknown tab \"" << parser.value(tab).toStdString()
                  << "\"; use one of: " << window.viewNames().join(u", "_s).toStdString() << "\n";
        return 2;
    }
    int pinCount = 0;
    if (parser.isSet(pin)) {
        bool ok = false;
        pinCount = parser.value(pin).toInt(&ok);
        if (!ok || pinCount < 1 || pinCount > 64) {
            std::cerr << "phaze-workbench: --pin takes a count from 1 to 64, not \""
                      << parser.value(pin).toStdString() << "\"\n";
            return 2;
        }
    }
    const QString sweepValue = parser.value(sweep);
    const QString sweepParameter = sweepValue.section(u'=', 0, 0).trimmed();
    const QString sweepValues = sweepValue.section(u'=', 1);
    const QStringList positional = parser.positionalArguments();
    const QString project = positional.isEmpty()
                                ? QString::fromStdString(phaze::defaultProjectPath())
                                : positional.first();
    bool loaded = true;
    if (!project.isEmpty() && QFileInfo::exists(project)) {
        loaded = window.openProject(project);
    } else if (!positional.isEmpty()) {
        loaded = window.openProject(project); // shows "cannot open" in the problems panel
    }
    if (!loaded)
        for (const phaze::Diagnostic &d : session.problems())
            std::cerr << d.format() << "\n";

    const QStringList shardPaths = parser.values(shards);
    if (!shardPaths.isEmpty() && loaded)
        window.openShardSet(shardPaths);
    if (parser.isSet(validation))
        window.validationView()->openFile(parser.value(validation));

    if (parser.isSet(screenshot) || figures) {
        window.setSavesResults(false); // nothing is left behind but the PNG or the figures
        window.show();
        window.whatIfJob()->evaluateNow();
        // Everything below runs from the application's event loop (app.exec() at the end): the
        // search and the views report through queued signals, and nothing here waits in a loop
        // of its own.
        const QString out = parser.value(screenshot);
        const QString tabName = parser.isSet(tab) ? parser.value(tab) : QString();
        const int exitCode = loaded ? 0 : 2;
        const auto writeFigures = [&window, figures, exitCode] {
            QObject::connect(
                &window, &phaze::MainWindow::figuresExported, &window,
                [exitCode](const QStringList &written, const QStringList &errors) {
                    for (const QString &w : written)
                        std::cout << w.toStdString() << "\n";
                    for (const QString &e : errors)
                        std::cerr << "phaze-workbench: " << e.toStdString() << "\n";
                    QCoreApplication::exit(errors.isEmpty() ? exitCode : 1);
                },
                Qt::SingleShotConnection);
            window.whenIdle([&window, figures](bool) {
                window.exportAllFigures(figures->folder, figures->suffixes, figures->widthInches,
                                        figures->heightInches, figures->dpi, figures->legend);
            });
        };
        // Pins and a sweep, once the search or the what-if run has given them something.
        const auto pinAndSweep = [&session, &window, pinCount, sweepParameter,
                                  sweepValues](std::function<void()> next) {
            if (pinCount == 0 && sweepParameter.isEmpty()) {
                next();
                return;
            }
            window.whenIdle([&session, &window, pinCount, sweepParameter, sweepValues, next](bool) {
                phaze::ResultStore *store = session.results();
                if (pinCount > 0)
                    store->pinFastestConfigurations(pinCount);
                if (!sweepParameter.isEmpty()) {
                    phaze::SweepTab *tab = window.sweepTab();
                    if (!tab->setParameter(sweepParameter)) {
                        std::cerr << "phaze-workbench: --sweep: \"" << sweepParameter.toStdString()
                                  << "\" is not a parameter this project's profile can sweep\n";
                        QCoreApplication::exit(2);
                        return;
                    }
                    if (!sweepValues.isEmpty())
                        tab->valuesEdit()->setText(sweepValues);
                    QObject::connect(
                        tab, &phaze::SweepTab::sweepFinished, tab,
                        [](phaze::Status status, const QString &message) {
                            if (status == phaze::Status::Error ||
                                status == phaze::Status::Infeasible)
                                std::cerr << "phaze-workbench: --sweep: " << message.toStdString()
                                          << "\n";
                        },
                        Qt::SingleShotConnection);
                    tab->runSweep();
                }
                next();
            });
        };
        const auto shoot = [&window, out, tabName, exitCode, figures, writeFigures, pinAndSweep] {
            pinAndSweep([&window, out, tabName, exitCode, figures, writeFigures] {
                if (figures) {
                    writeFigures();
                    return;
                }
                if (!tabName.isEmpty())
                    window.showTab(tabName);
                window.whenIdle([&window, out, exitCode](bool idle) {
                    if (!idle)
                        std::cerr << "phaze-workbench: still computing after "
                                  << phaze::MainWindow::kIdleTimeoutMs / 1000
                                  << " s; the screenshot shows the state so far\n";
                    if (!window.screenshot().save(out)) {
                        std::cerr << "cannot write screenshot " << out.toStdString() << "\n";
                        QCoreApplication::exit(1);
                        return;
                    }
                    QCoreApplication::exit(exitCode);
                });
            });
        };
        if (!shardPaths.isEmpty() && loaded) {
            // The first reading of the shards (or why there is none), then the views.
            auto shot = std::make_shared<bool>(false);
            QObject::connect(window.shardWatch(), &phaze::ShardWatch::updated, &window,
                             [&session, &window, shoot, shot] {
                                 if (std::exchange(*shot, true))
                                     return;
                                 session.results()->selectRow(session.results()->bestRow());
                                 window.showExplore();
                                 shoot();
                             });
            QObject::connect(window.shardWatch(), &phaze::ShardWatch::failed, &window,
                             [shoot, shot](const QString &why) {
                                 std::cerr << "phaze-workbench: " << why.toStdString() << "\n";
                                 if (!std::exchange(*shot, true))
                                     shoot();
                             });
        } else if (parser.isSet(search)) {
            QObject::connect(
                window.searchJob(), &phaze::SearchJob::finished, &window,
                [&session, &window, shoot] {
                    // The detail tabs show the selected configuration: the best one found.
                    session.results()->selectRow(session.results()->bestRow());
                    window.showExplore();
                    shoot();
                },
                Qt::SingleShotConnection);
            if (!window.searchJob()->start())
                shoot();
        } else {
            shoot();
        }
        return app.exec();
    }
    window.restoreLayout();
    window.show();
    // Unsaved edits survive a crash: offer what a previous run left, then keep our own.
    const QString recovery = phaze::RecoveryFile::defaultDirectory();
    window.enableRecovery(recovery);
    // Beside the recovery files: the journals of searches, so that an unfinished one resumes.
    window.enableSearchJournals(QFileInfo(recovery).absolutePath() + u"/search-journals"_s);
    window.offerRecovery(recovery);
    return app.exec();
}
