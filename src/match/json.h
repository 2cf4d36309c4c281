// JSON forms of screening results, shared by the CLI and the server.
#ifndef ICTS_MATCH_JSON_H_
#define ICTS_MATCH_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "match/score.h"
#include "match/screener.h"

namespace icts::match {

// {"name_score", "score", "alignment": [{"query_token", "list_token",
// "similarity", "weight", "contribution", "how"}], "adjustments": [...]}
nlohmann::json ExplanationToJson(const ScoreExplanation& explanation);
// {"entity_id", "name", "matched_name", "matched_kind", "score", "source",
// "list", "program", "source_id", "explanation"}
nlohmann::json HitToJson(const Hit& hit);

}  // namespace icts::match

#endif  // ICTS_MATCH_JSON_H_
