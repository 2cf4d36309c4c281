// The SQLite backend: one file in WAL mode, synchronous=FULL, STRICT tables,
// versioned migrations, and the audit chain appended in the same
// transaction as every write (BEGIN IMMEDIATE serialises writers, so the
// chain cannot fork). Triggers make the audit table append-only and the
// record tables immutable except for their retention dates.
#include "store/sqlite_store.h"

#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "store/audit.h"
#include "store/backends.h"
#include "store/sqlite_db.h"

namespace icts::store {
namespace {

using sqlite::Db;
using sqlite::Stmt;
using sqlite::Tx;

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Ordered; never edit a released step — add a new one.
constexpr Migration kMigrations[] = {
    {1, "audit chain, determinations, screenings, scans, decisions", R"sql(
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  payload_sha256 TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE determinations (
  id TEXT PRIMARY KEY,
  transaction_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  input_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  input_sha256 TEXT NOT NULL,
  snapshot_sha256 TEXT NOT NULL,
  packs_json TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  as_of TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retain_until TEXT NOT NULL,
  audit_seq INTEGER NOT NULL
) STRICT;
CREATE TRIGGER determinations_immutable BEFORE UPDATE OF id, transaction_id,
  outcome, input_json, result_json, input_sha256, snapshot_sha256, packs_json,
  engine_version, as_of, created_at, audit_seq ON determinations
BEGIN SELECT RAISE(ABORT, 'determinations are immutable'); END;
CREATE INDEX determinations_by_seq ON determinations(audit_seq);

CREATE TABLE screenings (
  id TEXT PRIMARY KEY,
  query_name TEXT NOT NULL,
  query_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  snapshot_sha256 TEXT NOT NULL,
  hit_count INTEGER NOT NULL,
  batch_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retain_until TEXT NOT NULL,
  audit_seq INTEGER NOT NULL
) STRICT;
CREATE TRIGGER screenings_immutable BEFORE UPDATE OF id, query_name,
  query_json, result_json, snapshot_sha256, hit_count, batch_id, created_at,
  audit_seq ON screenings
BEGIN SELECT RAISE(ABORT, 'screenings are immutable'); END;

CREATE TABLE scans (
  id TEXT PRIMARY KEY,
  summary_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retain_until TEXT NOT NULL,
  audit_seq INTEGER NOT NULL
) STRICT;
CREATE TRIGGER scans_immutable BEFORE UPDATE OF id, summary_json, result_json,
  created_at, audit_seq ON scans
BEGIN SELECT RAISE(ABORT, 'scans are immutable'); END;

CREATE TABLE decisions (
  id TEXT PRIMARY KEY,
  subject_kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  expires_on TEXT,
  entity_content_hash TEXT NOT NULL,
  context_json TEXT NOT NULL,
  retain_until TEXT NOT NULL,
  audit_seq INTEGER NOT NULL
) STRICT;
CREATE TRIGGER decisions_immutable BEFORE UPDATE OF id, subject_kind,
  entity_id, subject_key, status, reason, decided_by, decided_at, expires_on,
  entity_content_hash, context_json, audit_seq ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
CREATE INDEX decisions_by_subject
  ON decisions(entity_id, subject_key, subject_kind, audit_seq);
)sql"},
    {2, "cases and case events", R"sql(
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  opened_on TEXT NOT NULL,
  next_due_on TEXT,
  final_determination_on TEXT,
  closed_on TEXT,
  payload_json TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  retain_until TEXT NOT NULL
) STRICT;
CREATE INDEX cases_by_due ON cases(next_due_on);
CREATE INDEX cases_by_state ON cases(state);
CREATE TABLE case_events (
  case_id TEXT NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  occurred_on TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  actor TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  PRIMARY KEY (case_id, seq)
) STRICT;
CREATE TRIGGER case_events_immutable BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are immutable'); END;
)sql"},
};

constexpr int kLatestVersion = 2;

std::optional<std::string> OptIso(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToIso();
}

Date ParseDay(const std::string& text) {
  Result<Date> d = Date::ParseIso(text);
  return d.ok() ? *d : Date();
}

std::optional<Date> ParseOptDay(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return ParseDay(*text);
}

std::string_view TableFor(RecordKind kind) {
  switch (kind) {
    case RecordKind::kDetermination:
      return "determinations";
    case RecordKind::kScreening:
      return "screenings";
    case RecordKind::kScan:
      return "scans";
    case RecordKind::kDecision:
      return "decisions";
    case RecordKind::kCase:
      return "cases";
  }
  return "determinations";
}

Status Named(Status s, std::string_view kind, const std::string& id) {
  if (s.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError(std::string(kind) + " '" + id + "' already exists");
  }
  return s;
}

constexpr std::string_view kDeterminationColumns =
    "id, transaction_id, outcome, input_json, result_json, input_sha256, "
    "snapshot_sha256, packs_json, engine_version, as_of, created_at, "
    "retain_until";
constexpr std::string_view kScreeningColumns =
    "id, query_name, query_json, result_json, snapshot_sha256, hit_count, "
    "batch_id, created_at, retain_until";
constexpr std::string_view kScanColumns = "id, summary_json, result_json, created_at, retain_until";
constexpr std::string_view kDecisionColumns =
    "id, subject_kind, entity_id, subject_key, status, reason, decided_by, "
    "decided_at, expires_on, entity_content_hash, context_json, retain_until";
constexpr std::string_view kCaseColumns =
    "id, state, opened_on, next_due_on, final_determination_on, closed_on, "
    "payload_json, version, created_at, updated_at, retain_until";
constexpr std::string_view kCaseEventColumns =
    "case_id, seq, kind, occurred_on, payload_json, actor, recorded_at";

DeterminationRecord ReadDetermination(const Stmt& s) {
  DeterminationRecord r;
  r.id = s.Text(0);
  r.transaction_id = s.Text(1);
  r.outcome = s.Text(2);
  r.input_json = s.Text(3);
  r.result_json = s.Text(4);
  r.provenance.input_sha256 = s.Text(5);
  r.provenance.snapshot_sha256 = s.Text(6);
  r.provenance.packs_json = s.Text(7);
  r.provenance.engine_version = s.Text(8);
  r.provenance.as_of = ParseDay(s.Text(9));
  r.created_at = s.Text(10);
  r.retain_until = ParseDay(s.Text(11));
  return r;
}

ScreeningRecord ReadScreening(const Stmt& s) {
  ScreeningRecord r;
  r.id = s.Text(0);
  r.query_name = s.Text(1);
  r.query_json = s.Text(2);
  r.result_json = s.Text(3);
  r.snapshot_sha256 = s.Text(4);
  r.hit_count = s.Int(5);
  r.batch_id = s.Text(6);
  r.created_at = s.Text(7);
  r.retain_until = ParseDay(s.Text(8));
  return r;
}

ScanRecord ReadScan(const Stmt& s) {
  ScanRecord r;
  r.id = s.Text(0);
  r.summary_json = s.Text(1);
  r.result_json = s.Text(2);
  r.created_at = s.Text(3);
  r.retain_until = ParseDay(s.Text(4));
  return r;
}

DecisionRecord ReadDecision(const Stmt& s) {
  DecisionRecord r;
  r.id = s.Text(0);
  Result<SubjectKind> kind = ParseSubjectKind(s.Text(1));
  if (kind.ok()) r.subject_kind = *kind;
  r.entity_id = s.Text(2);
  r.subject_key = s.Text(3);
  Result<DecisionStatus> status = ParseDecisionStatus(s.Text(4));
  if (status.ok()) r.status = *status;
  r.reason = s.Text(5);
  r.decided_by = s.Text(6);
  r.decided_at = s.Text(7);
  r.expires_on = ParseOptDay(s.OptText(8));
  r.entity_content_hash = s.Text(9);
  r.context_json = s.Text(10);
  r.retain_until = ParseDay(s.Text(11));
  return r;
}

CaseRecord ReadCase(const Stmt& s) {
  CaseRecord r;
  r.id = s.Text(0);
  r.state = s.Text(1);
  r.opened_on = ParseDay(s.Text(2));
  r.next_due_on = ParseOptDay(s.OptText(3));
  r.final_determination_on = ParseOptDay(s.OptText(4));
  r.closed_on = ParseOptDay(s.OptText(5));
  r.payload_json = s.Text(6);
  r.version = s.Int(7);
  r.created_at = s.Text(8);
  r.updated_at = s.Text(9);
  r.retain_until = ParseDay(s.Text(10));
  return r;
}

CaseEvent ReadCaseEvent(const Stmt& s) {
  CaseEvent e;
  e.case_id = s.Text(0);
  e.seq = s.Int(1);
  e.kind = s.Text(2);
  e.occurred_on = ParseDay(s.Text(3));
  e.payload_json = s.Text(4);
  e.actor = s.Text(5);
  e.recorded_at = s.Text(6);
  return e;
}

Status CheckActor(std::string_view actor) {
  if (TrimAscii(actor).empty()) {
    return InvalidArgumentError("every write needs an actor (who is writing)");
  }
  if (FindInvalidUtf8(actor) != std::string_view::npos) {
    return InvalidArgumentError("actor is not valid UTF-8");
  }
  return Status::Ok();
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Status Migrate(int target_version);

  std::string DisplayUrl() const override { return "sqlite:" + db_->path(); }

  Result<int> SchemaVersion() override {
    ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT coalesce(max(version), 0) FROM "
                                               "schema_migrations"));
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return 0;
    return static_cast<int>(s.Int(0));
  }

  Result<int64_t> MaxRecordAuditSeq() override {
    ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(
        "SELECT max(m) FROM (SELECT max(audit_seq) AS m FROM determinations UNION ALL SELECT max(audit_seq) FROM screenings UNION ALL SELECT max(audit_seq) FROM scans UNION ALL SELECT max(audit_seq) FROM decisions UNION ALL SELECT max(audit_seq) FROM case_events) AS t"));
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return int64_t{0};
    return static_cast<int64_t>(s.Int(0));
  }

  Result<std::vector<std::string>> PutDeterminations(
      std::string_view actor, std::vector<DeterminationRecord> records) override;
  Result<DeterminationRecord> GetDetermination(const std::string& id) override;
  Result<std::vector<DeterminationRecord>> ListDeterminations(size_t limit, size_t offset) override;
  Result<std::vector<std::string>> PutScreenings(std::string_view actor,
                                                 std::vector<ScreeningRecord> records) override;
  Result<ScreeningRecord> GetScreening(const std::string& id) override;
  Result<std::string> PutScan(std::string_view actor, ScanRecord record) override;
  Result<ScanRecord> GetScan(const std::string& id) override;
  Result<std::string> PutDecision(std::string_view actor, DecisionRecord record) override;
  Result<DecisionRecord> GetDecision(const std::string& id) override;
  Result<std::vector<DecisionRecord>> ListDecisions(const DecisionFilter& filter) override;
  Result<CaseRecord> PutCase(std::string_view actor, CaseRecord record) override;
  Result<CaseRecord> GetCase(const std::string& id) override;
  Result<std::vector<CaseRecord>> ListCases(const CaseFilter& filter) override;
  Result<CaseEvent> AppendCaseEvent(std::string_view actor, CaseEvent event,
                                    std::optional<CaseRecord> case_update) override;
  Result<std::vector<CaseEvent>> ListCaseEvents(const std::string& case_id) override;
  Status DeleteRecord(std::string_view actor, RecordKind kind, const std::string& id) override;
  Status ExtendRetention(std::string_view actor, RecordKind kind, const std::string& id,
                         Date until) override;
  Result<Date> RetainUntil(RecordKind kind, const std::string& id) override;
  Result<AuditEvent> AppendAuditEvent(std::string_view actor, std::string_view kind,
                                      std::string_view subject_id,
                                      std::string_view payload) override;
  Result<std::vector<AuditEvent>> ReadAudit(int64_t after_seq, size_t limit) override;

 private:
  // Appends one event; the caller holds an open transaction.
  Result<AuditEvent> Append(std::string_view actor, std::string_view kind,
                            std::string_view subject_id, std::string_view payload,
                            const std::string& now);
  Result<CaseRecord> LoadCase(const std::string& id);
  Status WriteCaseUpdate(std::string_view actor, CaseRecord& record, const std::string& now);

  template <typename T, typename Reader>
  Result<T> GetOne(std::string_view columns, std::string_view table, const std::string& id,
                   Reader reader, std::string_view what) {
    std::string sql =
        "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE id = ?";
    ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql));
    s.Bind(1, id);
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return NotFoundError(std::string(what) + " '" + id + "' not found");
    return reader(s);
  }

  std::unique_ptr<Db> db_;
};

