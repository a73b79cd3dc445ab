#pragma once

// Keeping a hand-written YAML file's comments when the program writes the file again. The
// writer emits the document from its data (yaml-cpp keeps no comments), so the comments are
// carried over by key path: each comment block (and the blank lines in it) goes before the key
// it stood before, each end-of-line comment after its key's line, the file's opening block at
// the top and its closing block at the end. Sequence items are matched by their `name` (or
// their scalar), else by position. Comments of a key that is no longer written are dropped
// with it. Used by project saves (core/io/projectfile.h).

#include <string>

namespace phaze {

// `emitted` with the comments of `original` placed beside the same keys. Returns `emitted`
// unchanged when `original` has no comments, or when the result would not parse to the same
// document as `emitted` (the comments are then lost, never the data).
std::string carryYamlComments(const std::string &original, const std::string &emitted);

} // namespace phaze
