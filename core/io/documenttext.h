#pragma once

// The check every reader makes before parsing: the file is UTF-8 without stray control
// characters (core/base/textcheck.h), and text values decoded from it (escapes such as
// "\x05" or "\u0005") are too. Internal to core/io.

#include <optional>
#include <string>
#include <string_view>

#include <cstdint>

#include "core/base/diagnostic.h"

namespace phaze {

// A diagnostic at the first offending byte of the file (line and column), or nothing.
std::optional<Diagnostic> checkDocumentText(const std::string &text, const std::string &file);

// checkDocumentText, and also no escape in a JSON string ("\u0005", "\r") that decodes to a
// control character other than tab and newline: pointed at before parsing, so that the error
// has a line and column even where the reader keeps no positions.
std::optional<Diagnostic> checkJsonText(const std::string &text, const std::string &file);

// The whole file, or nothing when it cannot be opened (or, with maxBytes, is larger).
std::optional<std::string> readFileText(const std::string &path,
                                        std::optional<std::uintmax_t> maxBytes = std::nullopt);

// For a decoded text value: "" when acceptable, else the message for its diagnostic
// ("text holds the control character U+0005 (only tab and newline are allowed in text)").
std::string textValueProblem(std::string_view value);

} // namespace phaze