Status SqliteStore::Migrate(int target_version) {
  ICTS_RETURN_IF_ERROR(
      db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                " applied_at TEXT NOT NULL) STRICT"));
  ICTS_ASSIGN_OR_RETURN(int current, SchemaVersion());
  if (current > kLatestVersion) {
    return FailedPreconditionError(db_->path() + ": schema version " + std::to_string(current) +
                                   " was written by a newer icts (this one knows up to " +
                                   std::to_string(kLatestVersion) + ")");
  }
  for (const Migration& m : kMigrations) {
    if (m.version > target_version) break;
    Tx tx(*db_);
    ICTS_RETURN_IF_ERROR(tx.status());
    // Re-read inside the write lock: another process may have migrated.
    ICTS_ASSIGN_OR_RETURN(int now_version, SchemaVersion());
    if (m.version <= now_version) continue;
    ICTS_RETURN_IF_ERROR(db_->Exec(m.sql).WithPrefix("migration " + std::to_string(m.version)));
    ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("INSERT INTO schema_migrations(version, "
                                               "description, applied_at) VALUES (?, ?, ?)"));
    s.Bind(1, static_cast<int64_t>(m.version)).Bind(2, m.description).Bind(3, NowIso());
    ICTS_RETURN_IF_ERROR(s.Run());
    ICTS_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

