#include "cases/case_store.h"

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cases/case_json.h"

namespace icts::cases {

using nlohmann::json;

void FillCaseRecord(const DeadlineRules& rules, const Case& c, store::CaseRecord& r) {
  r.state = std::string(StateName(CurrentState(c)));
  r.opened_on = c.opened;
  r.next_due_on.reset();
  for (const Deadline& d : Deadlines(rules, c)) {
    if (d.status != DeadlineStatus::kOpen && d.status != DeadlineStatus::kRetain) continue;
    if (!r.next_due_on || d.date < *r.next_due_on) r.next_due_on = d.date;
  }
  r.final_determination_on.reset();
  r.closed_on.reset();
  for (const Event& e : c.events) {
    using K = EventKind;
    if (!r.final_determination_on && (e.kind == K::kFdProhibited || e.kind == K::kFdNotProhibited ||
                                      e.kind == K::kFdMitigation)) {
      r.final_determination_on = e.date;
    }
    if (e.kind == K::kClose || e.kind == K::kCriteriaNotMet || e.kind == K::kReferralRejected) {
      r.closed_on = e.date;
    }
  }
  // The payload is the header without its id (the record's id is the case's).
  json header = CaseHeaderToJson(c);
  header.erase("id");
  r.payload_json = header.dump();
}

Result<StoredCase> LoadStoredCase(store::Store& st, const DeadlineRules& rules,
                                  const std::string& id) {
  ICTS_ASSIGN_OR_RETURN(store::CaseRecord record, st.GetCase(id));
  json payload = json::parse(record.payload_json, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return DataLossError(fmt::format("case {}: stored payload is not a JSON object", id));
  }
  payload["id"] = record.id;
  Result<Case> header = CaseHeaderFromJson(payload);
  if (!header.ok()) return DataLossError(fmt::format("case {}: {}", id, header.status().message()));
  ICTS_ASSIGN_OR_RETURN(std::vector<store::CaseEvent> stored, st.ListCaseEvents(id));
  std::vector<Event> events;
  for (const store::CaseEvent& se : stored) {
    json ej = json::parse(se.payload_json, nullptr, false);
    if (ej.is_discarded()) {
      return DataLossError(fmt::format("case {} event #{}: payload is not JSON", id, se.seq));
    }
    Result<Event> e = EventFromJson(ej);
    if (!e.ok()) {
      return DataLossError(fmt::format("case {} event #{}: {}", id, se.seq, e.status().message()));
    }
    e->seq = se.seq;
    events.push_back(std::move(*e));
  }
  Result<Case> c = Replay(rules, std::move(*header), std::move(events));
  if (!c.ok()) {
    return DataLossError(
        fmt::format("stored case no longer passes the rules: {}", c.status().message()));
  }
  return StoredCase{std::move(record), std::move(*c)};
}

Result<StoredCase> CreateStoredCase(store::Store& st, const DeadlineRules& rules, Case c,
                                    std::string_view actor, const std::string& id) {
  store::CaseRecord record;
  record.id = id;
  FillCaseRecord(rules, c, record);
  ICTS_ASSIGN_OR_RETURN(store::CaseRecord stored, st.PutCase(actor, record));
  c.id = stored.id;
  return StoredCase{std::move(stored), std::move(c)};
}

Result<StoredCase> AppendStoredEvent(store::Store& st, const DeadlineRules& rules,
                                     const std::string& id, Event e) {
  ICTS_ASSIGN_OR_RETURN(StoredCase l, LoadStoredCase(st, rules, id));
  const std::string actor = e.actor;
  ICTS_RETURN_IF_ERROR(Apply(rules, l.c, std::move(e)));
  const Event& added = l.c.events.back();
  store::CaseEvent se;
  se.case_id = l.c.id;
  se.kind = std::string(EventKindName(added.kind));
  se.occurred_on = added.date;
  se.payload_json = EventToJson(added).dump();
  store::CaseRecord update = l.record;
  FillCaseRecord(rules, l.c, update);
  Result<store::CaseEvent> stored = st.AppendCaseEvent(actor, se, update);
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kAborted) {
      return Status(StatusCode::kAborted,
                    fmt::format("case {} was changed by another writer; nothing was recorded, "
                                "try again",
                                l.c.id));
    }
    return stored.status();
  }
  if (stored->seq != added.seq) {
    return InternalError(fmt::format("case {}: the store numbered the event #{}, expected #{}",
                                     l.c.id, stored->seq, added.seq));
  }
  return l;
}

}  // namespace icts::cases
