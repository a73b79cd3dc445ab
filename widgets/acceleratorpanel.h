#pragma once

#include <QWidget>

#include <optional>
#include <string>

#include "core/io/technologyfile.h"

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
    // The resolved technology and what it was resolved from (the project's reference and base
    // folder): a file is read when those change or a project is opened, not on every edit.
    std::optional<Result<TechnologyTable>> m_technology;
    std::string m_technologyReference;
    std::string m_technologyBaseDir;
    std::optional<double> m_area;
    QLabel *m_summary;
    QLabel *m_whatIf;
    QPushButton *m_useBest;
    QPushButton *m_useSelected;
};

} // namespace phaze