Result<AuditEvent> SqliteStore::Append(std::string_view actor, std::string_view kind,
                                       std::string_view subject_id, std::string_view payload,
                                       const std::string& now) {
  ICTS_ASSIGN_OR_RETURN(Stmt head, db_->Prepare("SELECT seq, hash FROM audit_events ORDER "
                                                "BY seq DESC LIMIT 1"));
  ICTS_ASSIGN_OR_RETURN(bool row, head.Step());
  AuditEvent event;
  std::string prev(kGenesisHash);
  event.seq = 1;
  if (row) {
    event.seq = head.Int(0) + 1;
    prev = head.Text(1);
  }
  event.time = now;
  event.actor = std::string(actor);
  event.kind = std::string(kind);
  event.subject_id = std::string(subject_id);
  SealEvent(event, prev, payload);
  ICTS_ASSIGN_OR_RETURN(Stmt ins, db_->Prepare("INSERT INTO audit_events(seq, time, actor, "
                                               "kind, subject_id, payload_sha256, "
                                               "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)"));
  ins.Bind(1, event.seq)
      .Bind(2, event.time)
      .Bind(3, event.actor)
      .Bind(4, event.kind)
      .Bind(5, event.subject_id)
      .Bind(6, event.payload_sha256)
      .Bind(7, event.prev_hash)
      .Bind(8, event.hash);
  ICTS_RETURN_IF_ERROR(ins.Run());
  return event;
}

