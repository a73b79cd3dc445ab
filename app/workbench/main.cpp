// phaze-workbench: the desktop workbench. `phaze-workbench [PROJECT.yaml] [--screenshot OUT.png]`

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>

#include <iostream>

#include "app/workbench/mainwindow.h"
#include "core/io/resourcepaths.h"
#include "widgets/searchjob.h"
#include "widgets/session.h"

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Q_INIT_RESOURCE(resources); // the .qrc lives in the static phaze_widgets library
    QApplication::setApplicationName("phaze-workbench");
    QApplication::setOrganizationName("phaze");
    QApplication::setApplicationVersion(PHAZE_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Co-design a DL training accelerator and its device placement");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("project", "Project file to open (default: the bundled project)");
    QCommandLineOption screenshot("screenshot", "Load, render, save a PNG of the window and exit.",
                                  "FILE.png");
    parser.addOption(screenshot);
    QCommandLineOption search("search", "Run the project's search first (with --screenshot).");
    parser.addOption(search);
    parser.process(app);

    phaze::Session session;
    phaze::MainWindow window(&session);
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

    if (parser.isSet(screenshot)) {
        window.show();
        if (parser.isSet(search)) {
            // Wait on the job's own signal: the search runs on the pool, the loop keeps turning.
            QEventLoop wait;
            QObject::connect(window.searchJob(), &phaze::SearchJob::finished, &wait,
                             &QEventLoop::quit);
            if (window.searchJob()->start())
                wait.exec();
            window.showExplore();
        }
        QApplication::processEvents();
        const QString out = parser.value(screenshot);
        if (!window.grab().save(out)) {
            std::cerr << "cannot write screenshot " << out.toStdString() << "\n";
            return 1;
        }
        return loaded ? 0 : 2;
    }
    window.restoreLayout();
    window.show();
    return app.exec();
}
