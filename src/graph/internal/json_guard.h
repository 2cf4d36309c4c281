// Guards run before a recursive JSON parser sees untrusted bytes.
#ifndef ICTS_GRAPH_INTERNAL_JSON_GUARD_H_
#define ICTS_GRAPH_INTERNAL_JSON_GUARD_H_

#include <cstddef>
#include <string_view>

namespace icts::graph::internal {

// Deepest array/object nesting accepted (real files need fewer than 10).
inline constexpr size_t kMaxJsonDepth = 64;

// The byte offset where nesting first exceeds `max_depth`, or npos.
// Brackets inside strings are skipped.
inline size_t FindExcessiveJsonNesting(std::string_view data, size_t max_depth = kMaxJsonDepth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace icts::graph::internal

#endif  // ICTS_GRAPH_INTERNAL_JSON_GUARD_H_
