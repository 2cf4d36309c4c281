// Small string helpers shared by the loaders. ASCII-only case handling; full
// Unicode normalisation lives in src/text/.
#ifndef ICTS_BASE_STRINGS_H_
#define ICTS_BASE_STRINGS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace icts {

std::string_view TrimAscii(std::string_view s);
// Splits on `sep`, trims each piece, drops empty pieces.
std::vector<std::string_view> SplitTrimmed(std::string_view s, char sep);
std::vector<std::string_view> SplitTrimmed(std::string_view s,
                                           std::string_view sep);
std::string ToUpperAscii(std::string_view s);
std::string ToLowerAscii(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b);
bool StartsWithIgnoreCaseAscii(std::string_view s, std::string_view prefix);
// Text for HTML element content and quoted attribute values: & < > " '
// escaped, NUL replaced by U+FFFD.
std::string HtmlEscape(std::string_view s);
// Collapses runs of ASCII whitespace to one space and trims.
std::string CollapseWhitespace(std::string_view s);

// Offset of the first byte that is not part of well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are ill-formed), or npos
// when `s` is valid.
size_t FindInvalidUtf8(std::string_view s);

}  // namespace icts

#endif  // ICTS_BASE_STRINGS_H_
