// Store: the system of record. Determinations, screening results, scans,
// human decisions and review cases, each with a retention date, and an
// append-only, hash-chained audit log of every write.
//
// One abstract interface, several backends chosen by URL:
//   sqlite:PATH                    embedded default, one file (WAL)
//   postgres://... postgresql://...  a PostgreSQL server (libpq)
// Store::DefaultUrl() is "sqlite:" + $ICTS_STORE when that variable is set
// (a value that already has a scheme is used as is), else "sqlite:icts.db"
// in the working directory.
//
// What every backend must guarantee (the behaviour suite in store_test.cc
// checks each point against every backend):
//
//  1. Atomic, durable writes. Each write method either commits completely or
//     changes nothing; a batch method (a vector argument) is one transaction.
//     Once a write method has returned OK the data survives a crash of the
//     process (SIGKILL) and of the machine (SQLite: WAL + synchronous=FULL;
//     PostgreSQL: the server's fsync'd commit).
//  2. Audit in the same transaction. Every write appends exactly one audit
//     event per record written (see AuditEvent) in the same transaction as
//     the write, so there is never a record without its event or an event
//     without its record. Events are numbered 1, 2, 3, ... with no gaps
//     (seq), and appends are serialised across processes (SQLite: the write
//     lock; PostgreSQL: a lock taken before reading the chain head), so the
//     chain never forks. The chain hash is ComputeEventHash() in audit.h, the
//     same on every backend: a chain copied between backends verifies.
//  3. Append-only audit table. The backend refuses UPDATE and DELETE on the
//     audit table at the database level (triggers), not only in this code.
//  4. Immutable records. Determinations, screenings, scans and decisions are
//     never changed after they are written; a new decision on the same
//     subject is a new record that supersedes the old one. Cases change only
//     through PutCase/AppendCaseEvent, with optimistic versioning.
//  5. Retention. Every record carries retain_until (the store fills it in:
//     10 years after creation, or later when the caller asks; a case's is
//     10 years after its final determination). DeleteRecord before that day
//     fails with FailedPrecondition and changes nothing. Retention is only
//     ever extended, never shortened.
//  6. Errors. NotFound for a missing id, AlreadyExists for a caller-chosen id
//     that is taken, Aborted for a case version conflict, InvalidArgument for
//     malformed records (bad JSON text, empty required fields),
//     FailedPrecondition for a refused deletion, Unavailable/Internal for the
//     database itself. No exception leaves a Store method.
//  7. Migrations. Open() brings the schema to the newest version, in order,
//     each step in its own transaction, recorded in schema_migrations; a
//     store written by a newer engine (unknown version) is refused.
//
// Time: timestamps are UTC ISO 8601 strings with microseconds
// ("2025-06-01T12:00:00.123456Z"), taken from the store's clock; dates are
// civil dates (base/date.h).
//
// Thread safety: a Store object is not thread-safe; use one per thread.
// Several processes may open the same store at the same time.
#ifndef ICTS_STORE_STORE_H_
#define ICTS_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace icts::store {

// Years every record is kept: 15 CFR 791.106 (10 years after the final
// determination) and 791.312 (connected-vehicle records, 10 years).
inline constexpr int kRetentionYears = 10;

enum class RecordKind { kDetermination, kScreening, kScan, kDecision, kCase };
// "determination", "screening", "scan", "decision", "case".
std::string_view RecordKindName(RecordKind kind);
Result<RecordKind> ParseRecordKind(std::string_view name);

// --- Records ---------------------------------------------------------------
//
// Fields marked "(store)" are filled in by the store on write and ignored on
// input. An empty `id` on input asks the store for a fresh one.

// Where a determination came from, so it can be replayed (DESIGN.md §3.5).
struct Provenance {
  std::string input_sha256;     // Of the stored input_json's bytes.
  std::string snapshot_sha256;  // "" when no snapshot was used.
  std::string packs_json;       // JSON array [{"id","version","sha256"}, ...].
  std::string engine_version;
  Date as_of;
};

