#pragma once

#include <QWidget>

#include <optional>
#include <string>

#include "core/io/technologyfile.h"
#include "widgets/technologycache.h"

class QLabel;
class QPushButton;

namespace phaze {

class Session;

// The Accelerator dock: the fixed architecture (preset and every parameter) with its live
// chip area (in the project's technology) and peak compute rate, the what-if throughput of the
// last background evaluation, and buttons that adopt the best or the selected search result as
// the architecture (one undoable edit each).
class AcceleratorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AcceleratorPanel(Session *session, QWidget *parent = nullptr);

    // The chip area shown (mm2), computed with the project's technology table; none without a
    // fixed architecture or when the technology file cannot be loaded (the dock says why).
    std::optional<double> areaMm2() const { return m_area; }

private:
    void refresh();
    void refreshButtons();
    // The project's technology table (`technology:`), or why there is none.
    const Result<TechnologyTable> &technology();

    Session *m_session;
    // A file is read when the project's reference or folder changes or a project is opened,
    // not on every edit.
    TechnologyCache m_technology;
    std::optional<double> m_area;
    QLabel *m_summary;
    QLabel *m_whatIf;
    QPushButton *m_useBest;
    QPushButton *m_useSelected;
};

} // namespace phaze
