#pragma once

// For the widget tests: spins the event loop until a condition holds (the background jobs
// deliver through queued signals), within a timeout that scales like every time bound in the
// tests (testtiming.h).

#include <QElapsedTimer>
#include <QTest>

#include <functional>

#include "tests/support/testtiming.h"

namespace testsupport {

// True once done() holds; false after timeoutMs (scaled) without it.
inline bool waitFor(const std::function<bool()> &done, int timeoutMs = 60000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > scaledMs(timeoutMs))
            return false;
        QTest::qWait(10);
    }
    return true;
}

} // namespace testsupport
