// PostgreSQL-specific store tests: URL handling, the database-level
// guarantees (triggers), tampering by someone with direct database access,
// concurrent writers in several processes, migrations, and chain bytes equal
// to SQLite's. The behaviour suite shared with SQLite is store_test.cc.
//
// Needs ICTS_TEST_POSTGRES_URL (scripts/test-postgres.sh start); skipped
// without it. Each test works in a fresh schema and drops it afterwards.
#include "store/pg_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/audit.h"
#include "store/backends.h"
#include "store/pg_db.h"

namespace icts::store {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ServerUrl() {
  const char* url = std::getenv("ICTS_TEST_POSTGRES_URL");
  return url == nullptr ? "" : url;
}

std::string WithSchema(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

DeterminationRecord Determination(std::string id) {
  DeterminationRecord r;
  r.id = std::move(id);
  r.transaction_id = "tx-1";
  r.outcome = "clear";
  r.input_json = R"({"id":"tx-1"})";
  r.result_json = R"({"id":"tx-1","outcome":"clear"})";
  r.provenance.engine_version = "0.1.0";
  r.provenance.as_of = *Date::ParseIso("2025-03-01");
  return r;
}

TEST(PostgresUrl, DropsPasswordAndOwnParameters) {
  Result<PostgresUrl> u = ParsePostgresUrl(
      "postgres://alice:s3cret@db.example:5433/icts?schema=my%20store"
      "&sslmode=require&password=other");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->schema, "my store");
  EXPECT_THAT(u->display, ::testing::Not(HasSubstr("s3cret")));
  EXPECT_THAT(u->display, ::testing::Not(HasSubstr("other")));
  EXPECT_EQ(u->display,
            "postgres://alice@db.example:5433/icts?schema=my%20store"
            "&sslmode=require");
  EXPECT_THAT(u->conninfo, ::testing::Not(HasSubstr("schema=")));
  EXPECT_THAT(u->conninfo, HasSubstr("sslmode=require"));
  EXPECT_THAT(u->conninfo, HasSubstr("connect_timeout=10"));
  EXPECT_THAT(u->conninfo, ::testing::StartsWith("postgresql://alice:s3cret@"));

  u = ParsePostgresUrl("postgresql://localhost/icts?connect_timeout=3");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->schema, "");
  EXPECT_EQ(u->conninfo, "postgresql://localhost/icts?connect_timeout=3&application_name=icts");
  EXPECT_EQ(ParsePostgresUrl("mysql://x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParsePostgresUrl("postgres://h/db?schema=").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(PostgresUrl, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens, the refusal is immediate.
  auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Store>> s =
      Store::Open("postgres://icts@127.0.0.1:1/icts?connect_timeout=2");
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.status().message(), HasSubstr("127.0.0.1:1"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ServerUrl();
    if (server_.empty()) {
      GTEST_SKIP() << "PostgreSQL tests skipped: set ICTS_TEST_POSTGRES_URL "
                      "(scripts/test-postgres.sh start prints one)";
    }
    schema_ = "icts_t_" + NewId("s").substr(2);
    url_ = WithSchema(server_, schema_);
    Result<std::unique_ptr<Store>> opened = Store::Open(url_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    Result<PostgresUrl> parsed = ParsePostgresUrl(url_);
    ASSERT_TRUE(parsed.ok());
    Result<std::unique_ptr<pg::Conn>> raw = pg::Conn::Connect(parsed->conninfo, "raw");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    raw_ = std::move(*raw);
    ASSERT_TRUE(raw_->Exec("SET client_min_messages = warning; SET search_path = " + schema_).ok());
  }

  void TearDown() override {
    store_.reset();
    if (raw_) {
      (void)raw_->Exec("ROLLBACK");  // After a failed Tamper().
      (void)raw_->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
  }

  // Writes `n` audited records of several kinds.
  void WriteSome(int n) {
    for (int i = 0; i < n; ++i) {
      if (i % 3 == 0) {
        ASSERT_TRUE(store_->PutDetermination("writer", Determination("")).ok());
      } else if (i % 3 == 1) {
        ScanRecord scan;
        scan.result_json = R"({"items":1})";
        ASSERT_TRUE(store_->PutScan("writer", scan).ok());
      } else {
        ASSERT_TRUE(store_->AppendAuditEvent("writer", "replay", "det-x", "{}").ok());
      }
    }
  }

  // Runs raw SQL as an attacker with table-owner rights would: with the
  // protecting triggers (and foreign keys) switched off.
  void Tamper(const std::string& sql) {
    Status s = raw_->Exec("BEGIN; ALTER TABLE audit_events DISABLE TRIGGER ALL; " + sql +
                          "; ALTER TABLE audit_events ENABLE TRIGGER ALL; COMMIT");
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  AuditReport Verify() {
    Result<AuditReport> report = store_->VerifyAudit();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : AuditReport{};
  }

  std::string server_;
  std::string schema_;
  std::string url_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<pg::Conn> raw_;
};

TEST_F(PgStoreTest, FreshSchemaIsMigratedAndNamed) {
  EXPECT_EQ(*store_->SchemaVersion(), PostgresSchemaVersion());
  EXPECT_THAT(store_->DisplayUrl(), HasSubstr("schema=" + schema_));
  Result<pg::Rows> rows = raw_->Query("SELECT version FROM schema_migrations ORDER BY 1");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2);
  EXPECT_EQ(rows->Int(0, 0), 1);
  EXPECT_EQ(rows->Int(1, 0), 2);
}

TEST_F(PgStoreTest, TriggersRefuseChangesToTheAuditTable) {
  WriteSome(3);
  for (const char* sql :
       {"UPDATE audit_events SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 3", "TRUNCATE audit_events CASCADE"}) {
    Status s = raw_->Exec(sql);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << sql;
    EXPECT_THAT(s.message(), HasSubstr("append-only")) << sql;
    EXPECT_THAT(s.message(), HasSubstr("SQLSTATE 23000")) << sql;
  }
  AuditReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.events, 3);
}

TEST_F(PgStoreTest, TriggersKeepRecordsImmutableAndRetentionOnlyLonger) {
  ASSERT_TRUE(store_->PutDetermination("w", Determination("det-fixed")).ok());
  Status s = raw_->Exec("UPDATE determinations SET outcome = 'prohibited'");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("immutable"));
  s = raw_->Exec("UPDATE determinations SET retain_until = retain_until - 1");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("only move later"));
  EXPECT_TRUE(raw_->Exec("UPDATE determinations SET retain_until = retain_until + 1").ok());

  CaseRecord c;
  c.id = "case-fixed";
  c.state = "opened";
  c.opened_on = *Date::ParseIso("2025-01-10");
  c.payload_json = "{}";
  ASSERT_TRUE(store_->PutCase("w", c).ok());
  CaseEvent e;
  e.case_id = "case-fixed";
  e.kind = "served";
  e.occurred_on = *Date::ParseIso("2025-02-01");
  ASSERT_TRUE(store_->AppendCaseEvent("w", e, std::nullopt).ok());
  EXPECT_EQ(raw_->Exec("UPDATE case_events SET kind = 'lapsed'").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(raw_->Exec("UPDATE cases SET retain_until = retain_until - 1").code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(PgStoreTest, EditedEventIsNamed) {
  WriteSome(6);
  Tamper("UPDATE audit_events SET actor = 'mallory' WHERE seq = 4");
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 4) << report.problem;
  EXPECT_EQ(report.events, 3);  // Events before the bad one.
}

TEST_F(PgStoreTest, EditedAndRehashedEventIsNamedByItsSuccessor) {
  WriteSome(6);
  // The attacker recomputes the edited event's own hash; the next event
  // still links to the old one.
  Result<std::vector<AuditEvent>> events = store_->ReadAudit(0, 100);
  ASSERT_TRUE(events.ok());
  AuditEvent edited = (*events)[2];
  edited.kind = "scan.put";
  edited.payload_sha256 = std::string(64, 'f');
  edited.hash = ComputeEventHash(edited);
  Tamper("UPDATE audit_events SET kind = '" + edited.kind + "', payload_sha256 = '" +
         edited.payload_sha256 + "', hash = '" + edited.hash + "' WHERE seq = 3");
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 4) << report.problem;
}

TEST_F(PgStoreTest, DeletedEventIsNamed) {
  WriteSome(6);
  Tamper("DELETE FROM audit_events WHERE seq = 3");
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 3) << report.problem;
}

TEST_F(PgStoreTest, ReorderedEventsAreNamed) {
  WriteSome(6);
  // Swap events 2 and 5 by renumbering them.
  Tamper(
      "UPDATE audit_events SET seq = 1000 WHERE seq = 2; "
      "UPDATE audit_events SET seq = 2 WHERE seq = 5; "
      "UPDATE audit_events SET seq = 5 WHERE seq = 1000");
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 2) << report.problem;
}

