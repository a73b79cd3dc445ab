// Runs a fuzz target without libFuzzer, in any build (GCC included), in two ways:
//   fuzzreplay_<target> DIR_OR_FILE...
//       replays every committed input (seeds and the minimized crashes that were fixed): the
//       corpus as a regression test;
//   fuzzreplay_<target> --mutations N --seed S [--dict FILE] [--max-len B] DIR_OR_FILE...
//       also runs N mutants of those inputs, derived from the seed alone. This is the fuzzing
//       gate of ./test.sh: libFuzzer's own search follows coverage, which is not reproducible
//       from run to run (the targets' coverage depends on addresses and scheduling), so its
//       verdict could change between two runs of one commit; here the inputs depend only on the
//       corpus, the dictionary and the seed, and the same commit gives the same verdict on any
//       machine. `--only K` runs mutant K alone (the failure message names K).
// A failing input (an abort from a broken invariant, a crash, or one that runs over the
// per-input time limit) is written to the file named by PHAZE_FUZZ_ARTIFACT (default
// ./fuzz-failing-input) before the program dies, so that it can be rerun and minimized.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

namespace fs = std::filesystem;

using Bytes = std::vector<std::uint8_t>;

// The input being run, for the signal handler (which may only use async-signal-safe calls).
const Bytes *g_current = nullptr;
char g_label[128] = "";
char g_artifact[4096] = "fuzz-failing-input";
unsigned g_timeLimitSeconds = 60;

void writeCurrentInput(int signal)
{
    if (g_current) {
        const int fd = ::open(g_artifact, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            const std::uint8_t *p = g_current->data();
            std::size_t left = g_current->size();
            while (left > 0) {
                const ssize_t n = ::write(fd, p, left);
                if (n <= 0)
                    break;
                p += n;
                left -= std::size_t(n);
            }
            ::close(fd);
        }
        const char *what = signal == SIGALRM ? " ran over the time limit; it is in "
                                             : " failed; it is in ";
        [[maybe_unused]] ssize_t ignored = ::write(2, g_label, std::strlen(g_label));
        ignored = ::write(2, what, std::strlen(what));
        ignored = ::write(2, g_artifact, std::strlen(g_artifact));
        ignored = ::write(2, "\n", 1);
    }
    ::signal(signal, SIG_DFL);
    ::raise(signal == SIGALRM ? SIGABRT : signal);
}

void installHandlers()
{
    if (const char *path = std::getenv("PHAZE_FUZZ_ARTIFACT"))
        std::snprintf(g_artifact, sizeof g_artifact, "%s", path);
    for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM})
        ::signal(s, writeCurrentInput);
}

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

Bytes readBytes(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// libFuzzer's dictionary format: one "token" per line (optionally name="token"), with \\, \"
// and \xNN escapes; # starts a comment.
std::vector<Bytes> readDictionary(const fs::path &path)
{
    std::vector<Bytes> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const std::size_t open = line.find('"');
        const std::size_t close = line.rfind('"');
        if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open)
            continue;
        Bytes token;
        for (std::size_t i = open + 1; i < close; ++i) {
            if (line[i] == '\\' && i + 1 < close) {
                if (line[i + 1] == 'x' && i + 3 < close) {
                    token.push_back(std::uint8_t(std::stoi(line.substr(i + 2, 2), nullptr, 16)));
                    i += 3;
                } else {
                    token.push_back(std::uint8_t(line[++i]));
                }
            } else {
                token.push_back(std::uint8_t(line[i]));
            }
        }
        out.push_back(std::move(token));
    }
    return out;
}

// Mutants from a seed. std::mt19937_64's sequence is fixed by the C++ standard; the
// distributions are not (they differ between standard libraries), so ranges are reduced here.
class Mutator
{
public:
    Mutator(std::uint64_t seed, const std::vector<Bytes> &corpus, const std::vector<Bytes> &dict,
            std::size_t maxLength)
        : m_rng(seed), m_corpus(corpus), m_dict(dict), m_maxLength(maxLength)
    {
    }

    Bytes next()
    {
        Bytes data = m_corpus[below(m_corpus.size())];
        const std::size_t steps = 1 + below(4) + (below(4) == 0 ? below(8) : 0);
        for (std::size_t s = 0; s < steps; ++s)
            mutate(data);
        if (data.size() > m_maxLength)
            data.resize(m_maxLength);
        return data;
    }

private:
    std::size_t below(std::size_t n) { return n == 0 ? 0 : std::size_t(m_rng() % n); }

    // Bytes that break text formats and the readers' assumptions: quotes, separators, line
    // breaks, control characters, bytes that are not UTF-8, signs and digits.
    std::uint8_t interestingByte()
    {
        static const std::uint8_t bytes[] = {0x00, 0x05, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x80,
                                             0xbf, 0xc0, 0xc2, 0xe2, 0xed, 0xef, 0xf4, 0xff,
                                             '"',  '\'', '\\', ':',  ',',  '[',  ']',  '{',
                                             '}',  '-',  '#',  '&',  '*',  '!',  '0',  '9'};
        return bytes[below(sizeof bytes)];
    }

    const Bytes &token() { return m_dict[below(m_dict.size())]; }

