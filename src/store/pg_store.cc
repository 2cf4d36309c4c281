// The PostgreSQL backend: the same records, audit chain and guarantees as
// the SQLite backend (store.h), on a server reached through libpq.
//
// Writes are serialised: every write transaction first takes
//   LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE
// which conflicts with itself and with any INSERT, but not with readers. The
// chain head is read only after the lock is granted (READ COMMITTED takes a
// fresh snapshot per statement), so two writers — threads, processes or
// machines — can never append to the same head; the primary key on seq is a
// second line of defence. Triggers make audit_events append-only (UPDATE,
// DELETE and TRUNCATE raise), record rows immutable except for a retention
// date that may only move later, and case events immutable. Migrations run
// under a transaction-scoped advisory lock per schema, so concurrent first
// opens are safe.
#include "store/pg_store.h"

#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "store/audit.h"
#include "store/backends.h"
#include "store/pg_db.h"

namespace icts::store {
namespace {

using pg::Conn;
using pg::Params;
using pg::Rows;
using pg::Tx;

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Ordered; never edit a released step — add a new one. The version numbers
// match the SQLite backend's for the same content.
constexpr Migration kMigrations[] = {
    {1, "audit chain, determinations, screenings, scans, decisions", R"sql(
CREATE FUNCTION icts_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE FUNCTION icts_guard_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'retain_until') IS DISTINCT FROM
     (to_jsonb(OLD) - 'retain_until') THEN
    RAISE EXCEPTION '% are immutable (only retain_until may change)',
      TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.retain_until < OLD.retain_until THEN
    RAISE EXCEPTION '%: retain_until may only move later', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE audit_events (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  time text NOT NULL,
  actor text NOT NULL,
  kind text NOT NULL,
  subject_id text NOT NULL,
  payload_sha256 text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION icts_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION icts_refuse_change();

CREATE TABLE determinations (
  id text PRIMARY KEY,
  transaction_id text NOT NULL,
  outcome text NOT NULL,
  input_json text NOT NULL,
  result_json text NOT NULL,
  input_sha256 text NOT NULL,
  snapshot_sha256 text NOT NULL,
  packs_json text NOT NULL,
  engine_version text NOT NULL,
  as_of date NOT NULL,
  created_at text NOT NULL,
  retain_until date NOT NULL,
  audit_seq bigint NOT NULL REFERENCES audit_events(seq)
);
CREATE TRIGGER determinations_immutable BEFORE UPDATE ON determinations
  FOR EACH ROW EXECUTE FUNCTION icts_guard_record();
CREATE INDEX determinations_by_seq ON determinations(audit_seq);

CREATE TABLE screenings (
  id text PRIMARY KEY,
  query_name text NOT NULL,
  query_json text NOT NULL,
  result_json text NOT NULL,
  snapshot_sha256 text NOT NULL,
  hit_count bigint NOT NULL,
  batch_id text NOT NULL,
  created_at text NOT NULL,
  retain_until date NOT NULL,
  audit_seq bigint NOT NULL REFERENCES audit_events(seq)
);
CREATE TRIGGER screenings_immutable BEFORE UPDATE ON screenings
  FOR EACH ROW EXECUTE FUNCTION icts_guard_record();

CREATE TABLE scans (
  id text PRIMARY KEY,
  summary_json text NOT NULL,
  result_json text NOT NULL,
  created_at text NOT NULL,
  retain_until date NOT NULL,
  audit_seq bigint NOT NULL REFERENCES audit_events(seq)
);
CREATE TRIGGER scans_immutable BEFORE UPDATE ON scans
  FOR EACH ROW EXECUTE FUNCTION icts_guard_record();

CREATE TABLE decisions (
  id text PRIMARY KEY,
  subject_kind text NOT NULL,
  entity_id text NOT NULL,
  subject_key text NOT NULL,
  status text NOT NULL,
  reason text NOT NULL,
  decided_by text NOT NULL,
  decided_at text NOT NULL,
  expires_on date,
  entity_content_hash text NOT NULL,
  context_json text NOT NULL,
  retain_until date NOT NULL,
  audit_seq bigint NOT NULL REFERENCES audit_events(seq)
);
CREATE TRIGGER decisions_immutable BEFORE UPDATE ON decisions
  FOR EACH ROW EXECUTE FUNCTION icts_guard_record();
CREATE INDEX decisions_by_subject
  ON decisions(entity_id, subject_key, subject_kind, audit_seq);
)sql"},
    {2, "cases and case events", R"sql(
CREATE FUNCTION icts_retention_only_later() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.retain_until < OLD.retain_until THEN
    RAISE EXCEPTION '%: retain_until may only move later', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE cases (
  id text PRIMARY KEY,
  state text NOT NULL,
  opened_on date NOT NULL,
  next_due_on date,
  final_determination_on date,
  closed_on date,
  payload_json text NOT NULL,
  version bigint NOT NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  retain_until date NOT NULL
);
CREATE TRIGGER cases_retention_only_later BEFORE UPDATE ON cases
  FOR EACH ROW EXECUTE FUNCTION icts_retention_only_later();
CREATE INDEX cases_by_due ON cases(next_due_on);
CREATE INDEX cases_by_state ON cases(state);

CREATE TABLE case_events (
  case_id text NOT NULL REFERENCES cases(id),
  seq bigint NOT NULL,
  kind text NOT NULL,
  occurred_on date NOT NULL,
  payload_json text NOT NULL,
  actor text NOT NULL,
  recorded_at text NOT NULL,
  audit_seq bigint NOT NULL REFERENCES audit_events(seq),
  PRIMARY KEY (case_id, seq)
);
CREATE TRIGGER case_events_immutable BEFORE UPDATE ON case_events
  FOR EACH ROW EXECUTE FUNCTION icts_refuse_change();
)sql"},
};

constexpr int kLatestVersion = 2;

// Serialises writers; see the file comment.
constexpr std::string_view kWriteLock = "LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE";
// Key of the advisory lock that serialises migrations: 'icts' and the
// schema's name hash.
constexpr std::string_view kMigrationLock =
    "SELECT pg_advisory_xact_lock(1769108595, hashtext($1))";

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

// "$1,$2,...,$n"
std::string Placeholders(int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) out += ',';
    out += '$';
    out += std::to_string(i);
  }
  return out;
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

DeterminationRecord ReadDetermination(const Rows& s, int i) {
  DeterminationRecord r;
  r.id = s.Text(i, 0);
  r.transaction_id = s.Text(i, 1);
  r.outcome = s.Text(i, 2);
  r.input_json = s.Text(i, 3);
  r.result_json = s.Text(i, 4);
  r.provenance.input_sha256 = s.Text(i, 5);
  r.provenance.snapshot_sha256 = s.Text(i, 6);
  r.provenance.packs_json = s.Text(i, 7);
  r.provenance.engine_version = s.Text(i, 8);
  r.provenance.as_of = ParseDay(s.Text(i, 9));
  r.created_at = s.Text(i, 10);
  r.retain_until = ParseDay(s.Text(i, 11));
  return r;
}

ScreeningRecord ReadScreening(const Rows& s, int i) {
  ScreeningRecord r;
  r.id = s.Text(i, 0);
  r.query_name = s.Text(i, 1);
  r.query_json = s.Text(i, 2);
  r.result_json = s.Text(i, 3);
  r.snapshot_sha256 = s.Text(i, 4);
  r.hit_count = s.Int(i, 5);
  r.batch_id = s.Text(i, 6);
  r.created_at = s.Text(i, 7);
  r.retain_until = ParseDay(s.Text(i, 8));
  return r;
}

ScanRecord ReadScan(const Rows& s, int i) {
  ScanRecord r;
  r.id = s.Text(i, 0);
  r.summary_json = s.Text(i, 1);
  r.result_json = s.Text(i, 2);
  r.created_at = s.Text(i, 3);
  r.retain_until = ParseDay(s.Text(i, 4));
  return r;
}

DecisionRecord ReadDecision(const Rows& s, int i) {
  DecisionRecord r;
  r.id = s.Text(i, 0);
  Result<SubjectKind> kind = ParseSubjectKind(s.Text(i, 1));
  if (kind.ok()) r.subject_kind = *kind;
  r.entity_id = s.Text(i, 2);
  r.subject_key = s.Text(i, 3);
  Result<DecisionStatus> status = ParseDecisionStatus(s.Text(i, 4));
  if (status.ok()) r.status = *status;
  r.reason = s.Text(i, 5);
  r.decided_by = s.Text(i, 6);
  r.decided_at = s.Text(i, 7);
  r.expires_on = ParseOptDay(s.OptText(i, 8));
  r.entity_content_hash = s.Text(i, 9);
  r.context_json = s.Text(i, 10);
  r.retain_until = ParseDay(s.Text(i, 11));
  return r;
}

CaseRecord ReadCase(const Rows& s, int i) {
  CaseRecord r;
  r.id = s.Text(i, 0);
  r.state = s.Text(i, 1);
  r.opened_on = ParseDay(s.Text(i, 2));
  r.next_due_on = ParseOptDay(s.OptText(i, 3));
  r.final_determination_on = ParseOptDay(s.OptText(i, 4));
  r.closed_on = ParseOptDay(s.OptText(i, 5));
  r.payload_json = s.Text(i, 6);
  r.version = s.Int(i, 7);
  r.created_at = s.Text(i, 8);
  r.updated_at = s.Text(i, 9);
  r.retain_until = ParseDay(s.Text(i, 10));
  return r;
}

CaseEvent ReadCaseEvent(const Rows& s, int i) {
  CaseEvent e;
  e.case_id = s.Text(i, 0);
  e.seq = s.Int(i, 1);
  e.kind = s.Text(i, 2);
  e.occurred_on = ParseDay(s.Text(i, 3));
  e.payload_json = s.Text(i, 4);
  e.actor = s.Text(i, 5);
  e.recorded_at = s.Text(i, 6);
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

class PgStore final : public Store {
 public:
  PgStore(std::unique_ptr<Conn> conn, std::string display, std::string schema)
      : conn_(std::move(conn)), display_(std::move(display)), schema_(std::move(schema)) {}

  Status Migrate(int target_version);

  std::string DisplayUrl() const override { return display_; }

  Result<int> SchemaVersion() override {
    ICTS_RETURN_IF_ERROR(conn_->EnsureConnected());
    ICTS_ASSIGN_OR_RETURN(Rows r, conn_->Query("SELECT coalesce(max(version), 0) "
                                               "FROM schema_migrations"));
    return static_cast<int>(r.Int(0, 0));
  }

  Result<int64_t> MaxRecordAuditSeq() override {
    ICTS_RETURN_IF_ERROR(conn_->EnsureConnected());
    ICTS_ASSIGN_OR_RETURN(Rows r, conn_->Query(
        "SELECT coalesce(max(m), 0) FROM (SELECT max(audit_seq) AS m FROM determinations UNION ALL "
        "SELECT max(audit_seq) FROM screenings UNION ALL SELECT max(audit_seq) FROM scans UNION ALL "
        "SELECT max(audit_seq) FROM decisions UNION ALL SELECT max(audit_seq) FROM case_events) AS t"));
    return static_cast<int64_t>(r.Int(0, 0));
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
  // The chain head as seen inside one write transaction.
  struct Head {
    int64_t seq = 0;  // 0: not read yet.
    std::string hash;
  };
  // Appends one event; the caller holds a write transaction (kWriteLock).
  // With `head`, the head is read from the table only the first time and
  // then kept there (a batch in one transaction: nobody else can append
  // while the lock is held).
  Result<AuditEvent> Append(std::string_view actor, std::string_view kind,
                            std::string_view subject_id, std::string_view payload,
                            const std::string& now, Head* head = nullptr);
  Result<CaseRecord> LoadCase(const std::string& id);
  Status WriteCaseUpdate(std::string_view actor, CaseRecord& record, const std::string& now);
  // Runs a read outside a transaction, reconnecting first if needed.
  Result<Rows> Read(std::string_view sql, const Params& params) {
    ICTS_RETURN_IF_ERROR(conn_->EnsureConnected());
    return conn_->Query(sql, params);
  }

  template <typename T, typename Reader>
  Result<T> GetOne(std::string_view columns, std::string_view table, const std::string& id,
                   Reader reader, std::string_view what) {
    std::string sql =
        "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE id = $1";
    ICTS_ASSIGN_OR_RETURN(Rows r, Read(sql, {id}));
    if (r.empty()) return NotFoundError(std::string(what) + " '" + id + "' not found");
    return reader(r, 0);
  }

  std::unique_ptr<Conn> conn_;
  std::string display_;
  std::string schema_;
};

Status PgStore::Migrate(int target_version) {
  // The lock key: the schema the store lives in.
  std::string key = schema_;
  if (key.empty()) {
    ICTS_ASSIGN_OR_RETURN(Rows r, conn_->Query("SELECT coalesce(current_schema(), '')"));
    key = r.Text(0, 0);
    if (key.empty()) {
      return FailedPreconditionError(display_ +
                                     ": no schema to create the store in (the "
                                     "search_path names none that exists)");
    }
  }
  {
    Tx tx(*conn_);
    ICTS_RETURN_IF_ERROR(tx.status());
    ICTS_RETURN_IF_ERROR(conn_->Query(kMigrationLock, {key}).status());
    if (!schema_.empty()) {
      ICTS_ASSIGN_OR_RETURN(std::string quoted, conn_->QuoteIdentifier(schema_));
      ICTS_RETURN_IF_ERROR(conn_->Exec("CREATE SCHEMA IF NOT EXISTS " + quoted));
    }
    ICTS_RETURN_IF_ERROR(
        conn_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version integer PRIMARY KEY, description text NOT NULL,"
                    " applied_at text NOT NULL)"));
    ICTS_RETURN_IF_ERROR(tx.Commit());
  }
  ICTS_ASSIGN_OR_RETURN(int current, SchemaVersion());
  if (current > kLatestVersion) {
    return FailedPreconditionError(display_ + ": schema version " + std::to_string(current) +
                                   " was written by a newer icts (this one knows up to " +
                                   std::to_string(kLatestVersion) + ")");
  }
  for (const Migration& m : kMigrations) {
    if (m.version > target_version) break;
    if (m.version <= current) continue;
    Tx tx(*conn_);
    ICTS_RETURN_IF_ERROR(tx.status());
    ICTS_RETURN_IF_ERROR(conn_->Query(kMigrationLock, {key}).status());
    // Re-read under the lock: another process may have migrated.
    ICTS_ASSIGN_OR_RETURN(int now_version, SchemaVersion());
    if (m.version <= now_version) continue;
    ICTS_RETURN_IF_ERROR(conn_->Exec(m.sql).WithPrefix("migration " + std::to_string(m.version)));
    ICTS_RETURN_IF_ERROR(conn_
                             ->Query("INSERT INTO schema_migrations(version, "
                                     "description, applied_at) VALUES ($1, $2, $3)",
                                     {m.version, m.description, NowIso()})
                             .status());
    ICTS_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

Result<AuditEvent> PgStore::Append(std::string_view actor, std::string_view kind,
                                   std::string_view subject_id, std::string_view payload,
                                   const std::string& now, Head* head) {
  AuditEvent event;
  std::string prev(kGenesisHash);
  event.seq = 1;
  if (head != nullptr && head->seq > 0) {
    event.seq = head->seq + 1;
    prev = head->hash;
  } else {
    ICTS_ASSIGN_OR_RETURN(Rows last, conn_->Query("SELECT seq, hash FROM audit_events "
                                                  "ORDER BY seq DESC LIMIT 1"));
    if (!last.empty()) {
      event.seq = last.Int(0, 0) + 1;
      prev = last.Text(0, 1);
    }
  }
  event.time = now;
  event.actor = std::string(actor);
  event.kind = std::string(kind);
  event.subject_id = std::string(subject_id);
  SealEvent(event, prev, payload);
  ICTS_RETURN_IF_ERROR(
      conn_
          ->Query("INSERT INTO audit_events(seq, time, actor, kind, "
                  "subject_id, payload_sha256, prev_hash, hash) "
                  "VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                  {event.seq, event.time, event.actor, event.kind, event.subject_id,
                   event.payload_sha256, event.prev_hash, event.hash})
          .status());
  if (head != nullptr) {
    head->seq = event.seq;
    head->hash = event.hash;
  }
  return event;
}

Result<std::vector<std::string>> PgStore::PutDeterminations(
    std::string_view actor, std::vector<DeterminationRecord> records) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Date today = Today();
  for (DeterminationRecord& r : records) {
    ICTS_RETURN_IF_ERROR(PrepareDetermination(r, now, today));
  }
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  const std::string sql = "INSERT INTO determinations(" + std::string(kDeterminationColumns) +
                          ", audit_seq) VALUES (" + Placeholders(13) + ")";
  std::vector<std::string> ids;
  Head head;
  for (const DeterminationRecord& r : records) {
    ICTS_ASSIGN_OR_RETURN(AuditEvent event, Append(actor, kEventDeterminationPut, r.id,
                                                   CanonicalPayload(r), now, &head));
    Status s = conn_
                   ->Query(sql, {r.id, r.transaction_id, r.outcome, r.input_json, r.result_json,
                                 r.provenance.input_sha256, r.provenance.snapshot_sha256,
                                 r.provenance.packs_json, r.provenance.engine_version,
                                 r.provenance.as_of.ToIso(), r.created_at, r.retain_until->ToIso(),
                                 event.seq})
                   .status();
    ICTS_RETURN_IF_ERROR(Named(s, "determination", r.id));
    ids.push_back(r.id);
  }
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return ids;
}

Result<DeterminationRecord> PgStore::GetDetermination(const std::string& id) {
  return GetOne<DeterminationRecord>(kDeterminationColumns, "determinations", id, ReadDetermination,
                                     "determination");
}

Result<std::vector<DeterminationRecord>> PgStore::ListDeterminations(size_t limit, size_t offset) {
  ICTS_ASSIGN_OR_RETURN(Rows r, Read("SELECT " + std::string(kDeterminationColumns) +
                                         " FROM determinations ORDER BY audit_seq "
                                         "DESC LIMIT $1 OFFSET $2",
                                     {static_cast<int64_t>(limit), static_cast<int64_t>(offset)}));
  std::vector<DeterminationRecord> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadDetermination(r, i));
  return out;
}

Result<std::vector<std::string>> PgStore::PutScreenings(std::string_view actor,
                                                        std::vector<ScreeningRecord> records) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Date today = Today();
  for (ScreeningRecord& r : records) {
    ICTS_RETURN_IF_ERROR(PrepareScreening(r, now, today));
  }
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  const std::string sql = "INSERT INTO screenings(" + std::string(kScreeningColumns) +
                          ", audit_seq) VALUES (" + Placeholders(10) + ")";
  std::vector<std::string> ids;
  Head head;
  for (const ScreeningRecord& r : records) {
    ICTS_ASSIGN_OR_RETURN(AuditEvent event,
                          Append(actor, kEventScreeningPut, r.id, CanonicalPayload(r), now, &head));
    Status s = conn_
                   ->Query(sql, {r.id, r.query_name, r.query_json, r.result_json, r.snapshot_sha256,
                                 r.hit_count, r.batch_id, r.created_at, r.retain_until->ToIso(),
                                 event.seq})
                   .status();
    ICTS_RETURN_IF_ERROR(Named(s, "screening", r.id));
    ids.push_back(r.id);
  }
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return ids;
}

