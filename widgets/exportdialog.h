#pragma once

// The figure-export dialog: where to write (a file, or a folder for "Export all figures"), the
// figure's printed size in inches (presets for one and two columns of a two-column paper) and
// the PNG resolution. The plot is laid out at the printed size (96 layout pixels per inch, so
// the plots' 10-12 pt fonts print at 10-12 pt) and PNG pixels are scaled up to the DPI; PDF and
// SVG stay vector. The last choice is remembered.

#include <QDialog>
#include <QString>
#include <QStringList>

#include <optional>

#include "widgets/plotexport.h"

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QCheckBox;

namespace phaze {

// How an exported figure is laid out: its printed size, the PNG resolution, its legends.
struct FigureSize {
    double widthInches = 3.5;
    double heightInches = 2.6;
    int dpi = 300;
    LegendPlacement legend = LegendPlacement::Below;

    static constexpr double kLayoutPixelsPerInch = 96.0;
    int layoutWidth() const { return int(widthInches * kLayoutPixelsPerInch + 0.5); }
    int layoutHeight() const { return int(heightInches * kLayoutPixelsPerInch + 0.5); }
    double pngScale() const { return dpi / kLayoutPixelsPerInch; }
};

struct ExportChoice {
    QString path;         // the file, or the folder
    QStringList suffixes; // folder mode: which formats ("pdf", "svg", "png")
    FigureSize size;
};

class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Target { File, Folder };
    ExportDialog(Target target, const QString &suggestedPath, QWidget *parent = nullptr);

    ExportChoice choice() const;

    // Runs the dialog; nullopt when cancelled.
    static std::optional<ExportChoice> ask(QWidget *parent, Target target,
                                           const QString &suggestedPath);

private:
    void applyPreset(int index);
    void browse();

    Target m_target;
    QLineEdit *m_path;
    QComboBox *m_preset;
    QDoubleSpinBox *m_width;
    QDoubleSpinBox *m_height;
    QSpinBox *m_dpi;
    QComboBox *m_legend;
    QCheckBox *m_pdf = nullptr;
    QCheckBox *m_svg = nullptr;
    QCheckBox *m_png = nullptr;
};

} // namespace phaze
