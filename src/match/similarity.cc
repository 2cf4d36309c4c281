#include "match/similarity.h"

namespace icts::match {

double Jaro(std::string_view, std::string_view) { return 0; }
double JaroWinkler(std::string_view, std::string_view) { return 0; }
size_t Levenshtein(std::string_view a, std::string_view b) { return a.size() + b.size(); }
size_t LevenshteinBounded(std::string_view, std::string_view, size_t max) { return max + 1; }
double LevenshteinSimilarity(std::string_view, std::string_view) { return 0; }

}  // namespace icts::match