struct DeterminationRecord {
  std::string id;
  std::string transaction_id;  // The input's own id ("" when it has none).
  std::string outcome;         // prohibited | needs_review | clear
  std::string input_json;      // The transaction exactly as evaluated.
  std::string result_json;     // The determination as printed by `review`.
  Provenance provenance;
  std::string created_at;            // (store)
  std::optional<Date> retain_until;  // Default: creation + 10 years.
};

struct ScreeningRecord {
  std::string id;
  std::string query_name;   // As given (trimmed).
  std::string query_json;   // The whole query object.
  std::string result_json;  // {"query", "hits": [...]} as printed.
  std::string snapshot_sha256;
  int64_t hit_count = 0;
  std::string batch_id;    // Groups the rows of one batch screen, or "".
  std::string created_at;  // (store)
  std::optional<Date> retain_until;
};

struct ScanRecord {
  std::string id;
  std::string summary_json;  // Small: counts, gate, outcome.
  std::string result_json;   // The full scan result (JSON report).
  std::string created_at;    // (store)
  std::optional<Date> retain_until;
};

// --- Human decisions --------------------------------------------------------
//
// A decision is about a subject:
//   screening hit: entity_id = the list entry's id in the snapshot,
//                  subject_key = the normalised query name (NormalizeQueryKey)
//   finding:       entity_id = the supplier key, subject_key = the item key
// The newest decision on a subject supersedes older ones. A decision records
// the content hash of the list entry it was made on; when the entry's current
// hash differs, the decision is re-opened (it no longer applies and the hit
// needs a fresh look). A decision applies through its expires_on day.

enum class SubjectKind { kScreeningHit, kFinding };
std::string_view SubjectKindName(SubjectKind kind);  // "hit" | "finding"
Result<SubjectKind> ParseSubjectKind(std::string_view name);

enum class DecisionStatus {
  kFalsePositive,  // "false-positive": not the listed party.
  kConfirmed,      // "confirmed": it is the listed party.
  kAcceptedRisk,   // "accepted-risk"
  kMitigated,      // "mitigated"
  kNotApplicable,  // "not-applicable"
  kRevoked,        // "revoked": withdraws the earlier decisions on the subject.
};
std::string_view DecisionStatusName(DecisionStatus status);
Result<DecisionStatus> ParseDecisionStatus(std::string_view name);

struct DecisionRecord {
  std::string id;
  SubjectKind subject_kind = SubjectKind::kScreeningHit;
  std::string entity_id;
  std::string subject_key;
  DecisionStatus status = DecisionStatus::kFalsePositive;
  std::string reason;               // Required.
  std::string decided_by;           // Required: who decided.
  std::string decided_at;           // (store)
  std::optional<Date> expires_on;   // Applies through this day.
  std::string entity_content_hash;  // The entry's hash when decided ("" if none).
  std::string context_json;         // Optional extra JSON (e.g. the hit), or "".
  std::optional<Date> retain_until;
};

struct DecisionFilter {
  std::optional<SubjectKind> subject_kind;
  std::optional<std::string> entity_id;
  std::optional<std::string> subject_key;
  size_t limit = 1000;
};

// Lower-case, whitespace-collapsed, trimmed: the key a query name is stored
// under, so "  ACME  Corp " and "acme corp" share decisions. (ASCII case
// folding only, so the key is stable across ICU versions.)
std::string NormalizeQueryKey(std::string_view name);

enum class DecisionState {
  kInForce,   // Applies to the hit.
  kReopened,  // The list entry changed since the decision: look again.
  kExpired,   // Past expires_on.
  kRevoked,   // The newest decision is a revocation.
};
std::string_view DecisionStateName(DecisionState state);  // in-force|reopened|expired|revoked

// The state of `decision` for a hit whose entry now hashes to
// `current_content_hash`, on `today`. A decision made without a content hash
// is never re-opened by content.
DecisionState EvaluateDecision(const DecisionRecord& decision,
                               std::string_view current_content_hash, Date today);

