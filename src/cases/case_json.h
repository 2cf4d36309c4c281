// JSON forms of cases, events and deadlines: the payloads a store keeps and
// the output of `icts case show|list|due -o json` (docs/cases.md).
// Only the forward declaration of nlohmann::json is included here.
#ifndef ICTS_CASES_CASE_JSON_H_
#define ICTS_CASES_CASE_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "cases/case.h"

namespace icts::cases {

// {"id", "title", "opened", "rule_version", "parties", "subpart",
//  "transaction_date"} — the case without its events.
nlohmann::json CaseHeaderToJson(const Case& c);
// Reads CaseHeaderToJson()'s form; unknown keys and bad dates are errors.
Result<Case> CaseHeaderFromJson(const nlohmann::json& j);

// {"seq", "kind", "date", "actor", "note", "attachments": [{"sha256", "name",
//  "size"}], "parties", "determinations", "due"?, "measure"?, "status"?}
nlohmann::json EventToJson(const Event& e);
Result<Event> EventFromJson(const nlohmann::json& j);

// {"id", "what", "kind", "date", "version", "citation", "verification",
//  "start": {"event", "seq", "date"}, "extended", "status", "met_on", "note"}
nlohmann::json DeadlineToJson(const Deadline& d);
// DeadlineToJson() plus "days_left" and "overdue", and "case" when given.
nlohmann::json DueItemToJson(const DueItem& item, const std::string& case_id);

// The whole case as shown: header, "state", "rule_version_at_opening",
// "allowed_events", "events", "deadlines" (mitigation measures among them
// as "mitigation/<id>").
nlohmann::json CaseToJson(const DeadlineRules& rules, const Case& c);

}  // namespace icts::cases

#endif  // ICTS_CASES_CASE_JSON_H_
