#pragma once

// The "Model:" chooser of the detail tabs: one entry per model of the project, keeping the
// current choice when the project changes but still has that many models.

class QComboBox;

namespace phaze {

struct ProjectSpec;

void fillModelCombo(QComboBox *combo, const ProjectSpec &project);

} // namespace phaze