// --- Cases ------------------------------------------------------------------
//
// The store keeps cases as opaque JSON with a few typed columns it can query;
// the case workflow (src/cases/) owns the meaning of state and payload.

struct CaseRecord {
  std::string id;
  std::string state;  // Required, e.g. "opened".
  Date opened_on;
  std::optional<Date> next_due_on;  // Earliest open deadline.
  std::optional<Date> final_determination_on;
  std::optional<Date> closed_on;
  std::string payload_json;  // Required: a JSON object.
  int64_t version = 0;       // 0 to create; else the version read (see PutCase).
  std::string created_at;    // (store)
  std::string updated_at;    // (store)
  // (store) max(creation, final_determination_on) + 10 years; a caller's
  // later date is kept. Never shortened.
  std::optional<Date> retain_until;
};

struct CaseFilter {
  std::optional<std::string> state;
  std::optional<Date> due_on_or_before;  // Cases with next_due_on <= this.
  bool open_only = false;                // closed_on not set.
  size_t limit = 1000;
};

struct CaseEvent {
  std::string case_id;
  int64_t seq = 0;           // (store) 1, 2, ... per case.
  std::string kind;          // Required, e.g. "served".
  Date occurred_on;          // The date the event happened, as entered.
  std::string payload_json;  // A JSON object ("{}" allowed).
  std::string actor;         // (store) the write's actor.
  std::string recorded_at;   // (store)
};

// --- Audit ------------------------------------------------------------------

// One event of the audit chain. hash = SHA-256(prev_hash ‖ canonical bytes),
// see audit.h for the exact bytes.
struct AuditEvent {
  int64_t seq = 0;   // 1, 2, 3, ...
  std::string time;  // UTC ISO 8601 with microseconds.
  std::string actor;
  std::string kind;            // e.g. "determination.put", "case.event".
  std::string subject_id;      // The record's id (cases: "CASE" or "CASE#SEQ").
  std::string payload_sha256;  // Of the record's canonical payload (audit.h).
  std::string prev_hash;       // Hex; 64 zeros for the first event.
  std::string hash;            // Hex.
};

struct AuditReport {
  bool intact = true;
  int64_t events = 0;         // Events read.
  std::string head_hash;      // Hash of the last good event ("" if none).
  int64_t first_bad_seq = 0;  // When not intact: the first bad event's seq
                              // (or the position where one is missing).
  std::string problem;        // When not intact: what is wrong, in words.
};

// --- The store --------------------------------------------------------------

class Store {
 public:
  virtual ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens (creating and migrating if needed) the store at `url`.
  // InvalidArgument for an unknown scheme or malformed URL; Unavailable when
  // the database cannot be reached or opened.
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  // See the file comment.
  static std::string DefaultUrl();

  // The URL without any password.
  virtual std::string DisplayUrl() const = 0;
  // The schema version after migration.
  virtual Result<int> SchemaVersion() = 0;

  // Every write names its `actor` (a user, service or "cli:<user>"); it goes
  // into the audit event. Writes return the ids of the records written.

  // Determinations.
  virtual Result<std::vector<std::string>> PutDeterminations(
      std::string_view actor, std::vector<DeterminationRecord> records) = 0;
  Result<std::string> PutDetermination(std::string_view actor, DeterminationRecord record);
  virtual Result<DeterminationRecord> GetDetermination(const std::string& id) = 0;
  // Newest first.
  virtual Result<std::vector<DeterminationRecord>> ListDeterminations(size_t limit,
                                                                      size_t offset) = 0;

  // Screening results.
  virtual Result<std::vector<std::string>> PutScreenings(std::string_view actor,
                                                         std::vector<ScreeningRecord> records) = 0;
  virtual Result<ScreeningRecord> GetScreening(const std::string& id) = 0;

  // Scans.
  virtual Result<std::string> PutScan(std::string_view actor, ScanRecord record) = 0;
  virtual Result<ScanRecord> GetScan(const std::string& id) = 0;

