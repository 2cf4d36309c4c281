#include "match/json.h"

#include <nlohmann/json.hpp>

namespace icts::match {

using nlohmann::json;

json ExplanationToJson(const ScoreExplanation& e) {
  json alignment = json::array();
  for (const TokenAlignment& a : e.alignment) {
    alignment.push_back({{"query_token", a.query_token},
                         {"list_token", a.list_token},
                         {"similarity", a.similarity},
                         {"weight", a.weight},
                         {"contribution", a.contribution},
                         {"how", a.how}});
  }
  json adjustments = json::array();
  for (const Adjustment& a : e.adjustments) {
    adjustments.push_back({{"factor", a.factor}, {"delta", a.delta}, {"detail", a.detail}});
  }
  return {{"name_score", e.name_score},
          {"score", e.score},
          {"alignment", alignment},
          {"adjustments", adjustments}};
}

json HitToJson(const Hit& h) {
  return {{"entity_id", h.entity_id},
          {"name", h.name},
          {"matched_name", h.matched_name},
          {"matched_kind", std::string(refdata::NameKindName(h.matched_kind))},
          {"score", h.score},
          {"source", h.source},
          {"list", h.lists.empty() ? std::string() : h.lists.front()},
          {"lists", h.lists},
          {"program", h.programs.empty() ? std::string() : h.programs.front()},
          {"programs", h.programs},
          {"source_id", h.source_id},
          {"explanation", ExplanationToJson(h.explanation)}};
}

}  // namespace icts::match
