// Replays a fuzz target's seed corpus without libFuzzer, so that every committed input (seeds
// and the minimized crashes that were fixed) is a regression test in any build, GCC included.
// Usage: fuzzreplay_<target> DIR_OR_FILE...

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputsOf(const fs::path &arg)
{
    std::vector<fs::path> out;
    if (fs::is_directory(arg)) {
        for (const fs::directory_entry &e : fs::directory_iterator(arg))
            if (e.is_regular_file())
                out.push_back(e.path());
        std::sort(out.begin(), out.end()); // a stable order makes failures reproducible
    } else {
        out.push_back(arg);
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    int count = 0;
    double slowest = 0.0;
    std::string slowestName;
    for (int a = 1; a < argc; ++a) {
        if (!fs::exists(argv[a])) {
            std::fprintf(stderr, "error: %s does not exist\n", argv[a]);
            return 2;
        }
        for (const fs::path &path : inputsOf(argv[a])) {
            std::ifstream in(path, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                          std::istreambuf_iterator<char>()};
            // Printed first so that a crash names the input that caused it.
            std::fprintf(stderr, "replay %s (%zu bytes)\n", path.c_str(), bytes.size());
            const auto start = std::chrono::steady_clock::now();
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                                   bytes.size());
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (seconds > slowest) {
                slowest = seconds;
                slowestName = path.filename().string();
            }
            ++count;
        }
    }
    if (count == 0) {
        std::fprintf(stderr, "error: no inputs found\n");
        return 2;
    }
    std::printf("%d inputs replayed; slowest %s took %.3f s\n", count, slowestName.c_str(),
                slowest);
    return 0;
}
