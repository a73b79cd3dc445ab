#pragma once

// Runs the `phaze` binary as a user would, for the CLI tests (header-only: every test file is
// its own binary).

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

#include <source_location>

#include "tests/support/testtiming.h"

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// The exit code of a run that timed out or crashed: no test expects it, so a test that only
// checks "exit code != 0" does not pass on a hang or a crash (which also record a failure).
inline constexpr int kRunDidNotExit = -1000;

// How long one run may take by default (scaled: sanitizer builds run ~20x slower).
inline int defaultRunTimeoutMs()
{
    return testsupport::scaledMs(300000);
}

// Waits for a started process and collects what it wrote. A run that does not end within
// timeoutMs is killed; a run that crashed (killed by a signal: a segfault, an abort) has no exit
// code. Both record a failure in the current test function at `where` and give kRunDidNotExit,
// with the reason at the start of err.
inline Run finishRun(QProcess &p, const QStringList &args, int timeoutMs,
                     std::source_location where = std::source_location::current())
{
    using namespace Qt::StringLiterals;
    QString failure;
    if (!p.waitForStarted(timeoutMs)) {
        failure = u"phaze %1 did not start: %2"_s.arg(args.join(u' '), p.errorString());
    } else if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(testsupport::scaledMs(10000));
        failure =
            u"phaze %1 did not finish within %2 ms: killed"_s.arg(args.join(u' ')).arg(timeoutMs);
    } else if (p.exitStatus() == QProcess::CrashExit) {
        // On Unix QProcess gives the signal's number as the exit code of a crash.
        failure = u"phaze %1 crashed (signal %2)"_s.arg(args.join(u' ')).arg(p.exitCode());
    }
    Run r{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
    if (!failure.isEmpty()) {
        // The message ends with the last thing the program said before it stopped.
        const QString message =
            r.err.isEmpty() ? failure : failure + u"; its stderr ends:\n"_s + r.err.right(600);
        QTest::qFail(qPrintable(message), where.file_name(), int(where.line()));
        r.exitCode = kRunDidNotExit;
        r.err = failure + u'\n' + r.err;
    }
    return r;
}

inline Run phaze(const QStringList &args, int timeoutMs = defaultRunTimeoutMs(),
                 std::source_location where = std::source_location::current())
{
    QProcess p;
    p.start(QStringLiteral(PHAZE_CLI), args);
    return finishRun(p, args, timeoutMs, where);
}

inline QJsonObject readJson(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object();
}
