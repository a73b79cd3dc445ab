#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace phaze {

class Session;

// The Accelerator dock: the fixed architecture (preset and every parameter) with its live
// chip area and peak compute rate, the what-if throughput of the last background evaluation,
// and buttons that adopt the best or the selected search result as the architecture (one
// undoable edit each).
class AcceleratorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AcceleratorPanel(Session *session, QWidget *parent = nullptr);

private:
    void refresh();
    void refreshButtons();

    Session *m_session;
    QLabel *m_summary;
    QLabel *m_whatIf;
    QPushButton *m_useBest;
    QPushButton *m_useSelected;
};

} // namespace phaze
