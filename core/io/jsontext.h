#pragma once

// The one way JSON is written. The readers refuse text that is not UTF-8 (documenttext.h), but
// values from elsewhere can still be: a file name from the command line or the file system is
// bytes, not text. nlohmann::json::dump throws on those; here they are written with U+FFFD in
// place of each bad sequence, so that no writer ever throws (and no exception reaches the
// workbench's event loop) because of a name.

#include <string>

#include <nlohmann/json.hpp>

namespace phaze {

// indent -1: one line; otherwise pretty-printed with that many spaces per level.
inline std::string dumpJson(const nlohmann::json &value, int indent = -1)
{
    return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The same for a document whose keys keep the order they were inserted in.
inline std::string dumpOrderedJson(const nlohmann::ordered_json &value, int indent = -1)
{
    return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace phaze
