#include "widgets/exportdialog.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

struct Preset {
    const char *name;
    double width, height; // inches
};
// A column of a two-column paper (ACM, IEEE, ICML) is 3.3-3.5 in; the full text width ~7 in.
constexpr Preset kPresets[] = {{"One column (3.5 x 2.6 in)", 3.5, 2.6},
                               {"Two columns (7.0 x 3.0 in)", 7.0, 3.0},
                               {"Slide (10 x 5.6 in)", 10.0, 5.625}};

} // namespace

ExportDialog::ExportDialog(Target target, const QString &suggestedPath, QWidget *parent)
    : QDialog(parent), m_target(target), m_path(new QLineEdit(suggestedPath, this)),
      m_preset(new QComboBox(this)), m_width(new QDoubleSpinBox(this)),
      m_height(new QDoubleSpinBox(this)), m_dpi(new QSpinBox(this)),
      m_legend(new QComboBox(this))
{
    setObjectName("exportDialog");
    setWindowTitle(target == Target::File ? tr("Export figure") : tr("Export all figures"));
    m_path->setObjectName("exportPath");
    auto *browse = new QPushButton(tr("Browse..."), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    for (const Preset &p : kPresets)
        m_preset->addItem(tr(p.name));
    m_preset->addItem(tr("Custom"));
    for (QDoubleSpinBox *box : {m_width, m_height}) {
        box->setRange(1.0, 40.0);
        box->setDecimals(2);
        box->setSingleStep(0.1);
        box->setSuffix(tr(" in"));
    }
    m_width->setObjectName("exportWidth");
    m_height->setObjectName("exportHeight");
    m_dpi->setObjectName("exportDpi");
    m_dpi->setRange(72, 1200);
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setToolTip(tr("Resolution of PNG files; PDF and SVG are vector graphics"));
    m_legend->setObjectName("exportLegend");
    m_legend->addItem(tr("Below the axes"), legendPlacementName(LegendPlacement::Below));
    m_legend->addItem(tr("Inside the axes (top right)"),
                      legendPlacementName(LegendPlacement::Inside));
    m_legend->addItem(tr("None"), legendPlacementName(LegendPlacement::None));

    auto *form = new QFormLayout(this);
    form->addRow(target == Target::File ? tr("File:") : tr("Folder:"), pathRow);
    form->addRow(tr("Size:"), m_preset);
    form->addRow(tr("Width:"), m_width);
    form->addRow(tr("Height:"), m_height);
    form->addRow(tr("PNG resolution:"), m_dpi);
    form->addRow(tr("Legend:"), m_legend);
    if (target == Target::Folder) {
        auto *formats = new QHBoxLayout;
        m_pdf = new QCheckBox(u"PDF"_s, this);
        m_svg = new QCheckBox(u"SVG"_s, this);
        m_png = new QCheckBox(u"PNG"_s, this);
        for (QCheckBox *c : {m_pdf, m_svg, m_png}) {
            c->setChecked(true);
            formats->addWidget(c);
        }
        form->addRow(tr("Formats:"), formats);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_preset, &QComboBox::activated, this, &ExportDialog::applyPreset);
    const auto custom = [this] {
        m_preset->setCurrentIndex(m_preset->count() - 1);
    };
    connect(m_width, &QDoubleSpinBox::editingFinished, this, custom);
    connect(m_height, &QDoubleSpinBox::editingFinished, this, custom);

    const QSettings settings;
    m_width->setValue(settings.value("export/width", kPresets[0].width).toDouble());
    m_height->setValue(settings.value("export/height", kPresets[0].height).toDouble());
    m_dpi->setValue(settings.value("export/dpi", 300).toInt());
    m_preset->setCurrentIndex(settings.value("export/preset", 0).toInt());
    m_legend->setCurrentIndex(
        std::max(0, m_legend->findData(settings.value("export/legend", u"below"_s).toString())));
}

void ExportDialog::applyPreset(int index)
{
    if (index < 0 || index >= int(std::size(kPresets)))
        return;
    m_width->setValue(kPresets[index].width);
    m_height->setValue(kPresets[index].height);
}

void ExportDialog::browse()
{
    const QString path =
        m_target == Target::File
            ? QFileDialog::getSaveFileName(this, tr("Export figure"), m_path->text(),
                                           tr("Figures (*.pdf *.svg *.png)"))
            : QFileDialog::getExistingDirectory(this, tr("Export all figures"), m_path->text());
    if (!path.isEmpty())
        m_path->setText(path);
}

ExportChoice ExportDialog::choice() const
{
    ExportChoice c;
    c.path = m_path->text();
    c.size = {m_width->value(), m_height->value(), m_dpi->value(),
              legendPlacementNamed(m_legend->currentData().toString())
                  .value_or(LegendPlacement::Below)};
    if (m_target == Target::Folder) {
        if (m_pdf->isChecked())
            c.suffixes << u"pdf"_s;
        if (m_svg->isChecked())
            c.suffixes << u"svg"_s;
        if (m_png->isChecked())
            c.suffixes << u"png"_s;
    }
    return c;
}

std::optional<ExportChoice> ExportDialog::ask(QWidget *parent, Target target,
                                              const QString &suggestedPath)
{
    ExportDialog dialog(target, suggestedPath, parent);
    if (dialog.exec() != QDialog::Accepted || dialog.choice().path.isEmpty())
        return std::nullopt;
    const ExportChoice c = dialog.choice();
    QSettings settings;
    settings.setValue("export/width", c.size.widthInches);
    settings.setValue("export/height", c.size.heightInches);
    settings.setValue("export/dpi", c.size.dpi);
    settings.setValue("export/preset", dialog.m_preset->currentIndex());
    settings.setValue("export/legend", legendPlacementName(c.size.legend));
    return c;
}

} // namespace phaze