Result<ScreeningRecord> PgStore::GetScreening(const std::string& id) {
  return GetOne<ScreeningRecord>(kScreeningColumns, "screenings", id, ReadScreening, "screening");
}

Result<std::string> PgStore::PutScan(std::string_view actor, ScanRecord r) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  ICTS_RETURN_IF_ERROR(PrepareScan(r, now, Today()));
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(AuditEvent event,
                        Append(actor, kEventScanPut, r.id, CanonicalPayload(r), now));
  Status s = conn_
                 ->Query("INSERT INTO scans(" + std::string(kScanColumns) +
                             ", audit_seq) VALUES (" + Placeholders(6) + ")",
                         {r.id, r.summary_json, r.result_json, r.created_at,
                          r.retain_until->ToIso(), event.seq})
                 .status();
  ICTS_RETURN_IF_ERROR(Named(s, "scan", r.id));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return r.id;
}

Result<ScanRecord> PgStore::GetScan(const std::string& id) {
  return GetOne<ScanRecord>(kScanColumns, "scans", id, ReadScan, "scan");
}

Result<std::string> PgStore::PutDecision(std::string_view actor, DecisionRecord r) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  ICTS_RETURN_IF_ERROR(PrepareDecision(r, now, Today()));
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(AuditEvent event,
                        Append(actor, kEventDecisionPut, r.id, CanonicalPayload(r), now));
  Status s = conn_
                 ->Query("INSERT INTO decisions(" + std::string(kDecisionColumns) +
                             ", audit_seq) VALUES (" + Placeholders(13) + ")",
                         {r.id, SubjectKindName(r.subject_kind), r.entity_id, r.subject_key,
                          DecisionStatusName(r.status), r.reason, r.decided_by, r.decided_at,
                          OptIso(r.expires_on), r.entity_content_hash, r.context_json,
                          r.retain_until->ToIso(), event.seq})
                 .status();
  ICTS_RETURN_IF_ERROR(Named(s, "decision", r.id));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return r.id;
}

