#pragma once

// What text the readers accept: valid UTF-8 without control characters. YAML and JSON both
// require UTF-8, and a name or path holding raw control bytes or broken sequences cannot be
// written back unchanged (the YAML emitter substitutes U+FFFD, nlohmann::json::dump throws),
// so such text is refused where it is read, with a located error, rather than altered later.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace phaze {

enum class TextScope {
    Document, // a whole file: tab, LF and CR (line breaks), and a leading byte-order mark
    Field,    // one decoded text value: tab and LF only
};

struct TextProblem {
    std::size_t offset = 0; // byte offset of the offending sequence in the checked text
    // Without a subject, which the caller adds: "is not valid UTF-8 (byte 0xff)",
    // "holds the control character U+0005 (...)".
    std::string message;
};

// The first problem in text, or nothing when it is acceptable.
std::optional<TextProblem> findTextProblem(std::string_view text, TextScope scope);

// Text as it may be quoted in a message: control characters and bytes that are not UTF-8 are
// written as \xNN escapes, so that a diagnostic about bad text is itself good text.
std::string printable(std::string_view text);

} // namespace phaze
