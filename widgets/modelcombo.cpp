#include "widgets/modelcombo.h"

#include <QComboBox>

#include "core/spec/projectspec.h"

namespace phaze {

void fillModelCombo(QComboBox *combo, const ProjectSpec &project)
{
    const int current = combo->currentIndex();
    combo->clear();
    for (const ModelRef &ref : project.models)
        combo->addItem(QString::fromStdString(ref.label()));
    if (current >= 0 && current < combo->count())
        combo->setCurrentIndex(current);
}

} // namespace phaze