Result<DecisionRecord> PgStore::GetDecision(const std::string& id) {
  return GetOne<DecisionRecord>(kDecisionColumns, "decisions", id, ReadDecision, "decision");
}

Result<std::vector<DecisionRecord>> PgStore::ListDecisions(const DecisionFilter& filter) {
  std::string sql = "SELECT " + std::string(kDecisionColumns) + " FROM decisions WHERE true";
  Params params;
  auto add = [&](std::string_view column, std::string value) {
    params.emplace_back(std::move(value));
    sql += " AND " + std::string(column) + " = $" + std::to_string(params.size());
  };
  if (filter.subject_kind) {
    add("subject_kind", std::string(SubjectKindName(*filter.subject_kind)));
  }
  if (filter.entity_id) add("entity_id", *filter.entity_id);
  if (filter.subject_key) {
    std::string key = *filter.subject_key;
    if (filter.subject_kind == SubjectKind::kScreeningHit) key = NormalizeQueryKey(key);
    add("subject_key", key);
  }
  params.emplace_back(static_cast<int64_t>(filter.limit));
  sql += " ORDER BY audit_seq DESC LIMIT $" + std::to_string(params.size());
  ICTS_ASSIGN_OR_RETURN(Rows r, Read(sql, params));
  std::vector<DecisionRecord> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadDecision(r, i));
  return out;
}

