#pragma once

// The views' CSV exports (Compare, Pinned, Sweep): one field quoted as core/base/csvtext.h
// does, and the text written to a file the user chose, with the reason when it cannot be.

#include <QString>

#include "core/base/csvtext.h"

namespace phaze {

inline QString csvField(const QString &text)
{
    return QString::fromStdString(csvField(text.toStdString()));
}

// Writes text (UTF-8) to path, replacing it atomically. Returns "" or the error.
QString writeCsvFile(const QString &path, const QString &text);

} // namespace phaze