Result<std::vector<std::string>> SqliteStore::PutDeterminations(
    std::string_view actor, std::vector<DeterminationRecord> records) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Date today = Today();
  for (DeterminationRecord& r : records) {
    ICTS_RETURN_IF_ERROR(PrepareDetermination(r, now, today));
  }
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(
      Stmt ins, db_->Prepare("INSERT INTO determinations(" + std::string(kDeterminationColumns) +
                             ", audit_seq) VALUES "
                             "(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  std::vector<std::string> ids;
  for (const DeterminationRecord& r : records) {
    ICTS_ASSIGN_OR_RETURN(AuditEvent event,
                          Append(actor, kEventDeterminationPut, r.id, CanonicalPayload(r), now));
    ins.Reset();
    ins.Bind(1, r.id)
        .Bind(2, r.transaction_id)
        .Bind(3, r.outcome)
        .Bind(4, r.input_json)
        .Bind(5, r.result_json)
        .Bind(6, r.provenance.input_sha256)
        .Bind(7, r.provenance.snapshot_sha256)
        .Bind(8, r.provenance.packs_json)
        .Bind(9, r.provenance.engine_version)
        .Bind(10, r.provenance.as_of.ToIso())
        .Bind(11, r.created_at)
        .Bind(12, r.retain_until->ToIso())
        .Bind(13, event.seq);
    ICTS_RETURN_IF_ERROR(Named(ins.Run(), "determination", r.id));
    ids.push_back(r.id);
  }
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return ids;
}

Result<DeterminationRecord> SqliteStore::GetDetermination(const std::string& id) {
  return GetOne<DeterminationRecord>(kDeterminationColumns, "determinations", id, ReadDetermination,
                                     "determination");
}

Result<std::vector<DeterminationRecord>> SqliteStore::ListDeterminations(size_t limit,
                                                                         size_t offset) {
  ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT " + std::string(kDeterminationColumns) +
                                             " FROM determinations ORDER BY "
                                             "audit_seq DESC LIMIT ? OFFSET ?"));
  s.Bind(1, static_cast<int64_t>(limit)).Bind(2, static_cast<int64_t>(offset));
  std::vector<DeterminationRecord> out;
  while (true) {
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadDetermination(s));
  }
  return out;
}