Result<CaseRecord> PgStore::LoadCase(const std::string& id) {
  return GetOne<CaseRecord>(kCaseColumns, "cases", id, ReadCase, "case");
}

Status PgStore::WriteCaseUpdate(std::string_view actor, CaseRecord& record,
                                const std::string& now) {
  ICTS_ASSIGN_OR_RETURN(CaseRecord stored, LoadCase(record.id));
  ICTS_RETURN_IF_ERROR(PrepareCaseUpdate(record, stored, now));
  ICTS_RETURN_IF_ERROR(
      Append(actor, kEventCaseUpdate, record.id, CanonicalPayload(record), now).status());
  ICTS_ASSIGN_OR_RETURN(
      Rows up, conn_->Query("UPDATE cases SET state=$2, opened_on=$3, next_due_on=$4, "
                            "final_determination_on=$5, closed_on=$6, payload_json=$7, "
                            "version=$8, updated_at=$9, retain_until=$10 "
                            "WHERE id=$1 AND version=$11",
                            {record.id, record.state, record.opened_on.ToIso(),
                             OptIso(record.next_due_on), OptIso(record.final_determination_on),
                             OptIso(record.closed_on), record.payload_json, record.version,
                             record.updated_at, record.retain_until->ToIso(), stored.version}));
  if (up.Affected() != 1) return InternalError("case update lost its row");
  return Status::Ok();
}

