#pragma once

// The seed of a test that draws random cases (header-only, plain C++). Every such test starts
// from a fixed seed of its own, so that the same commit gives the same verdict on every run,
// and prints the seed it used; PHAZE_TEST_SEED=N draws other cases (the same N replays them).
// N replaces every default seed of the binary: a failure reported with seed N is reproduced by
// running the binary (or just the failing function) with PHAZE_TEST_SEED=N.

#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Not in namespace phaze: the CLI tests call a global function phaze() (tests/cli/clirunner.h).
namespace testsupport {

// defaultSeed unless PHAZE_TEST_SEED is set; what names the draw in the printed line.
inline std::uint32_t testSeed(const char *what, std::uint32_t defaultSeed)
{
    std::uint32_t seed = defaultSeed;
    const char *text = std::getenv("PHAZE_TEST_SEED");
    if (text && *text) {
        char *end = nullptr;
        const unsigned long long value = std::strtoull(text, &end, 0);
        if (*end != '\0' || text[0] == '-' || value > 0xffffffffull) {
            std::fprintf(stderr, "PHAZE_TEST_SEED=%s: expected a whole number below 2^32\n", text);
            std::exit(EXIT_FAILURE);
        }
        seed = std::uint32_t(value);
    }
    // stdout, flushed, like the Qt Test log: the line appears inside the test function's output.
    std::printf("%s: seed %u (%s; PHAZE_TEST_SEED=%u replays it)\n", what, unsigned(seed),
                text && *text ? "from PHAZE_TEST_SEED" : "the default", unsigned(seed));
    std::fflush(stdout);
    return seed;
}

} // namespace testsupport
