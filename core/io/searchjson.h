#pragma once

// JSON of the co-design search: one evaluation per JSON object (the same object is a journal
// line and an element of the full result's "evaluations"), the full result with Pareto fronts
// and counts, the CSV table, and the JSON-Lines journal with its resume reader.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/base/diagnostic.h"
#include "core/base/status.h"
#include "core/search/codesign.h"
#include "core/search/searchtypes.h"

namespace phaze {

std::string evaluationToJson(const Evaluation &evaluation); // one line, no newline
std::optional<Evaluation> evaluationFromJson(const std::string &line, std::string *error = nullptr);
// A baseline's chip without a placement (Baseline::chip): config, area and power.
std::string baselineChipJson(const Candidate &chip); // one line, no newline
std::optional<Candidate> baselineChipFromJson(const std::string &text, std::string *error = nullptr);

// Extra report sections (baselines, gains) are passed pre-rendered as a JSON object text.
std::string searchResultToJson(const SearchResult &result, const std::string &extraJson = "{}");
// The extra JSON of a co-design report for searchResultToJson: fingerprint, baselines with
// their gains, and where the time went.
std::string codesignExtraJson(const CodesignResult &result);
// Reads a result written by searchResultToJson (for `phaze merge`): Optimal with it (whatever
// the search's own status), or Error with the located diagnostics.
Result<SearchResult> searchResultFromJson(const std::string &text, const std::string &file);

// One row per evaluated configuration.
std::string searchResultToCsv(const SearchResult &result);

// The journal: a header line naming the search (a fingerprint of the project and candidate
// list), then one evaluation per line, each written with one write(2) as the search runs. A line
// counts only with its newline: a line cut by a kill or a full disk is ignored on reading and
// cut off when the journal is reopened for appending, so the file always holds whole lines.
class SearchJournal
{
public:
    // What a journal file holds, without parsing its evaluations (to decide how to resume and
    // what to warn about).
    struct State {
        bool exists = false;
        bool hasHeader = false;    // a complete first line
        std::size_t lines = 0;     // complete evaluation lines after the header
        std::size_t tornBytes = 0; // bytes after the last newline (a line cut mid-write)
        std::string fingerprint;   // the header's: which search (and shard) wrote it
    };

    SearchJournal() = default;
    SearchJournal(const SearchJournal &) = delete;
    SearchJournal &operator=(const SearchJournal &) = delete;
    ~SearchJournal() { close(); }

    // Opens for appending (resume: a partial last line is cut off first) or truncates and
    // writes the header. Takes an advisory lock so that two searches cannot write one journal.
    // An Error names the path and the OS reason (its diagnostic's file is the path).
    Outcome open(const std::string &path, const std::string &fingerprint, bool append);
    // Writes one whole line or nothing: a failed or short write is rolled back. An Error names
    // the path and the OS reason (e.g. "No space left on device").
    Outcome append(const Evaluation &evaluation);
    void close();

    static State inspect(const std::string &path);
    // Reads a journal: the evaluations of complete lines (a partial last line is ignored and
    // counted in *tornBytes). Error when the file belongs to another search (fingerprint
    // mismatch) or a complete line is not an evaluation (its diagnostic naming the line).
    static Result<std::vector<Evaluation>>
    read(const std::string &path, const std::string &fingerprint, std::size_t *tornBytes = nullptr);
    // The same for a journal of any search (a shard's, watched by `phaze status`).
    static Result<std::vector<Evaluation>> readAnySearch(const std::string &path,
                                                         std::size_t *tornBytes = nullptr);

private:
    // `fingerprint`: the search the journal must belong to; null: any.
    static Result<std::vector<Evaluation>>
    readLines(const std::string &path, const std::string *fingerprint, std::size_t *tornBytes);
    Outcome writeAll(const std::string &text);

    int m_fd = -1;
    std::string m_path;
    long long m_size = 0; // bytes of complete lines
};

} // namespace phaze