Result<CaseRecord> PgStore::PutCase(std::string_view actor, CaseRecord record) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  if (record.version == 0) {
    ICTS_RETURN_IF_ERROR(PrepareNewCase(record, now, Today()));
    Tx tx(*conn_, kWriteLock);
    ICTS_RETURN_IF_ERROR(tx.status());
    ICTS_RETURN_IF_ERROR(
        Append(actor, kEventCaseCreate, record.id, CanonicalPayload(record), now).status());
    Status s = conn_
                   ->Query("INSERT INTO cases(" + std::string(kCaseColumns) + ") VALUES (" +
                               Placeholders(11) + ")",
                           {record.id, record.state, record.opened_on.ToIso(),
                            OptIso(record.next_due_on), OptIso(record.final_determination_on),
                            OptIso(record.closed_on), record.payload_json, record.version,
                            record.created_at, record.updated_at, record.retain_until->ToIso()})
                   .status();
    ICTS_RETURN_IF_ERROR(Named(s, "case", record.id));
    ICTS_RETURN_IF_ERROR(tx.Commit());
    return record;
  }
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_RETURN_IF_ERROR(WriteCaseUpdate(actor, record, now));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return record;
}

Result<CaseRecord> PgStore::GetCase(const std::string& id) { return LoadCase(id); }

