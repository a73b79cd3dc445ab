#pragma once

// The results of a search saved beside its project ("gpt2-xl.yaml" -> "gpt2-xl.results.json",
// the same JSON `phaze search --json` writes), so that reopening the project shows its last
// search again. A saved result names the project version it belongs to by the search
// fingerprint (project text and candidate count), so a stale file is recognised.

#include <string>

#include "core/base/status.h"
#include "core/search/codesign.h"

namespace phaze {

// "dir/name.yaml" -> "dir/name.results.json".
std::string resultsPathFor(const std::string &projectPath);

// Written atomically. An Error's message names the path.
Outcome saveCodesignResult(const CodesignResult &result, const std::string &path);

// Reads a result written by saveCodesignResult or `phaze search --json`: the evaluations,
// counts, baselines and fingerprint; the best candidate and the fronts are recomputed.
Result<CodesignResult> loadCodesignResult(const std::string &path);

} // namespace phaze
