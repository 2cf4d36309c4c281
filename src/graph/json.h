// JSON form of an ownership result, shared by `icts owners` and the server.
#ifndef ICTS_GRAPH_JSON_H_
#define ICTS_GRAPH_JSON_H_

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "graph/nexus.h"

namespace icts::graph {

// {"id", "name", "type", "query": {"text", "resolved_by"}, "as_of",
// "definition", "outcome", "adversary_shares", "control", "nexus", "review",
// "paths", "paths_complete", "unknowns"} (docs/schema/owners-result.schema.json).
nlohmann::ordered_json OwnersResultToJson(const OwnersResult& result, const std::string& query,
                                          const std::string& resolved_by);

}  // namespace icts::graph

#endif  // ICTS_GRAPH_JSON_H_