Result<std::vector<CaseRecord>> PgStore::ListCases(const CaseFilter& filter) {
  std::string sql = "SELECT " + std::string(kCaseColumns) + " FROM cases WHERE true";
  Params params;
  if (filter.state) {
    params.emplace_back(*filter.state);
    sql += " AND state = $" + std::to_string(params.size());
  }
  if (filter.due_on_or_before) {
    params.emplace_back(filter.due_on_or_before->ToIso());
    sql += " AND next_due_on IS NOT NULL AND next_due_on <= $" + std::to_string(params.size()) +
           "::date";
  }
  if (filter.open_only) sql += " AND closed_on IS NULL";
  params.emplace_back(static_cast<int64_t>(filter.limit));
  // Ids in byte order, as on SQLite, whatever the database's collation.
  sql +=
      " ORDER BY next_due_on NULLS LAST, id COLLATE \"C\" LIMIT $" + std::to_string(params.size());
  ICTS_ASSIGN_OR_RETURN(Rows r, Read(sql, params));
  std::vector<CaseRecord> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadCase(r, i));
  return out;
}

Result<CaseEvent> PgStore::AppendCaseEvent(std::string_view actor, CaseEvent event,
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
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_RETURN_IF_ERROR(LoadCase(event.case_id).status());
  if (case_update) ICTS_RETURN_IF_ERROR(WriteCaseUpdate(actor, *case_update, now));
  ICTS_ASSIGN_OR_RETURN(Rows next, conn_->Query("SELECT coalesce(max(seq), 0) + 1 "
                                                "FROM case_events WHERE case_id = $1",
                                                {event.case_id}));
  event.seq = next.Int(0, 0);
  ICTS_ASSIGN_OR_RETURN(AuditEvent audit,
                        Append(actor, kEventCaseEvent, CaseEventSubject(event.case_id, event.seq),
                               CanonicalPayload(event), now));
  ICTS_RETURN_IF_ERROR(conn_
                           ->Query("INSERT INTO case_events(" + std::string(kCaseEventColumns) +
                                       ", audit_seq) VALUES (" + Placeholders(8) + ")",
                                   {event.case_id, event.seq, event.kind, event.occurred_on.ToIso(),
                                    event.payload_json, event.actor, event.recorded_at, audit.seq})
                           .status());
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return event;
}

