// Scoring a query name against one list name, with an explanation.
//
// The name score aligns tokens one to one (greedy by similarity, trying
// joined adjacent tokens for split syllables and canonical forms for
// abbreviations), scores each pair with the better of Jaro-Winkler and
// normalised Levenshtein, weights each token by its rarity (IDF from the
// index; legal forms and stop words get a small fixed weight), and penalises
// unmatched significant tokens on either side. The result is calibrated to
// [0, 1] so that kDefaultThreshold separates matches from non-matches on the
// project's labelled set; a match on one common token or on legal-form words
// alone stays below it.
//
// Extra evidence, when the query carries it: country (same → small raise,
// conflicting → lower), entity type (person vs organisation conflict →
// lower), identifiers (exact match → strong raise), date of birth (match →
// raise, conflict → lower). Each adjustment is reported.
#ifndef ICTS_MATCH_SCORE_H_
#define ICTS_MATCH_SCORE_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "text/normalize.h"

namespace icts::match {

inline constexpr double kDefaultThreshold = 0.80;

// Rarity weight of a normalised token (e.g. IDF over the list's names).
// Unknown tokens should get the highest weight.
using TokenWeightFn = std::function<double(std::string_view token)>;

struct TokenAlignment {
  std::string query_token;  // "" when a list token is unmatched.
  std::string list_token;   // "" when a query token is unmatched.
  double similarity = 0;    // 0..1
  double weight = 0;        // Rarity weight used.
  double contribution = 0;  // Signed share of the name score.
  std::string how;          // "exact", "jaro_winkler", "levenshtein",
                            // "abbreviation", "joined", "legal_form", "unmatched"
};

struct Adjustment {
  std::string factor;  // "country", "type", "identifier", "birth_date"
  double delta = 0;    // Added to the score (may be negative).
  std::string detail;  // "query CN = list CN", "query Person vs list Organization"
};

struct ScoreExplanation {
  double name_score = 0;  // Token alignment score, 0..1.
  double score = 0;       // Final score after adjustments, clamped to 0..1.
  std::vector<TokenAlignment> alignment;
  std::vector<Adjustment> adjustments;
};

// Name-only score of two normalised names.
ScoreExplanation ScoreNames(const text::NormalizedName& query,
                            const text::NormalizedName& candidate,
                            const TokenWeightFn& weight);

// Convenience for `icts compare`: normalises both and scores with uniform
// rarity weights (no list statistics).
ScoreExplanation CompareNames(std::string_view a, std::string_view b);

}  // namespace icts::match

#endif  // ICTS_MATCH_SCORE_H_
