// `phaze search`, `phaze evaluate` and `phaze merge`: the co-design search from the command line.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/cli/cliargs.h"
#include "app/cli/commands.h"
#include "core/io/archfile.h"
#include "core/io/atomicfile.h"
#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"
#include "core/io/searchjson.h"
#include "core/io/shardjson.h"

namespace phaze::cli {
namespace {

constexpr int kExitInterrupted = 130;
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onInterrupt(int)
{
    g_interrupted = 1;
}

// Turns Ctrl-C / SIGTERM into a cancellation of the search (polled: a signal handler may only
// set a flag).
class InterruptWatch
{
public:
    explicit InterruptWatch(CancelToken token) : m_token(std::move(token))
    {
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        m_thread = std::thread([this] {
            while (!m_stop) {
                if (g_interrupted)
                    m_token.cancel();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }
    ~InterruptWatch()
    {
        m_stop = true;
        m_thread.join();
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }

private:
    CancelToken m_token;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// Keeps JOURNAL.progress (shardjson.h) up to date for `phaze status`: at the start, at most once
// a second while the search runs (each write is an atomic replace with an fsync), and at the end.
class ProgressFile
{
public:
    ProgressFile(std::string path, ShardIdentity shard) : m_path(std::move(path))
    {
        m_state.shard = std::move(shard);
    }
    bool enabled() const { return !m_path.empty(); }
    void report(const Progress &p)
    {
        std::lock_guard lock(m_mutex);
        const auto now = std::chrono::steady_clock::now();
        if (m_written && now - m_last < std::chrono::seconds(1))
            return;
        m_last = now;
        m_written = true;
        m_state.total = p.total;
        m_state.done = p.done;
        m_state.pruned = p.pruned;
        m_state.best = p.bestSoFar;
        m_state.elapsedSeconds = p.elapsedSeconds;
        write();
    }
    void finish(const SearchResult &r)
    {
        std::lock_guard lock(m_mutex);
        m_state.total = (long long)r.counts.total;
        m_state.pruned = (long long)(r.counts.pruned + r.counts.skipped);
        m_state.done = (long long)r.counts.evaluated + m_state.pruned;
        m_state.best = r.best ? std::optional<double>(r.evaluations[*r.best].throughput)
                              : std::nullopt;
        m_state.elapsedSeconds = r.elapsedSeconds;
        m_state.finished = r.status == Status::Optimal || r.status == Status::Infeasible;
        write();
    }

private:
    // Best effort: the journal, not this file, is what a resume needs.
    void write()
    {
        if (!m_path.empty())
            (void)writeFileAtomically(m_path, shardProgressJson(m_state));
    }

    std::string m_path;
    ShardProgress m_state;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_last;
    bool m_written = false;
};

// A progress bar on a terminal, a plain line every few seconds otherwise.
ProgressSink progressPrinter(ProgressFile *file = nullptr)
{
    const bool terminal = isatty(STDERR_FILENO) != 0;
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    auto mutex = std::make_shared<std::mutex>();
    return ProgressSink([terminal, last, mutex, file](const Progress &p) {
        if (file && file->enabled())
            file->report(p);
        std::lock_guard lock(*mutex);
        const auto now = std::chrono::steady_clock::now();
        if (!terminal && now - *last < std::chrono::seconds(5) && p.done < p.total)
            return;
        *last = now;
        const double fraction = p.total > 0 ? double(p.done) / double(p.total) : 0.0;
        const double eta = fraction > 0 ? p.elapsedSeconds * (1.0 - fraction) / fraction : 0.0;
        char line[200];
        std::snprintf(line, sizeof line,
                      "%lld/%lld done (%lld pruned), best %.6g samples/s, ETA %.0f s", p.done,
                      p.total, p.pruned, p.bestSoFar.value_or(0.0), eta);
        if (terminal) {
            const int width = 30, filled = int(fraction * width);
            std::cerr << "\r[" << std::string(std::size_t(filled), '#')
                      << std::string(std::size_t(width - filled), '.') << "] " << line << "\033[K"
                      << std::flush;
        } else {
            std::cerr << line << "\n";
        }
    });
}

bool parseShard(const std::string &text, int &index, int &count)
{
    int i = 0, n = 0;
    char slash = 0;
    std::istringstream in(text);
    if (!(in >> i >> slash >> n) || slash != '/' || n < 1 || i < 1 || i > n || !in.eof())
        return false;
    index = i - 1;
    count = n;
    return true;
}

std::optional<ProjectSpec> loadProjectOrReport(const std::string &path)
{
    const Result<ProjectSpec> load = loadProjectFile(path);
    for (const Diagnostic &d : load.diagnostics)
        std::cerr << d.format() << "\n";
    return load.value;
}

// Where the evaluations are kept when a result cannot be written: the journal, if any.
std::string keptHint(const CodesignOptions &options)
{
    return options.journalPath.empty()
               ? std::string()
               : "; every evaluation is in the journal " + options.journalPath +
                     ": rerun with a writable path and --resume to write the result at once";
}

} // namespace

int writeOutputs(const CodesignResult &result, const std::optional<std::string> &json,
                 const std::optional<std::string> &csv, const std::string &hint,
                 const std::string &extraJson)
{
    if (json)
        if (const Outcome e = writeOutput(
                *json, searchResultToJson(result.search, extraJson.empty()
                                                             ? codesignExtraJson(result)
                                                             : extraJson) +
                           "\n");
            !e.ok()) {
            std::cerr << e.message << hint << "\n";
            return kExitIoError;
        }
    if (csv)
        if (const Outcome e = writeOutput(*csv, searchResultToCsv(result.search)); !e.ok()) {
            std::cerr << e.message << hint << "\n";
            return kExitIoError;
        }
    return kExitOk;
}

namespace {

bool samePath(const std::string &a, const std::string &b)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    return fs::absolute(a, ec).lexically_normal() == fs::absolute(b, ec).lexically_normal();
}

// Finds unwritable outputs before an hour of search rather than after it.
int probeOutputs(const CodesignOptions &options, const std::optional<std::string> &json,
                 const std::optional<std::string> &csv)
{
    std::vector<std::pair<std::string, std::string>> outputs; // (option, path)
    if (!options.journalPath.empty())
        outputs.emplace_back("--journal", options.journalPath);
    if (json)
        outputs.emplace_back("--json", *json);
    if (csv)
        outputs.emplace_back("--csv", *csv);
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j)
            if (outputs[i].second != "-" && samePath(outputs[i].second, outputs[j].second)) {
                std::cerr << outputs[j].first << " and " << outputs[i].first
                          << " name the same file " << outputs[i].second << "\n";
                return kExitBadInput;
            }
        if (const Outcome e = probeOutput(outputs[i].second); !e.ok()) {
            std::cerr << outputs[i].first << " " << e.message << "\n";
            return kExitIoError;
        }
    }
    return kExitOk;
}

// --resume of a journal that holds nothing yet (the search was killed before its first line,
// or never started) starts afresh, so that a requeued job can always pass --resume.
void checkResume(CodesignOptions &options)
{
    if (!options.resume)
        return;
    const SearchJournal::State state = SearchJournal::inspect(options.journalPath);
    if (!state.exists || !state.hasHeader) {
        std::cerr << "warning: " << options.journalPath
                  << (state.exists ? ": the journal has no complete header line"
                                   : ": no such journal")
                  << "; starting a new search\n";
        options.resume = false;
    } else if (state.tornBytes > 0) {
        std::cerr << "warning: " << options.journalPath << ": ignoring a partial last line ("
                  << state.tornBytes
                  << " bytes, cut by a kill or a full disk); its candidate is evaluated again\n";
    }
}

// Which part of which search `phaze search` runs (every result says, for `phaze merge`): empty
// search fingerprint when the project's candidates cannot be built (the search reports why).
ShardIdentity shardIdentityOf(const ProjectSpec &project, const std::string &baseDir,
                              const CodesignOptions &options)
{
    ShardIdentity shard;
    shard.index = options.shardIndex + 1;
    shard.count = options.shardCount;
    const Result<std::string> fingerprint = searchFingerprint(project, baseDir);
    const Result<std::vector<Candidate>> all = buildCandidates(project, baseDir);
    if (fingerprint.hasValue() && all.hasValue()) {
        shard.search = *fingerprint.value;
        shard.candidates = all.value->size();
    }
    return shard;
}

// sharded: a search of the project's space (phaze search), whose results name their shard.
int runCodesignCommand(const std::string &projectPath, CodesignOptions options,
                       const CliArgs &parsed, bool sharded)
{
    const auto json = parsed.value("--json"), csv = parsed.value("--csv");
    const auto project = loadProjectOrReport(projectPath);
    if (!project)
        return kExitBadInput;
    if (const int rc = probeOutputs(options, json, csv); rc != kExitOk)
        return rc;
    checkResume(options);
    const std::string baseDir = std::filesystem::path(projectPath).parent_path().string();
    const ShardIdentity shard =
        sharded ? shardIdentityOf(*project, baseDir, options) : ShardIdentity{};
    ProgressFile progressFile(sharded && !options.journalPath.empty() && !shard.search.empty()
                                  ? progressPathOf(options.journalPath)
                                  : std::string(),
                              shard);
    if (progressFile.enabled())
        progressFile.report(Progress{});
    CancelToken cancel = CancelToken::create();
    InterruptWatch watch(cancel);
    Result<CodesignResult> run =
        runCodesign(*project, baseDir, options, progressPrinter(&progressFile), cancel);
    if (isatty(STDERR_FILENO))
        std::cerr << "\n";
    if (!run.hasValue()) {
        std::cerr << projectPath << ": " << run.message << "\n";
        // The journal is the only file opened before the search.
        const bool journal = !options.journalPath.empty() &&
                             run.message.rfind(options.journalPath + ":", 0) == 0 &&
                             run.message.find("cannot") != std::string::npos;
        return journal ? kExitIoError : kExitBadInput;
    }
    const CodesignResult &result = *run.value;
    if (progressFile.enabled())
        progressFile.finish(result.search);
    parsed.humanOutput() << result.summary();
    // A failed journal write stops the search (Status::Error, the only error a search has):
    // the journal then holds every evaluation before it, whole lines only.
    if (result.search.status == Status::Error) {
        std::cerr << result.search.message
                  << "; the journal keeps every complete evaluation: free space or fix the path, "
                     "then continue with --resume\n";
        return kExitIoError;
    }
    const std::string extra = sharded && !shard.search.empty()
                                  ? withShardSection(codesignExtraJson(result), shard)
                                  : std::string();
    if (const int rc = writeOutputs(result, json, csv, keptHint(options), extra); rc != kExitOk)
        return rc;
    if (result.search.status == Status::Cancelled) {
        std::cerr << "interrupted: " << result.search.message
                  << (options.journalPath.empty() ? "" : "; continue with --resume") << "\n";
        return kExitInterrupted;
    }
    return result.search.best ? kExitOk : kExitInfeasible;
}

} // namespace

int runSearch(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--resume", "--no-baselines", "--exact-fronts"},
                   {"--strategy", "--threads", "--journal", "--shard"}, {"--json", "--csv"});
    CodesignOptions options;
    if (auto s = parsed.value("--strategy")) {
        if (*s == "exact")
            options.strategy = SearchStrategy::Exact;
        else if (*s == "phaze")
            options.strategy = SearchStrategy::Phaze;
        else {
            std::cerr << "--strategy is exact or phaze, not \"" << *s << "\"\n";
            return kExitBadInput;
        }
    }
    options.threads = parsed.intValue("--threads", 1, 1024).value_or(0);
    options.journalPath = parsed.value("--journal").value_or("");
    options.resume = parsed.has("--resume");
    options.baselines = !parsed.has("--no-baselines");
    options.exactFronts = parsed.has("--exact-fronts");
    if (auto shard = parsed.value("--shard");
        shard && !parseShard(*shard, options.shardIndex, options.shardCount)) {
        std::cerr << "--shard expects I/N with 1 <= I <= N, e.g. 2/8\n";
        return kExitBadInput;
    }
    // --resume reads the journal back: it cannot be stdout.
    const bool journalOnStdout = options.journalPath == "-";
    if (!parsed.ok() || parsed.positional().size() != 1 ||
        (options.resume && options.journalPath.empty()) || journalOnStdout) {
        std::cerr << "usage: phaze search PROJECT.yaml [--strategy exact|phaze] [--threads N] "
                     "[--json OUT|-] [--csv OUT|-] [--journal FILE [--resume]] [--shard I/N] "
                     "[--no-baselines] [--exact-fronts]"
                  << (parsed.ok() ? "" : "\nerror: " + parsed.error())
                  << (journalOnStdout ? "\nerror: --journal needs a file, not \"-\": --resume "
                                        "reads it back"
                                      : "")
                  << "\n";
        return kExitBadInput;
    }
    return runCodesignCommand(parsed.positional().front(), options, parsed, true);
}

int runEvaluate(const std::vector<std::string> &args)
{
    CliArgs parsed(args, {"--no-baselines"}, {"--arch", "--threads"}, {"--json", "--csv", "--trace"});
    if (!parsed.ok() || parsed.positional().size() != 1) {
        std::cerr << "usage: phaze evaluate PROJECT.yaml [--arch NAME|FILE] [--json OUT|-] "
                     "[--csv OUT|-] [--trace OUT|-] [--threads N] [--no-baselines]"
                  << (parsed.ok() ? "" : "\nerror: " + parsed.error()) << "\n";
        return kExitBadInput;
    }
    CodesignOptions options;
    options.baselines = !parsed.has("--no-baselines");
    options.threads = parsed.intValue("--threads", 1, 1024).value_or(0);
    if (auto arch = parsed.value("--arch")) {
        const Result<ArchFile> load = loadArchByName(*arch);
        if (!load.value) {
            for (const Diagnostic &d : load.diagnostics)
                std::cerr << d.format() << "\n";
            return kExitBadInput;
        }
        options.architecture = load.value->config;
    }
    const auto project = loadProjectOrReport(parsed.positional().front());
    if (!project)
        return kExitBadInput;
    if (project->training.profile == ModelProfile::System) {
        ProjectSpec fixed = *project;
        if (options.architecture) {
            ArchitectureSpec a;
            a.preset.clear();
            a.config = *options.architecture;
            fixed.architecture = a;
        }
        return runSystemEvaluate(parsed.positional().front(), fixed, parsed);
    }
    if (parsed.value("--trace")) {
        std::cerr << "--trace: the schedule trace is written under the system profile "
                     "(training.profile: system); under PHAZE's, use phaze place --timeline\n";
        return kExitBadInput;
    }
    if (!options.architecture)
        options.architecture = project->architecture ? project->architecture->config
                                                     : findAcceleratorPreset("tpuv4")->config;
    return runCodesignCommand(parsed.positional().front(), options, parsed, false);
}

} // namespace phaze::cli
