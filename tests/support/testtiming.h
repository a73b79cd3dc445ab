#pragma once

// The one scale of every time threshold in the tests (header-only, plain C++: usable from the
// Qt tests and from tests without Qt). A bound on how long something may take, and a timeout
// for an event a test waits for, are written as the figure for an optimised build on an idle
// machine and pass through scaledMs() / scaledSeconds(), so that a slow machine or an
// instrumented build makes them longer instead of turning a pass into a failure.
//
// PHAZE_TEST_TIME_SCALE=N (a whole number >= 1) sets the factor; ./test.sh --sanitize passes 20.
// Unset, it is 1, except in a build that the compiler reports as sanitized (ASan, TSan) or that
// has no NDEBUG (Debug): those run several times slower, and get 20 without being told, so that
// e.g. a TSan build run without the variable keeps its verdicts too.

#include <climits>
#include <cstdio>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(NDEBUG)
#define PHAZE_TEST_SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PHAZE_TEST_SLOW_BUILD 1
#endif
#endif

// Not in namespace phaze: the CLI tests call a global function phaze() (tests/cli/clirunner.h).
namespace testsupport {

#ifdef PHAZE_TEST_SLOW_BUILD
inline constexpr int kDefaultTimeScale = 20;
#else
inline constexpr int kDefaultTimeScale = 1;
#endif

// The factor, read once. A value that is not a whole number >= 1 stops the test: a misspelt
// scale silently ignored would bring back the verdicts that depend on the machine.
inline int timeScale()
{
    static const int scale = [] {
        const char *text = std::getenv("PHAZE_TEST_TIME_SCALE");
        if (!text || !*text)
            return kDefaultTimeScale;
        char *end = nullptr;
        const long value = std::strtol(text, &end, 10);
        if (*end != '\0' || value < 1 || value > 100000) {
            std::fprintf(stderr, "PHAZE_TEST_TIME_SCALE=%s: expected a whole number >= 1\n", text);
            std::exit(EXIT_FAILURE);
        }
        return int(value);
    }();
    return scale;
}

// A threshold or timeout in milliseconds, scaled: for QSignalSpy::wait, QTRY_*_WITH_TIMEOUT,
// QProcess::waitForFinished and bounds on QElapsedTimer::elapsed(). Saturates at INT_MAX.
inline int scaledMs(long long ms)
{
    const long long scaled = ms * timeScale();
    return scaled > INT_MAX ? INT_MAX : int(scaled);
}

inline double scaledSeconds(double seconds)
{
    return seconds * timeScale();
}

} // namespace testsupport
