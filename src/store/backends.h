// For backend authors: how a backend plugs into Store::Open, and the shared
// record preparation every backend calls so that ids, timestamps, retention
// dates, validation and audit payloads come out the same on every backend.
//
// Not for callers of the store: they use store.h only.
#ifndef ICTS_STORE_BACKENDS_H_
#define ICTS_STORE_BACKENDS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/date.h"
#include "base/status.h"
#include "store/store.h"

namespace icts::store {

// --- Backend registry ---------------------------------------------------------
//
// A backend registers a factory for its URL scheme(s) with a static
// registrar in its own .cc file:
//
//   namespace { const bool kRegistered =
//       RegisterBackend("postgres", &OpenPostgres) &&
//       RegisterBackend("postgresql", &OpenPostgres); }
//
// The icts_store target links its archive whole, so a registrar in any of
// its sources runs without being referenced. Store::Open takes the scheme
// (the text before the first ':') and calls the factory with the whole URL.

using BackendFactory = std::function<Result<std::unique_ptr<Store>>(const std::string& url)>;

// Registers `factory` for `scheme` (lower case, no ':'). Returns true; a
// second registration of the same scheme replaces the first.
bool RegisterBackend(const std::string& scheme, BackendFactory factory);

// sqlite:PATH (sqlite_store.cc). PATH ":memory:" gives a private in-memory
// store (tests).
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& url);
// postgres://... or postgresql://... (pg_store.cc).
Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url);

// --- Shared record preparation ------------------------------------------------
//
// Each Prepare* validates a record given to a write method and fills in the
// (store) fields: a fresh id when `id` is empty, timestamps from `now_iso`,
// retain_until (at least `today` + 10 years, or the caller's later date).
// InvalidArgument names the bad field. Backends call these before writing.

// A fresh random id: "<prefix>-" followed by 20 lower-case hex digits
// (e.g. "det-3f9a0c..."). Prefixes: det, scr, scan, dec, case.
std::string NewId(std::string_view prefix);

Status PrepareDetermination(DeterminationRecord& record, std::string_view now_iso, Date today);
Status PrepareScreening(ScreeningRecord& record, std::string_view now_iso, Date today);
Status PrepareScan(ScanRecord& record, std::string_view now_iso, Date today);
Status PrepareDecision(DecisionRecord& record, std::string_view now_iso, Date today);
// A new case (record.version must be 0): the stored version becomes 1.
Status PrepareNewCase(CaseRecord& record, std::string_view now_iso, Date today);
// An update of `stored` (record.version must equal stored.version, else
// Aborted): keeps id and created_at, bumps the version, and never lets
// retain_until move earlier than stored.retain_until.
Status PrepareCaseUpdate(CaseRecord& record, const CaseRecord& stored, std::string_view now_iso);
// Fills actor and recorded_at; the backend assigns seq.
Status PrepareCaseEvent(CaseEvent& event, std::string_view actor, std::string_view now_iso);

// The UTC ISO 8601 text of `t` with microseconds.
std::string FormatUtc(std::chrono::system_clock::time_point t);

// True when `text` is one complete JSON value (any type).
bool IsJson(std::string_view text);
// True when `text` is one JSON object.
bool IsJsonObject(std::string_view text);

}  // namespace icts::store

#endif  // ICTS_STORE_BACKENDS_H_
