// JSON forms of the entity model, shared by the CLI and (later) the server.
// Only the forward declaration of nlohmann::json is included here.
#ifndef ICTS_REFDATA_JSON_H_
#define ICTS_REFDATA_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "refdata/model.h"
#include "refdata/snapshot.h"

namespace icts::refdata {

nlohmann::json EntityToJson(const Entity& entity);
nlohmann::json RelationToJson(const Relation& relation);
nlohmann::json CitationToJson(const Citation& citation);
// {"format","path","sha256","published","rows","entities","relations","rejected"}
nlohmann::json SourceInfoToJson(const SourceInfo& source);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_JSON_H_
