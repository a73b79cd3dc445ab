#include "core/io/projectsearch.h"

#include <cstdint>
#include <cstdio>

#include "core/io/projectfile.h"
#include "core/io/projectprepare.h"
#include "core/io/searchjson.h"
#include "core/io/technologyfile.h"

namespace phaze {
namespace {

std::string fingerprintOf(const ProjectSpec &project, std::size_t candidates, int shard, int shards)
{
    const std::string text = saveProjectText(project) + "|" + std::to_string(candidates) + "|" +
                             std::to_string(shard) + "/" + std::to_string(shards);
    // FNV-1a: stable across runs and builds (std::hash is not guaranteed to be).
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
    return buf;
}

} // namespace

Result<std::vector<Candidate>> buildCandidates(const ProjectSpec &project,
                                               const std::string &baseDir,
                                               const std::optional<AcceleratorConfig> &only)
{
    const Result<TechnologyTable> tech = resolveProjectTechnology(project, baseDir);
    if (!tech.hasValue())
        return Result<std::vector<Candidate>>::error(tech.diagnostics);
    return buildCandidates(project, *tech.value, only);
}

Result<std::string> searchFingerprint(const ProjectSpec &project, const std::string &baseDir,
                                      int shardIndex, int shardCount)
{
    Result<std::vector<Candidate>> all = buildCandidates(project, baseDir);
    if (!all.hasValue())
        return Result<std::string>::error(all.message);
    return Result<std::string>::optimal(
        fingerprintOf(project, all.value->size(), shardIndex, shardCount));
}

Result<CodesignResult> runCodesign(const ProjectSpec &project, const std::string &baseDir,
                                   const CodesignOptions &options, ProgressSink progress,
                                   CancelToken cancel)
{
    using R = Result<CodesignResult>;
    // The technology file is read once, here: candidates and the search share the table.
    Result<std::shared_ptr<const PreparedProject>> prepared = prepareProject(project, baseDir);
    if (!prepared.hasValue())
        return R::error(std::move(prepared.diagnostics), std::move(prepared.message));
    Result<std::vector<Candidate>> all =
        buildCandidates(project, (*prepared.value)->technology, options.architecture);
    if (!all.hasValue())
        return R::error(all.message);
    if (options.shardCount < 1 || options.shardIndex < 0 ||
        options.shardIndex >= options.shardCount)
        return R::error("--shard I/N needs 1 <= I <= N");
    const std::string fingerprint =
        fingerprintOf(project, all.value->size(), options.shardIndex, options.shardCount);

    CodesignOptions run = options;
    SearchJournal journal;
    if (!options.journalPath.empty()) {
        if (options.resume) {
            Result<std::vector<Evaluation>> resumed =
                SearchJournal::read(options.journalPath, fingerprint);
            if (!resumed.hasValue())
                return R::error(std::move(resumed.diagnostics), std::move(resumed.message));
            run.resumed = std::move(*resumed.value);
        }
        if (Outcome opened = journal.open(options.journalPath, fingerprint, options.resume);
            !opened.ok())
            return R::error(std::move(opened.diagnostics), std::move(opened.message));
        run.record = [&journal, &options](const Evaluation &e) {
            Outcome written = journal.append(e);
            return written.ok() && options.record ? options.record(e) : written;
        };
    }
    Result<CodesignResult> out =
        codesign(std::move(*prepared.value), *all.value, run, std::move(progress), cancel);
    journal.close();
    if (out.value)
        out.value->fingerprint = fingerprint;
    return out;
}

} // namespace phaze
