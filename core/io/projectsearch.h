#pragma once

// The co-design search of a project as the command line and the workbench run it: the project
// is prepared once (projectprepare.h), the search is named by a fingerprint of the project and
// its candidate list (so that saved results and journals can be matched to it), and its journal
// is read (to resume) and written as it runs. The search itself is core/search/codesign.h.

#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/search/codesign.h"
#include "core/spec/projectspec.h"

namespace phaze {

// The deterministic candidate list of a project (or of one architecture), the technology
// resolved from the project.
Result<std::vector<Candidate>> buildCandidates(const ProjectSpec &project,
                                               const std::string &baseDir,
                                               const std::optional<AcceleratorConfig> &only = {});

// The fingerprint a search of the whole project (one shard) carries: it changes when the
// project or its candidate list does. With a shard (0-based index of count, as in
// CodesignOptions): the fingerprint that shard's journal carries.
Result<std::string> searchFingerprint(const ProjectSpec &project, const std::string &baseDir,
                                      int shardIndex = 0, int shardCount = 1);

// Prepares the project, reads the journal when resuming, writes it as the search runs, and
// searches (codesign). The result carries the fingerprint and the evaluator that scored it.
Result<CodesignResult> runCodesign(const ProjectSpec &project, const std::string &baseDir,
                                   const CodesignOptions &options, ProgressSink progress = {},
                                   CancelToken cancel = {});

} // namespace phaze
