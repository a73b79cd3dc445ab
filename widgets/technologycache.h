#pragma once

// A project's technology table, read once per reference: the views that need it on the GUI
// thread (the Accelerator dock's area and power, the Chip tab's breakdowns) read its small YAML
// file only when the project's `technology:` or folder changes, or after reset() (a project
// opened again reads its file afresh). The table is returned as the file says; callers apply
// the project's profile (technologyForProfile).

#include <optional>
#include <string>

#include "core/arch/technology.h"
#include "core/base/status.h"
#include "core/io/technologyfile.h"

namespace phaze {

class TechnologyCache
{
public:
    const Result<TechnologyTable> &get(const std::string &reference, const std::string &baseDir)
    {
        if (!m_table || reference != m_reference || baseDir != m_baseDir) {
            m_table = resolveTechnology(reference, baseDir);
            m_reference = reference;
            m_baseDir = baseDir;
        }
        return *m_table;
    }
    void reset() { m_table.reset(); }

private:
    std::optional<Result<TechnologyTable>> m_table;
    std::string m_reference;
    std::string m_baseDir;
};

} // namespace phaze
