#pragma once

// For the widget tests: the session's project searched as the main window would, and the result
// installed as a finished search's is (the searched project, then the result).

#include <optional>
#include <string>

#include "core/io/projectsearch.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace testsupport {

// The search's result, or nothing when it failed or found no best.
inline std::optional<phaze::CodesignResult> searchInto(phaze::Session &session,
                                                       const std::string &dir,
                                                       const phaze::CodesignOptions &options)
{
    phaze::Result<phaze::CodesignResult> run = runCodesign(session.project(), dir, options);
    if (!run.hasValue() || !run.value->search.best)
        return std::nullopt;
    session.results()->setSearchedProject(session.snapshot());
    session.results()->setResult(*run.value);
    return std::move(*run.value);
}

} // namespace testsupport
