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
  std::string how;          // "exact", "canonical", "abbreviation",
                            // "joined", "jaro_winkler", "levenshtein",
                            // "initial", "legal_form", "stop_word",
                            // "other_key", "unmatched", "number_conflict"
  // For a pair, weight is the mean of the two sides' weights (a joined side
  // counts both its tokens); for "joined" over whole names and "other_key",
  // the tokens are the compared keys and weight is 1. "number_conflict"
  // comes first when each name carries a number the other lacks: the tokens
  // list those numbers, weight and contribution are 0 (the penalty is spread
  // over the other contributions).
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

// Knobs of the name score. The defaults are the calibrated ones.
struct ScoreOptions {
  // Entity type when known (of the query or of the list entry). Persons:
  // token order is free (surname-first variants) and an initial matches a
  // name starting with its letter at 0.9. Organisations: reordering costs a
  // little and initials count for less.
  text::NameType type = text::NameType::kUnknown;
  // Share of an unmatched list-side token's weight that counts against the
  // score. Below 1, a short query fully contained in a longer list name
  // ("HIKVISION" in "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD") loses
  // less than a query carrying tokens the list name lacks ("ZTE PARSIAN" vs
  // "ZTE"). Unmatched query tokens count in full for organisations; for
  // persons they get the same share (either side may carry a middle name or
  // patronymic), which keeps person scores symmetric; for an unknown type
  // they count halfway between the two. Unmatched weight present on both
  // sides is a substitution and always counts in full. Set to 1 for a
  // symmetric score.
  double list_extra_weight = 0.6;
};

// Name-only score of two normalised names.
//
// score = (Σ over aligned pairs of similarity × (query weight + list
// weight)) / (weights of all significant tokens on both sides, unmatched
// ones discounted as ScoreOptions says), plus a small share for matching
// legal forms / stop words (counted only when both names have some), minus
// a small order penalty (not for persons). Token similarity: 1 for equal
// text or canonical form; 0.9 for an abbreviation (prefix of at least 3
// letters marked abbreviated or canonical); an initial against a word with
// its letter 0.9 for persons, 0.85 unknown, 0.75 organisations; numbers,
// roman numerals and tokens with digits only match exactly (or by
// canonical form: "29th" = "29"); tokens
// under 4 bytes match only exactly; otherwise min(JW, edit similarity +
// 0.2) if at least 0.75, stretched to 1 - 1.5 × (1 - s). Alternatives that
// may stand in, at a small discount: two adjacent tokens joined against one,
// equal compact forms (0.97), the names' extra keys aligned the same way
// (× 0.97), and for Arabic/Hebrew-script names consonant skeletons (× 0.95).
// When each name carries a number (digits, a roman numeral, a code with
// digits) that the other lacks ("10th" / "20th Research Institute"), the
// best of these keeps 0.8 of its value: such names designate different units
// of one family.
//
// `weight` is called once per token with the token's text (extra-key tokens
// included); negative or NaN results count as 0, and if every significant
// token weighs 0 all weigh 1. score == name_score; the alignment lists every
// aligned pair and every unmatched significant token, and its contributions
// sum to name_score (unmatched tokens contribute 0: their weight only
// enlarges the denominator).
ScoreExplanation ScoreNames(const text::NormalizedName& query,
                            const text::NormalizedName& candidate,
                            const TokenWeightFn& weight);
ScoreExplanation ScoreNames(const text::NormalizedName& query,
                            const text::NormalizedName& candidate,
                            const TokenWeightFn& weight,
                            const ScoreOptions& options);

// The same score as ScoreNames(...).name_score without building the
// explanation (no allocation): the hot path for candidate verification.
double ScoreNamesFast(const text::NormalizedName& query,
                      const text::NormalizedName& candidate,
                      const TokenWeightFn& weight,
                      const ScoreOptions& options = ScoreOptions());

// Appends `adjustment` to explanation->adjustments and adds its delta to
// explanation->score, clamped to [0, 1].
void ApplyAdjustment(ScoreExplanation* explanation, Adjustment adjustment);

// Whether a token has the ending of an East Slavic patronymic ("-ovich",
// "-evna" ...).
bool IsPatronymic(std::string_view token);
// Whether tokens[i] is a word a person's name may carry or leave out: a
// patronymic, or a link of an Arabic genealogical chain (the word after
// "bin", "ibn", "bint", "binti": "Mehdi bin Mohamed bin Ali"). Such a word
// that only one name has costs the scorer a fifth of its weight (persons,
// not a name's first word, at least two other words paired, no legal forms
// counted).
bool IsOptionalNameWord(const std::vector<text::Token>& tokens, size_t i);

// Convenience for `icts compare`: normalises both and scores with uniform
// rarity weights (no list statistics), or with `weight` (a screener's
// Screener::TokenWeights(), so that a pair scores as screening scores it),
// as names of `type` (the rules for persons and organisations differ;
// screening scores a list entry as its own type).
ScoreExplanation CompareNames(std::string_view a, std::string_view b);
ScoreExplanation CompareNames(std::string_view a, std::string_view b, const TokenWeightFn& weight,
                              text::NameType type = text::NameType::kUnknown);

// Consonant skeleton of one Latin token, as the scorer compares tokens of
// names from scripts that do not write short vowels (Arabic, Hebrew): vowels
// and y dropped, an h at the end of the token dropped (Latin spellings add
// or omit it: "Abdulla", "Abdullah"), v/f, p/b and c/k/q merged, w read as
// f at the start and dropped elsewhere, doubled letters collapsed. The
// romanisation of an Arabic-script name ("mhmd shfyq") and a Latin spelling
// ("mohammad shafiq") share it ("mhmd shfk"). Writes at most `capacity`
// bytes to `out` and returns the length, or capacity + 1 when it does not
// fit. Skeletons shorter than MinTokenSkeleton are too ambiguous to
// compare: one consonant always, two unless the query itself is written
// without short vowels. A query in such a script loses the vowels of its
// short words ("عزت" is "zt", listed as "Izzat"), so only their skeletons
// can pair; a Latin query has its vowels and keeps its short words.
size_t TokenSkeleton(std::string_view token, char* out, size_t capacity);
inline constexpr size_t kMinTokenSkeleton = 3;
inline constexpr size_t kMinAbjadQuerySkeleton = 2;
inline constexpr size_t MinTokenSkeleton(bool abjad_query) {
  return abjad_query ? kMinAbjadQuerySkeleton : kMinTokenSkeleton;
}

}  // namespace icts::match

#endif  // ICTS_MATCH_SCORE_H_