TEST_F(PgStoreTest, ConcurrentProcessesKeepOneLinearChain) {
  WriteSome(2);
  constexpr int kProcesses = 3;
  constexpr int kPerProcess = 20;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: its own connection; exit code 0 when every write succeeded.
      Result<std::unique_ptr<Store>> s = Store::Open(url_);
      if (!s.ok()) _exit(10);
      for (int i = 0; i < kPerProcess; ++i) {
        std::string actor = "proc-" + std::to_string(p);
        bool ok = (i % 2 == 0) ? (*s)->PutDetermination(actor, Determination("")).ok()
                               : (*s)->AppendAuditEvent(actor, "replay", "x", "{}").ok();
        if (!ok) _exit(11);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  AuditReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.events, 2 + kProcesses * kPerProcess);
  // Every record's event exists, and no two events share a predecessor.
  Result<pg::Rows> forks =
      raw_->Query("SELECT count(*) - count(DISTINCT prev_hash) FROM audit_events");
  ASSERT_TRUE(forks.ok());
  EXPECT_EQ(forks->Int(0, 0), 0);
  Result<pg::Rows> orphans = raw_->Query(
      "SELECT count(*) FROM determinations d LEFT JOIN audit_events a "
      "ON a.seq = d.audit_seq WHERE a.seq IS NULL OR a.subject_id <> d.id");
  ASSERT_TRUE(orphans.ok());
  EXPECT_EQ(orphans->Int(0, 0), 0);
}

