#pragma once

// For the widget tests: examples/quick-search.yaml (BERT-Large on 64 accelerators, 80
// candidates) searched once, exactly as `phaze search` does.

#include <utility>

#include "core/io/projectfile.h"
#include "core/io/projectsearch.h"

namespace testsupport {

inline phaze::CodesignResult quickResult()
{
    const phaze::Result<phaze::ProjectSpec> load =
        phaze::loadProjectFile(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");
    auto result = phaze::runCodesign(*load.value, PHAZE_SOURCE_DIR "/examples", {});
    return std::move(*result.value);
}

} // namespace testsupport