Result<std::vector<std::string>> SqliteStore::PutScreenings(std::string_view actor,
                                                            std::vector<ScreeningRecord> records) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Date today = Today();
  for (ScreeningRecord& r : records) {
    ICTS_RETURN_IF_ERROR(PrepareScreening(r, now, today));
  }
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(Stmt ins,
                        db_->Prepare("INSERT INTO screenings(" + std::string(kScreeningColumns) +
                                     ", audit_seq) VALUES "
                                     "(?,?,?,?,?,?,?,?,?,?)"));
  std::vector<std::string> ids;
  for (const ScreeningRecord& r : records) {
    ICTS_ASSIGN_OR_RETURN(AuditEvent event,
                          Append(actor, kEventScreeningPut, r.id, CanonicalPayload(r), now));
    ins.Reset();
    ins.Bind(1, r.id)
        .Bind(2, r.query_name)
        .Bind(3, r.query_json)
        .Bind(4, r.result_json)
        .Bind(5, r.snapshot_sha256)
        .Bind(6, r.hit_count)
        .Bind(7, r.batch_id)
        .Bind(8, r.created_at)
        .Bind(9, r.retain_until->ToIso())
        .Bind(10, event.seq);
    ICTS_RETURN_IF_ERROR(Named(ins.Run(), "screening", r.id));
    ids.push_back(r.id);
  }
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return ids;
}

Result<ScreeningRecord> SqliteStore::GetScreening(const std::string& id) {
  return GetOne<ScreeningRecord>(kScreeningColumns, "screenings", id, ReadScreening, "screening");
}

Result<std::string> SqliteStore::PutScan(std::string_view actor, ScanRecord r) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  ICTS_RETURN_IF_ERROR(PrepareScan(r, now, Today()));
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(AuditEvent event,
                        Append(actor, kEventScanPut, r.id, CanonicalPayload(r), now));
  ICTS_ASSIGN_OR_RETURN(Stmt ins, db_->Prepare("INSERT INTO scans(" + std::string(kScanColumns) +
                                               ", audit_seq) VALUES (?,?,?,?,?,?)"));
  ins.Bind(1, r.id)
      .Bind(2, r.summary_json)
      .Bind(3, r.result_json)
      .Bind(4, r.created_at)
      .Bind(5, r.retain_until->ToIso())
      .Bind(6, event.seq);
  ICTS_RETURN_IF_ERROR(Named(ins.Run(), "scan", r.id));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return r.id;
}

Result<ScanRecord> SqliteStore::GetScan(const std::string& id) {
  return GetOne<ScanRecord>(kScanColumns, "scans", id, ReadScan, "scan");
}

Result<std::string> SqliteStore::PutDecision(std::string_view actor, DecisionRecord r) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  ICTS_RETURN_IF_ERROR(PrepareDecision(r, now, Today()));
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(AuditEvent event,
                        Append(actor, kEventDecisionPut, r.id, CanonicalPayload(r), now));
  ICTS_ASSIGN_OR_RETURN(Stmt ins,
                        db_->Prepare("INSERT INTO decisions(" + std::string(kDecisionColumns) +
                                     ", audit_seq) VALUES "
                                     "(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  ins.Bind(1, r.id)
      .Bind(2, SubjectKindName(r.subject_kind))
      .Bind(3, r.entity_id)
      .Bind(4, r.subject_key)
      .Bind(5, DecisionStatusName(r.status))
      .Bind(6, r.reason)
      .Bind(7, r.decided_by)
      .Bind(8, r.decided_at)
      .BindOpt(9, OptIso(r.expires_on))
      .Bind(10, r.entity_content_hash)
      .Bind(11, r.context_json)
      .Bind(12, r.retain_until->ToIso())
      .Bind(13, event.seq);
  ICTS_RETURN_IF_ERROR(Named(ins.Run(), "decision", r.id));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return r.id;
}

Result<DecisionRecord> SqliteStore::GetDecision(const std::string& id) {
  return GetOne<DecisionRecord>(kDecisionColumns, "decisions", id, ReadDecision, "decision");
}

Result<std::vector<DecisionRecord>> SqliteStore::ListDecisions(const DecisionFilter& filter) {
  std::string sql = "SELECT " + std::string(kDecisionColumns) + " FROM decisions WHERE 1=1";
  if (filter.subject_kind) sql += " AND subject_kind = ?1";
  if (filter.entity_id) sql += " AND entity_id = ?2";
  if (filter.subject_key) sql += " AND subject_key = ?3";
  sql += " ORDER BY audit_seq DESC LIMIT ?4";
  ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql));
  if (filter.subject_kind) s.Bind(1, SubjectKindName(*filter.subject_kind));
  if (filter.entity_id) s.Bind(2, std::string_view(*filter.entity_id));
  if (filter.subject_key) {
    std::string key = *filter.subject_key;
    if (filter.subject_kind == SubjectKind::kScreeningHit) {
      key = NormalizeQueryKey(key);
    }
    s.Bind(3, std::string_view(key));
  }
  s.Bind(4, static_cast<int64_t>(filter.limit));
  std::vector<DecisionRecord> out;
  while (true) {
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadDecision(s));
  }
  return out;
}

