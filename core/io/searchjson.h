#pragma once

// JSON of the co-design search: one evaluation per JSON object (the same object is a journal
// line and an element of the full result's "evaluations"), the full result with Pareto fronts
// and counts, the CSV table, and the JSON-Lines journal with its resume reader.

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/base/diagnostic.h"
#include "core/search/searchtypes.h"

namespace phaze {

std::string evaluationToJson(const Evaluation &evaluation); // one line, no newline
std::optional<Evaluation> evaluationFromJson(const std::string &line, std::string *error = nullptr);

// Extra report sections (baselines, gains) are passed pre-rendered as a JSON object text.
std::string searchResultToJson(const SearchResult &result, const std::string &extraJson = "{}");
// Reads a result written by searchResultToJson (for `phaze merge`).
std::optional<SearchResult> searchResultFromJson(const std::string &text, const std::string &file,
                                                 Diagnostics &errors);

// One row per evaluated configuration.
std::string searchResultToCsv(const SearchResult &result);

// The journal: a header line naming the search (a fingerprint of the project and candidate
// list), then one evaluation per line, flushed as the search runs.
class SearchJournal
{
public:
    // Opens for appending (resume) or truncates. Returns "" or an error naming the path.
    std::string open(const std::string &path, const std::string &fingerprint, bool append);
    std::string append(const Evaluation &evaluation);
    void close();
    ~SearchJournal() { close(); }

    // Reads a journal: the evaluations of complete lines (a line cut by a kill is ignored).
    // Errors when the file belongs to another search (fingerprint mismatch).
    static std::optional<std::vector<Evaluation>>
    read(const std::string &path, const std::string &fingerprint, std::string &error);

private:
    std::FILE *m_file = nullptr;
    std::string m_path;
};

} // namespace phaze