TEST_F(PgStoreTest, ConcurrentFirstOpensMigrateOnce) {
  std::string schema = "icts_t_" + NewId("m").substr(2);
  std::string url = WithSchema(server_, schema);
  std::vector<std::thread> threads;
  std::vector<Status> results(4);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = Store::Open(url).status(); });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  Result<pg::Rows> rows = raw_->Query("SELECT count(*) FROM " + schema + ".schema_migrations");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->Int(0, 0), PostgresSchemaVersion());
  (void)raw_->Exec("DROP SCHEMA " + schema + " CASCADE");
}

TEST_F(PgStoreTest, MigratesFromVersionOneAndRefusesNewer) {
  std::string schema = "icts_t_" + NewId("v").substr(2);
  std::string url = WithSchema(server_, schema);
  {
    Result<std::unique_ptr<Store>> v1 = OpenPostgresAt(url, 1);
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    EXPECT_EQ(*(*v1)->SchemaVersion(), 1);
    ASSERT_TRUE((*v1)->PutDetermination("w", Determination("det-old")).ok());
  }
  {
    Result<std::unique_ptr<Store>> latest = Store::Open(url);
    ASSERT_TRUE(latest.ok()) << latest.status().ToString();
    EXPECT_EQ(*(*latest)->SchemaVersion(), PostgresSchemaVersion());
    EXPECT_TRUE((*latest)->GetDetermination("det-old").ok());
    Result<AuditReport> report = (*latest)->VerifyAudit();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->intact);
  }
  ASSERT_TRUE(
      raw_->Exec("INSERT INTO " + schema + ".schema_migrations VALUES (99, 'future', 'x')").ok());
  Result<std::unique_ptr<Store>> refused = Store::Open(url);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("newer"));
  (void)raw_->Exec("DROP SCHEMA " + schema + " CASCADE");
}