Result<CaseRecord> SqliteStore::LoadCase(const std::string& id) {
  return GetOne<CaseRecord>(kCaseColumns, "cases", id, ReadCase, "case");
}

Status SqliteStore::WriteCaseUpdate(std::string_view actor, CaseRecord& record,
                                    const std::string& now) {
  ICTS_ASSIGN_OR_RETURN(CaseRecord stored, LoadCase(record.id));
  ICTS_RETURN_IF_ERROR(PrepareCaseUpdate(record, stored, now));
  ICTS_RETURN_IF_ERROR(
      Append(actor, kEventCaseUpdate, record.id, CanonicalPayload(record), now).status());
  ICTS_ASSIGN_OR_RETURN(Stmt up, db_->Prepare("UPDATE cases SET state=?2, opened_on=?3, "
                                              "next_due_on=?4, final_determination_on=?5, "
                                              "closed_on=?6, payload_json=?7, version=?8, "
                                              "updated_at=?9, retain_until=?10 "
                                              "WHERE id=?1 AND version=?11"));
  up.Bind(1, record.id)
      .Bind(2, record.state)
      .Bind(3, record.opened_on.ToIso())
      .BindOpt(4, OptIso(record.next_due_on))
      .BindOpt(5, OptIso(record.final_determination_on))
      .BindOpt(6, OptIso(record.closed_on))
      .Bind(7, record.payload_json)
      .Bind(8, record.version)
      .Bind(9, record.updated_at)
      .Bind(10, record.retain_until->ToIso())
      .Bind(11, stored.version);
  ICTS_RETURN_IF_ERROR(up.Run());
  if (db_->Changes() != 1) return InternalError("case update lost its row");
  return Status::Ok();
}

Result<CaseRecord> SqliteStore::PutCase(std::string_view actor, CaseRecord record) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  if (record.version == 0) {
    ICTS_RETURN_IF_ERROR(PrepareNewCase(record, now, Today()));
    Tx tx(*db_);
    ICTS_RETURN_IF_ERROR(tx.status());
    ICTS_RETURN_IF_ERROR(
        Append(actor, kEventCaseCreate, record.id, CanonicalPayload(record), now).status());
    ICTS_ASSIGN_OR_RETURN(Stmt ins, db_->Prepare("INSERT INTO cases(" + std::string(kCaseColumns) +
                                                 ") VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    ins.Bind(1, record.id)
        .Bind(2, record.state)
        .Bind(3, record.opened_on.ToIso())
        .BindOpt(4, OptIso(record.next_due_on))
        .BindOpt(5, OptIso(record.final_determination_on))
        .BindOpt(6, OptIso(record.closed_on))
        .Bind(7, record.payload_json)
        .Bind(8, record.version)
        .Bind(9, record.created_at)
        .Bind(10, record.updated_at)
        .Bind(11, record.retain_until->ToIso());
    ICTS_RETURN_IF_ERROR(Named(ins.Run(), "case", record.id));
    ICTS_RETURN_IF_ERROR(tx.Commit());
    return record;
  }
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_RETURN_IF_ERROR(WriteCaseUpdate(actor, record, now));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return record;
}

Result<CaseRecord> SqliteStore::GetCase(const std::string& id) { return LoadCase(id); }

Result<std::vector<CaseRecord>> SqliteStore::ListCases(const CaseFilter& filter) {
  std::string sql = "SELECT " + std::string(kCaseColumns) + " FROM cases WHERE 1=1";
  if (filter.state) sql += " AND state = ?1";
  if (filter.due_on_or_before) {
    sql += " AND next_due_on IS NOT NULL AND next_due_on <= ?2";
  }
  if (filter.open_only) sql += " AND closed_on IS NULL";
  sql += " ORDER BY next_due_on IS NULL, next_due_on, id LIMIT ?3";
  ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql));
  if (filter.state) s.Bind(1, std::string_view(*filter.state));
  if (filter.due_on_or_before) s.Bind(2, filter.due_on_or_before->ToIso());
  s.Bind(3, static_cast<int64_t>(filter.limit));
  std::vector<CaseRecord> out;
  while (true) {
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadCase(s));
  }
  return out;
}