Result<std::vector<CaseEvent>> PgStore::ListCaseEvents(const std::string& case_id) {
  ICTS_ASSIGN_OR_RETURN(Rows r, Read("SELECT " + std::string(kCaseEventColumns) +
                                         " FROM case_events WHERE case_id = $1 "
                                         "ORDER BY seq",
                                     {case_id}));
  std::vector<CaseEvent> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadCaseEvent(r, i));
  return out;
}

Result<Date> PgStore::RetainUntil(RecordKind kind, const std::string& id) {
  ICTS_ASSIGN_OR_RETURN(
      Rows r,
      Read("SELECT retain_until FROM " + std::string(TableFor(kind)) + " WHERE id = $1", {id}));
  if (r.empty()) {
    return NotFoundError(std::string(RecordKindName(kind)) + " '" + id + "' not found");
  }
  return ParseDay(r.Text(0, 0));
}

Status PgStore::DeleteRecord(std::string_view actor, RecordKind kind, const std::string& id) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Date today = Today();
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(Date until, RetainUntil(kind, id));
  if (today <= until) {
    return FailedPreconditionError(
        std::string(RecordKindName(kind)) + " '" + id + "' must be kept until " + until.ToIso() +
        " (15 CFR 791.106 record retention); it cannot be deleted before " +
        until.AddDays(1).ToIso());
  }
  ICTS_RETURN_IF_ERROR(
      Append(actor, kEventRecordDelete, id, DeletePayload(kind, id), now).status());
  if (kind == RecordKind::kCase) {
    ICTS_RETURN_IF_ERROR(conn_->Query("DELETE FROM case_events WHERE case_id = $1", {id}).status());
  }
  ICTS_RETURN_IF_ERROR(
      conn_->Query("DELETE FROM " + std::string(TableFor(kind)) + " WHERE id = $1", {id}).status());
  return tx.Commit();
}

Status PgStore::ExtendRetention(std::string_view actor, RecordKind kind, const std::string& id,
                                Date until) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  std::string now = NowIso();
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(Date current, RetainUntil(kind, id));
  if (until <= current) return Status::Ok();
  ICTS_RETURN_IF_ERROR(
      Append(actor, kEventRetentionExtend, id, RetentionPayload(kind, id, until), now).status());
  ICTS_RETURN_IF_ERROR(
      conn_
          ->Query("UPDATE " + std::string(TableFor(kind)) + " SET retain_until = $1 WHERE id = $2",
                  {until.ToIso(), id})
          .status());
  return tx.Commit();
}

Result<AuditEvent> PgStore::AppendAuditEvent(std::string_view actor, std::string_view kind,
                                             std::string_view subject_id,
                                             std::string_view payload) {
  ICTS_RETURN_IF_ERROR(CheckActor(actor));
  if (kind.empty()) return InvalidArgumentError("audit event needs a kind");
  std::string now = NowIso();
  Tx tx(*conn_, kWriteLock);
  ICTS_RETURN_IF_ERROR(tx.status());
  ICTS_ASSIGN_OR_RETURN(AuditEvent event, Append(actor, kind, subject_id, payload, now));
  ICTS_RETURN_IF_ERROR(tx.Commit());
  return event;
}