TEST_F(PgStoreTest, ChainBytesEqualSqlites) {
  // The same writes at the same clock give the same chain on both backends.
  fs::path dir = fs::temp_directory_path() / ("icts-pg-chain-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Result<std::unique_ptr<Store>> lite = Store::Open("sqlite:" + (dir / "s.db").string());
  ASSERT_TRUE(lite.ok()) << lite.status().ToString();
  auto fixed = [] {
    return std::chrono::system_clock::time_point(
        std::chrono::microseconds(1748779200123456));  // 2025-06-01T12:00:00.123456Z
  };
  for (Store* s : {lite->get(), store_.get()}) {
    s->SetClock(fixed);
    ASSERT_TRUE(s->PutDetermination("alice", Determination("det-1")).ok());
    CaseRecord c;
    c.id = "case-1";
    c.state = "opened";
    c.opened_on = *Date::ParseIso("2025-05-30");
    c.next_due_on = *Date::ParseIso("2025-06-20");
    c.payload_json = R"({"title":"Ünïcödé"})";
    ASSERT_TRUE(s->PutCase("alice", c).ok());
    CaseEvent e;
    e.case_id = "case-1";
    e.kind = "served";
    e.occurred_on = *Date::ParseIso("2025-06-01");
    ASSERT_TRUE(s->AppendCaseEvent("bob", e, std::nullopt).ok());
    ASSERT_TRUE(
        s->ExtendRetention("bob", RecordKind::kCase, "case-1", *Date::ParseIso("2040-01-01")).ok());
  }
  Result<std::vector<AuditEvent>> a = (*lite)->ReadAudit(0, 100);
  Result<std::vector<AuditEvent>> b = store_->ReadAudit(0, 100);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 4u);
  ASSERT_EQ(b->size(), 4u);
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ(CanonicalEventBytes((*a)[i]), CanonicalEventBytes((*b)[i])) << i;
    EXPECT_EQ((*a)[i].hash, (*b)[i].hash) << i;
  }
  EXPECT_EQ(store_->GetCase("case-1")->payload_json, R"({"title":"Ünïcödé"})");
  lite->reset();
  fs::remove_all(dir);
}

TEST_F(PgStoreTest, LostConnectionReconnects) {
  // A store whose connection is named, so that only it is ended.
  std::string app = "icts_reconnect_" + std::to_string(getpid());
  Result<std::unique_ptr<Store>> opened = Store::Open(url_ + "&application_name=" + app);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  ASSERT_TRUE(store.PutDetermination("w", Determination("")).ok());
  // Another session ends it, as a server restart or an idle timeout would.
  Result<pg::Rows> ended = raw_->Query(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE application_name = $1",
      {app});
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  ASSERT_EQ(ended->Int(0, 0), 1);
  // The first statement finds the link dead and says so; the next reconnects.
  Result<std::vector<AuditEvent>> read = store.ReadAudit(0, 10);
  if (!read.ok()) {
    EXPECT_EQ(read.status().code(), StatusCode::kUnavailable);
  }
  Result<std::string> id = store.PutDetermination("w", Determination(""));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<AuditReport> report = store.VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->events, 2);
}

}  // namespace
}  // namespace icts::store
