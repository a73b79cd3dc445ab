#pragma once

#include <QWidget>

class QLabel;

namespace phaze {

class Session;

// The Accelerator dock: the fixed architecture (preset and every parameter) with its live
// chip area and peak compute rate.
class AcceleratorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AcceleratorPanel(Session *session, QWidget *parent = nullptr);

private:
    void refresh();

    Session *m_session;
    QLabel *m_summary;
};

} // namespace phaze