  // Decisions. PutDecision requires entity_id, subject_key, reason and
  // decided_by. ListDecisions returns matches newest first (the first one per
  // subject is the one that counts).
  virtual Result<std::string> PutDecision(std::string_view actor, DecisionRecord record) = 0;
  virtual Result<DecisionRecord> GetDecision(const std::string& id) = 0;
  virtual Result<std::vector<DecisionRecord>> ListDecisions(const DecisionFilter& filter) = 0;
  // The newest decision on (kind, entity_id, subject_key), if any.
  Result<std::optional<DecisionRecord>> CurrentDecision(SubjectKind kind,
                                                        const std::string& entity_id,
                                                        const std::string& subject_key);

  // Cases. PutCase creates the case when record.version is 0 (AlreadyExists
  // if the id is taken) and otherwise updates it only if the stored version
  // equals record.version (else Aborted: someone else changed it). Returns
  // the case as stored (new version, timestamps, retention, id).
  virtual Result<CaseRecord> PutCase(std::string_view actor, CaseRecord record) = 0;
  virtual Result<CaseRecord> GetCase(const std::string& id) = 0;
  // Ordered by next_due_on (cases without one last), then id.
  virtual Result<std::vector<CaseRecord>> ListCases(const CaseFilter& filter) = 0;
  // Appends `event` to its case and, when `case_update` is given, applies it
  // as PutCase would — both in one transaction. Returns the event as stored
  // (with seq, actor, recorded_at). NotFound when the case does not exist.
  virtual Result<CaseEvent> AppendCaseEvent(std::string_view actor, CaseEvent event,
                                            std::optional<CaseRecord> case_update) = 0;
  // In seq order.
  virtual Result<std::vector<CaseEvent>> ListCaseEvents(const std::string& case_id) = 0;

  // Retention. DeleteRecord removes a record (a case with its events) once
  // its retain_until day has passed — FailedPrecondition before — and audits
  // the deletion. ExtendRetention moves retain_until later (an earlier date
  // is ignored, not an error). Both: NotFound when there is no such record.
  virtual Status DeleteRecord(std::string_view actor, RecordKind kind, const std::string& id) = 0;
  virtual Status ExtendRetention(std::string_view actor, RecordKind kind, const std::string& id,
                                 Date until) = 0;
  virtual Result<Date> RetainUntil(RecordKind kind, const std::string& id) = 0;

  // Audit. AppendAuditEvent records an event that goes with no record (an
  // export, a replay, a login): `payload` is hashed, not stored.
  virtual Result<AuditEvent> AppendAuditEvent(std::string_view actor, std::string_view kind,
                                              std::string_view subject_id,
                                              std::string_view payload) = 0;
  // Events with seq > after_seq, in seq order (as stored: no checking), at
  // most `limit`.
  virtual Result<std::vector<AuditEvent>> ReadAudit(int64_t after_seq, size_t limit) = 0;
  // Walks the whole chain (see audit.h) and names the first bad event.
  // An error Status only when the store cannot be read.
  Result<AuditReport> VerifyAudit();
  // The highest audit sequence number any record carries (0 when none):
  // VerifyAudit() checks that the chain reaches it, so cutting events off
  // the end of the chain is found too when a record outlives its event.
  virtual Result<int64_t> MaxRecordAuditSeq() = 0;
  // Writes a signed bundle of the whole chain to the folder `bundle_dir`
  // (created; must not exist or be empty) — see audit.h for the format.
  // `private_key_pem` is an Ed25519 private key in PEM. The export itself is
  // audited (kind "audit.export") before the chain is read.
  Status ExportAudit(std::string_view actor, const std::string& bundle_dir,
                     const std::string& private_key_pem);

  // The clock the store stamps records and events with (UTC). Tests replace
  // it to move time; the default is the system clock.
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  void SetClock(Clock clock) { clock_ = std::move(clock); }

 protected:
  Store() = default;
  std::chrono::system_clock::time_point Now() const;
  std::string NowIso() const;  // "2025-06-01T12:00:00.123456Z"
  Date Today() const;          // The UTC day of Now().

 private:
  Clock clock_;
};

}  // namespace icts::store

#endif  // ICTS_STORE_STORE_H_
