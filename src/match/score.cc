#include "match/score.h"

namespace icts::match {

ScoreExplanation ScoreNames(const text::NormalizedName&, const text::NormalizedName&,
                            const TokenWeightFn&) {
  return ScoreExplanation();
}
ScoreExplanation CompareNames(std::string_view, std::string_view) { return ScoreExplanation(); }

}  // namespace icts::match
