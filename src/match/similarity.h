// String similarity primitives over bytes (callers pass normalised Latin
// tokens). Pure functions, thread-safe.
#ifndef ICTS_MATCH_SIMILARITY_H_
#define ICTS_MATCH_SIMILARITY_H_

#include <cstddef>
#include <string_view>

namespace icts::match {

// Jaro similarity in [0, 1].
double Jaro(std::string_view a, std::string_view b);
// Jaro-Winkler with the standard prefix scale 0.1 over at most 4 characters
// and the boost applied when Jaro > 0.7 (Winkler 1990).
double JaroWinkler(std::string_view a, std::string_view b);
// Levenshtein distance (unit costs); bit-parallel (Myers/Hyyrö) for strings
// up to 64 bytes, a banded DP beyond.
size_t Levenshtein(std::string_view a, std::string_view b);
// Levenshtein distance if it is <= `max`, otherwise max + 1; cheaper.
size_t LevenshteinBounded(std::string_view a, std::string_view b, size_t max);
// 1 - distance / max(len): normalised edit similarity in [0, 1].
double LevenshteinSimilarity(std::string_view a, std::string_view b);

}  // namespace icts::match

#endif  // ICTS_MATCH_SIMILARITY_H_