Result<CaseEvent> SqliteStore::AppendCaseEvent(std::string_view actor, CaseEvent event,
                                               std::optional<CaseRecord> case_update) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  ICTS_RETURN_IF_ERROR(PrepareCaseEvent(event, actor, now));
  if (case_update) {
    if (case_update->id.empty()) case_update->id = event.case_id;
    if (case_update->id != event.case_id) {
      return InvalidArgumentError("case event for '" + event.case_id +
                                  "' with an update of case '" + case_update->id + "'");
    }
  }
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_RETURN_IF_ERROR(LoadCase(event.case_id).status());
  if (case_update) ICTS_RETURN_IF_ERROR(WriteCaseUpdate(actor, *case_update, now));
  ICTS_ASSIGN_OR_RETURN(Stmt next, db_->Prepare("SELECT coalesce(max(seq), 0) + 1 FROM "
                                                "case_events WHERE case_id = ?"));
  next.Bind(1, event.case_id);
  ICTS_RETURN_IF_ERROR(next.Step().status());
  event.seq = next.Int(0);
  ICTS_ASSIGN_OR_RETURN(AuditEvent audit,
                        Append(actor, kEventCaseEvent, CaseEventSubject(event.case_id, event.seq),
                               CanonicalPayload(event), now));
  ICTS_ASSIGN_OR_RETURN(Stmt ins,
                        db_->Prepare("INSERT INTO case_events(" + std::string(kCaseEventColumns) +
                                     ", audit_seq) VALUES (?,?,?,?,?,?,?,?)"));
  ins.Bind(1, event.case_id)
      .Bind(2, event.seq)
      .Bind(3, event.kind)
      .Bind(4, event.occurred_on.ToIso())
      .Bind(5, event.payload_json)
      .Bind(6, event.actor)
      .Bind(7, event.recorded_at)
      .Bind(8, audit.seq);
  ICTS_RETURN_IF_ERROR(ins.Run());
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return event;
}

Result<std::vector<CaseEvent>> SqliteStore::ListCaseEvents(const std::string& case_id) {
  ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT " + std::string(kCaseEventColumns) +
                                             " FROM case_events WHERE case_id = ? "
                                             "ORDER BY seq"));
  s.Bind(1, case_id);
  std::vector<CaseEvent> out;
  while (true) {
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadCaseEvent(s));
  }
  return out;
}

Result<Date> SqliteStore::RetainUntil(RecordKind kind, const std::string& id) {
  ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT retain_until FROM " +
                                             std::string(TableFor(kind)) + " WHERE id = ?"));
  s.Bind(1, id);
  ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) {
    return NotFoundError(std::string(RecordKindName(kind)) + " '" + id + "' not found");
  }
  return ParseDay(s.Text(0));
}

