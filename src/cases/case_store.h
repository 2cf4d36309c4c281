// Cases kept in the store: the case header as the case record (with the
// columns the store can query), each event as an audited case event written
// in one transaction with the record's update. Shared by `icts case` and
// `icts serve`.
#ifndef ICTS_CASES_CASE_STORE_H_
#define ICTS_CASES_CASE_STORE_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "cases/case.h"
#include "store/store.h"

namespace icts::cases {

struct StoredCase {
  store::CaseRecord record;
  Case c;  // Replayed through the state machine.
};

// The record's queryable columns and payload, from the case and its events.
void FillCaseRecord(const DeadlineRules& rules, const Case& c, store::CaseRecord& record);

// Loads a case and replays its events. DATA_LOSS when what is stored no
// longer reads or no longer passes the rules.
Result<StoredCase> LoadStoredCase(store::Store& st, const DeadlineRules& rules,
                                  const std::string& id);

// Stores a new case (an empty `id` asks the store for one).
Result<StoredCase> CreateStoredCase(store::Store& st, const DeadlineRules& rules, Case c,
                                    std::string_view actor, const std::string& id);

// Applies an event to a stored case and records it with the case's update,
// atomically. Refused events leave the store untouched (INVALID_ARGUMENT or
// FAILED_PRECONDITION naming the state and the allowed events); ABORTED when
// another writer changed the case meanwhile.
Result<StoredCase> AppendStoredEvent(store::Store& st, const DeadlineRules& rules,
                                     const std::string& id, Event e);

}  // namespace icts::cases

#endif  // ICTS_CASES_CASE_STORE_H_
