#include "widgets/csvfile.h"

#include "core/io/atomicfile.h"

namespace phaze {

QString writeCsvFile(const QString &path, const QString &text)
{
    const Outcome written = writeFileAtomically(path.toStdString(), text.toStdString());
    return written.ok() ? QString() : QString::fromStdString(written.message);
}

} // namespace phaze