Status SqliteStore::DeleteRecord(std::string_view actor, RecordKind kind, const std::string& id) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Date today = Today();
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(Date until, RetainUntil(kind, id));
  if (today <= until) {
    return FailedPreconditionError(std::string(RecordKindName(kind)) + " '" + id +
                                   "' must be kept until " + until.ToIso() +
                                   " (15 CFR 791.106 record retention); it cannot be deleted "
                                   "before " +
                                   until.AddDays(1).ToIso());
  }
  ICTS_RETURN_IF_ERROR(
      Append(actor, kEventRecordDelete, id, DeletePayload(kind, id), now).status());
  if (kind == RecordKind::kCase) {
    ICTS_ASSIGN_OR_RETURN(Stmt del_events,
                          db_->Prepare("DELETE FROM case_events WHERE case_id = ?"));
    del_events.Bind(1, id);
    ICTS_RETURN_IF_ERROR(del_events.Run());
  }
  ICTS_ASSIGN_OR_RETURN(
      Stmt del, db_->Prepare("DELETE FROM " + std::string(TableFor(kind)) + " WHERE id = ?"));
  del.Bind(1, id);
  ICTS_RETURN_IF_ERROR(del.Run());
  return tx.Commit();
}

Status SqliteStore::ExtendRetention(std::string_view actor, RecordKind kind, const std::string& id,
                                    Date until) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(Date current, RetainUntil(kind, id));
  if (until <= current) return Status::Ok();
  ICTS_RETURN_IF_ERROR(
      Append(actor, kEventRetentionExtend, id, RetentionPayload(kind, id, until), now).status());
  ICTS_ASSIGN_OR_RETURN(Stmt up, db_->Prepare("UPDATE " + std::string(TableFor(kind)) +
                                              " SET retain_until = ? WHERE id = ?"));
  up.Bind(1, until.ToIso()).Bind(2, id);
  ICTS_RETURN_IF_ERROR(up.Run());
  return tx.Commit();
}

Result<AuditEvent> SqliteStore::AppendAuditEvent(std::string_view actor, std::string_view kind,
                                                 std::string_view subject_id,
                                                 std::string_view payload) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  if (kind.empty()) return InvalidArgumentError("audit event needs a kind");
  std::string now = NowIso();
  Tx tx(*db_);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(AuditEvent event, Append(actor, kind, subject_id, payload, now));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return event;
}

Result<std::vector<AuditEvent>> SqliteStore::ReadAudit(int64_t after_seq, size_t limit) {
  ICTS_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT seq, time, actor, kind, subject_id, "
                                             "payload_sha256, prev_hash, hash FROM "
                                             "audit_events WHERE seq > ? ORDER BY seq "
                                             "LIMIT ?"));
  s.Bind(1, after_seq).Bind(2, static_cast<int64_t>(limit));
  std::vector<AuditEvent> out;
  while (true) {
    ICTS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    AuditEvent e;
    e.seq = s.Int(0);
    e.time = s.Text(1);
    e.actor = s.Text(2);
    e.kind = s.Text(3);
    e.subject_id = s.Text(4);
    e.payload_sha256 = s.Text(5);
    e.prev_hash = s.Text(6);
    e.hash = s.Text(7);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::string> PathFromUrl(const std::string& url) {
  std::string_view rest(url);
  if (!StartsWith(rest, "sqlite:")) {
    return InvalidArgumentError("not a sqlite: URL: " + url);
  }
  rest.remove_prefix(7);
  if (StartsWith(rest, "//")) rest.remove_prefix(2);
  if (rest.empty()) {
    return InvalidArgumentError("store URL 'sqlite:' needs a path (sqlite:PATH)");
  }
  return std::string(rest);
}

const bool kRegistered = RegisterBackend("sqlite", &OpenSqlite);

}  // namespace

int SqliteSchemaVersion() { return kLatestVersion; }

Result<std::unique_ptr<Store>> OpenSqliteAt(const std::string& path, int target_version) {
  (void)kRegistered;
  if (target_version < 1 || target_version > kLatestVersion) {
    return InvalidArgumentError("no SQLite schema version " + std::to_string(target_version));
  }
  ICTS_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path));
  if (path != ":memory:") {
    ICTS_ASSIGN_OR_RETURN(Stmt mode, db->Prepare("PRAGMA journal_mode=WAL"));
    ICTS_ASSIGN_OR_RETURN(bool row, mode.Step());
    if (!row || ToLowerAscii(mode.Text(0)) != "wal") {
      return UnavailableError(path + ": cannot switch to WAL mode");
    }
  }
  ICTS_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  auto store = std::make_unique<SqliteStore>(std::move(db));
  ICTS_RETURN_IF_ERROR(store->Migrate(target_version));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& url) {
  ICTS_ASSIGN_OR_RETURN(std::string path, PathFromUrl(url));
  return OpenSqliteAt(path, kLatestVersion);
}

}  // namespace icts::store