Result<std::vector<AuditEvent>> PgStore::ReadAudit(int64_t after_seq, size_t limit) {
  ICTS_ASSIGN_OR_RETURN(Rows r, Read("SELECT seq, time, actor, kind, subject_id, "
                                     "payload_sha256, prev_hash, hash FROM "
                                     "audit_events WHERE seq > $1 ORDER BY seq "
                                     "LIMIT $2",
                                     {after_seq, static_cast<int64_t>(limit)}));
  std::vector<AuditEvent> out;
  out.reserve(static_cast<size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) {
    AuditEvent e;
    e.seq = r.Int(i, 0);
    e.time = r.Text(i, 1);
    e.actor = r.Text(i, 2);
    e.kind = r.Text(i, 3);
    e.subject_id = r.Text(i, 4);
    e.payload_sha256 = r.Text(i, 5);
    e.prev_hash = r.Text(i, 6);
    e.hash = r.Text(i, 7);
    out.push_back(std::move(e));
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

const bool kRegistered =
    RegisterBackend("postgres", &OpenPostgres) && RegisterBackend("postgresql", &OpenPostgres);

}  // namespace

int PostgresSchemaVersion() { return kLatestVersion; }

Result<PostgresUrl> ParsePostgresUrl(const std::string& url) {
  size_t sep = url.find("://");
  std::string scheme = sep == std::string::npos ? "" : ToLowerAscii(url.substr(0, sep));
  if (scheme != "postgres" && scheme != "postgresql") {
    return InvalidArgumentError("not a postgres:// or postgresql:// URL: " + url);
  }
  std::string rest = url.substr(sep + 3);
  std::string query;
  if (size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.resize(q);
  }
  // rest = [userinfo@]hosts[/dbname]; the password is the userinfo after ':'.
  std::string display_rest = rest;
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (size_t at = authority.rfind('@'); at != std::string::npos) {
    std::string userinfo = authority.substr(0, at);
    if (size_t colon = userinfo.find(':'); colon != std::string::npos) {
      display_rest = userinfo.substr(0, colon) + authority.substr(at) +
                     (slash == std::string::npos ? "" : rest.substr(slash));
    }
  }
  PostgresUrl out;
  std::vector<std::string> libpq_params;
  std::vector<std::string> display_params;
  bool has_timeout = false;
  bool has_app_name = false;
  for (std::string_view part : SplitTrimmed(query, '&')) {
    if (part.empty()) continue;
    std::string_view name = part.substr(0, part.find('='));
    std::string_view value =
        part.find('=') == std::string_view::npos ? "" : part.substr(part.find('=') + 1);
    if (name == "schema") {
      out.schema = PercentDecode(value);
      if (out.schema.empty()) {
        return InvalidArgumentError("store URL: schema= needs a name");
      }
      display_params.emplace_back(part);
      continue;
    }
    if (name == "connect_timeout") has_timeout = true;
    if (name == "application_name") has_app_name = true;
    libpq_params.emplace_back(part);
    if (name != "password") display_params.emplace_back(part);
  }
  if (!has_timeout) libpq_params.emplace_back("connect_timeout=10");
  if (!has_app_name) libpq_params.emplace_back("application_name=icts");
  auto join = [](const std::vector<std::string>& parts) {
    std::string s;
    for (const std::string& p : parts) s += (s.empty() ? "?" : "&") + p;
    return s;
  };
  out.conninfo = "postgresql://" + rest + join(libpq_params);
  out.display = scheme + "://" + display_rest + join(display_params);
  return out;
}

Result<std::unique_ptr<Store>> OpenPostgresAt(const std::string& url, int target_version) {
  (void)kRegistered;
  if (target_version < 1 || target_version > kLatestVersion) {
    return InvalidArgumentError("no PostgreSQL schema version " + std::to_string(target_version));
  }
  ICTS_ASSIGN_OR_RETURN(PostgresUrl parsed, ParsePostgresUrl(url));
  ICTS_ASSIGN_OR_RETURN(std::unique_ptr<Conn> conn, Conn::Connect(parsed.conninfo, parsed.display));
  // Text values must round-trip byte for byte and dates print as
  // YYYY-MM-DD whatever the server's defaults; commits wait for the flush.
  std::string setup =
      "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; "
      "SET TimeZone = 'UTC'; SET client_min_messages = 'warning'; "
      "SET synchronous_commit = 'on';";
  if (!parsed.schema.empty()) {
    ICTS_ASSIGN_OR_RETURN(std::string quoted, conn->QuoteIdentifier(parsed.schema));
    setup += " SET search_path = " + quoted + ";";
  }
  conn->SetSessionSetup(setup);
  ICTS_RETURN_IF_ERROR(conn->RunSessionSetup());
  auto store = std::make_unique<PgStore>(std::move(conn), parsed.display, parsed.schema);
  ICTS_RETURN_IF_ERROR(store->Migrate(target_version));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url) {
  return OpenPostgresAt(url, kLatestVersion);
}

}  // namespace icts::store