    void mutate(Bytes &data)
    {
        const std::size_t n = data.size();
        const std::size_t at = below(n + 1);
        switch (below(n == 0 ? 2 : 10)) {
        case 0: // insert a dictionary token
            if (!m_dict.empty()) {
                const Bytes &t = token();
                data.insert(data.begin() + long(at), t.begin(), t.end());
                break;
            }
            [[fallthrough]];
        case 1: // insert interesting bytes
            data.insert(data.begin() + long(at), 1 + below(4), interestingByte());
            break;
        case 2: // flip a bit
            data[below(n)] ^= std::uint8_t(1u << below(8));
            break;
        case 3: // set a byte
            data[below(n)] = interestingByte();
            break;
        case 4: // a random byte
            data[below(n)] = std::uint8_t(m_rng());
            break;
        case 5: { // delete a range
            const std::size_t from = below(n);
            data.erase(data.begin() + long(from),
                       data.begin() + long(std::min(n, from + 1 + below(32))));
            break;
        }
        case 6: { // duplicate a range
            const std::size_t from = below(n);
            const Bytes piece(data.begin() + long(from),
                              data.begin() + long(std::min(n, from + 1 + below(64))));
            data.insert(data.begin() + long(below(n + 1)), piece.begin(), piece.end());
            break;
        }
        case 7: { // splice in part of another input
            const Bytes &other = m_corpus[below(m_corpus.size())];
            if (other.empty())
                break;
            const std::size_t from = below(other.size());
            const std::size_t length = 1 + below(std::min<std::size_t>(256, other.size() - from));
            data.insert(data.begin() + long(at), other.begin() + long(from),
                        other.begin() + long(from + length));
            break;
        }
        case 8: // overwrite with a dictionary token
            if (!m_dict.empty()) {
                const Bytes &t = token();
                const std::size_t from = below(n);
                const std::size_t length = std::min(n - from, t.size());
                std::copy(t.begin(), t.begin() + long(length), data.begin() + long(from));
                break;
            }
            [[fallthrough]];
        default: // truncate
            data.resize(below(n + 1));
            break;
        }
    }

    std::mt19937_64 m_rng;
    const std::vector<Bytes> &m_corpus;
    const std::vector<Bytes> &m_dict;
    std::size_t m_maxLength;
};

struct Timing {
    double slowest = 0.0;
    std::string slowestName;
};

void runOne(const Bytes &bytes, const std::string &name, Timing &timing)
{
    g_current = &bytes;
    ::alarm(g_timeLimitSeconds);
    const auto start = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::alarm(0);
    g_current = nullptr;
    if (seconds > timing.slowest) {
        timing.slowest = seconds;
        timing.slowestName = name;
    }
}

int usage(const char *program)
{
    std::fprintf(stderr,
                 "usage: %s [--mutations N --seed S [--dict FILE] [--max-len B] [--only K]] "
                 "[--time-limit SECONDS] CORPUS_DIR_OR_FILE...\n",
                 program);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    std::size_t mutations = 0, maxLength = 16384;
    std::uint64_t seed = 1;
    std::optional<std::size_t> only;
    std::optional<fs::path> dictPath;
    std::vector<fs::path> paths;
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        const bool hasValue = a + 1 < argc;
        if (arg == "--mutations" && hasValue)
            mutations = std::stoull(argv[++a]);
        else if (arg == "--seed" && hasValue)
            seed = std::stoull(argv[++a]);
        else if (arg == "--dict" && hasValue)
            dictPath = argv[++a];
        else if (arg == "--max-len" && hasValue)
            maxLength = std::stoull(argv[++a]);
        else if (arg == "--only" && hasValue)
            only = std::stoull(argv[++a]);
        else if (arg == "--time-limit" && hasValue)
            g_timeLimitSeconds = unsigned(std::stoul(argv[++a]));
        else if (arg.rfind("--", 0) == 0)
            return usage(argv[0]);
        else
            paths.emplace_back(arg);
    }
    if (paths.empty())
        return usage(argv[0]);
    installHandlers();

    std::vector<Bytes> corpus;
    Timing timing;
    for (const fs::path &arg : paths) {
        if (!fs::exists(arg)) {
            std::fprintf(stderr, "error: %s does not exist\n", arg.c_str());
            return 2;
        }
        for (const fs::path &path : inputsOf(arg)) {
            corpus.push_back(readBytes(path));
            if (only)
                continue;
            // Printed first so that a crash names the input that caused it.
            std::fprintf(stderr, "replay %s (%zu bytes)\n", path.c_str(), corpus.back().size());
            std::snprintf(g_label, sizeof g_label, "%s", path.filename().c_str());
            runOne(corpus.back(), path.filename().string(), timing);
        }
    }
    if (corpus.empty()) {
        std::fprintf(stderr, "error: no inputs found\n");
        return 2;
    }
    const std::vector<Bytes> dict = dictPath ? readDictionary(*dictPath) : std::vector<Bytes>{};
    Mutator mutator(seed, corpus, dict, maxLength);
    for (std::size_t k = 0; k < mutations; ++k) {
        const Bytes mutant = mutator.next();
        if (only && *only != k)
            continue;
        // Named only if it fails (by the signal handler): thousands of lines would hide the rest.
        std::snprintf(g_label, sizeof g_label, "mutant %zu of seed %llu (--only %zu)", k,
                      (unsigned long long)seed, k);
        runOne(mutant, g_label, timing);
        if (only)
            break;
    }
    std::printf("%zu inputs replayed, %zu mutants of seed %llu run; slowest %s took %.3f s\n",
                only ? 0 : corpus.size(), only ? std::size_t(1) : mutations,
                (unsigned long long)seed, timing.slowestName.c_str(), timing.slowest);
    return 0;
}
