// SQLite-only tests: the database-level protections, tampering by someone
// with write access to the file, and schema migration.
#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/audit.h"
#include "store/store.h"

namespace icts::store {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Raw SQL on the file, as an attacker with file access would run it.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  // Returns "" on success, else the error message.
  std::string Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    std::string message = rc == SQLITE_OK ? "" : (err ? err : "error");
    sqlite3_free(err);
    return message;
  }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }
  void DropAuditTriggers() {
    ASSERT_EQ(Exec("DROP TRIGGER audit_events_no_update; "
                   "DROP TRIGGER audit_events_no_delete;"),
              "");
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("icts-sqlite-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A store with `n` audited writes (decisions), then closed.
  void Fill(int n) {
    auto store = Store::Open("sqlite:" + path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < n; ++i) {
      DecisionRecord d;
      d.entity_id = "entity-" + std::to_string(i);
      d.subject_key = "query " + std::to_string(i);
      d.reason = "not the same company";
      d.decided_by = "analyst";
      ASSERT_TRUE((*store)->PutDecision("analyst", d).ok());
    }
  }

  AuditReport Verify() {
    auto store = Store::Open("sqlite:" + path_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    Result<AuditReport> report = (*store)->VerifyAudit();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return *report;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, FileIsWalWithStrictTables) {
  Fill(1);
  RawDb raw(path_);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_THAT(raw.Text("SELECT sql FROM sqlite_schema WHERE name='audit_events'"),
              HasSubstr("STRICT"));
  EXPECT_EQ(raw.Text("SELECT max(version) FROM schema_migrations"),
            std::to_string(SqliteSchemaVersion()));
}

TEST_F(SqliteStoreTest, DatabaseRefusesAuditEditsAndRecordEdits) {
  Fill(3);
  RawDb raw(path_);
  EXPECT_THAT(raw.Exec("UPDATE audit_events SET actor='mallory' WHERE seq=2"),
              HasSubstr("append-only"));
  EXPECT_THAT(raw.Exec("DELETE FROM audit_events WHERE seq=3"), HasSubstr("append-only"));
  EXPECT_THAT(raw.Exec("UPDATE decisions SET reason='changed'"), HasSubstr("immutable"));
  EXPECT_TRUE(Verify().intact);
}

TEST_F(SqliteStoreTest, EditedEventIsNamed) {
  Fill(5);
  {
    RawDb raw(path_);
    raw.DropAuditTriggers();
    ASSERT_EQ(raw.Exec("UPDATE audit_events SET payload_sha256="
                       "'0000000000000000000000000000000000000000000000000000000000000001'"
                       " WHERE seq=3"),
              "");
  }
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_THAT(report.problem, HasSubstr("edited"));
  EXPECT_EQ(report.events, 2);
}

TEST_F(SqliteStoreTest, EditedEventWithRecomputedHashIsCaughtByTheNext) {
  Fill(5);
  {
    RawDb raw(path_);
    raw.DropAuditTriggers();
    // Rewrite event 2's actor and give it a hash that matches its new
    // content: event 3's prev_hash still names the old one.
    std::string prev = raw.Text("SELECT prev_hash FROM audit_events WHERE seq=2");
    AuditEvent e;
    e.seq = 2;
    e.time = raw.Text("SELECT time FROM audit_events WHERE seq=2");
    e.actor = "mallory";
    e.kind = raw.Text("SELECT kind FROM audit_events WHERE seq=2");
    e.subject_id = raw.Text("SELECT subject_id FROM audit_events WHERE seq=2");
    e.payload_sha256 = raw.Text("SELECT payload_sha256 FROM audit_events WHERE seq=2");
    e.prev_hash = prev;
    std::string hash = ComputeEventHash(e);
    ASSERT_EQ(raw.Exec("UPDATE audit_events SET actor='mallory', hash='" + hash + "' WHERE seq=2"),
              "");
  }
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_THAT(report.problem, HasSubstr("prev_hash"));
}

TEST_F(SqliteStoreTest, DeletedEventIsNamed) {
  Fill(5);
  {
    RawDb raw(path_);
    raw.DropAuditTriggers();
    ASSERT_EQ(raw.Exec("DELETE FROM audit_events WHERE seq=4"), "");
  }
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 4);
  EXPECT_THAT(report.problem, HasSubstr("event 4 is missing"));
}

TEST_F(SqliteStoreTest, EventsCutOffTheEndAreFound) {
  Fill(5);
  {
    RawDb raw(path_);
    raw.DropAuditTriggers();
    ASSERT_EQ(raw.Exec("DELETE FROM audit_events WHERE seq>=4"), "");
  }
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 4);
  EXPECT_THAT(report.problem, HasSubstr("event 4 is missing"));
  EXPECT_THAT(report.problem, HasSubstr("written by event 5"));
}

TEST_F(SqliteStoreTest, DeletedAndRenumberedEventsAreNamed) {
  Fill(5);
  {
    RawDb raw(path_);
    raw.DropAuditTriggers();
    ASSERT_EQ(raw.Exec("DELETE FROM audit_events WHERE seq=2; "
                       "UPDATE audit_events SET seq=seq-1 WHERE seq>2;"),
              "");
  }
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 2);
}

TEST_F(SqliteStoreTest, ReorderedEventsAreNamed) {
  Fill(5);
  {
    RawDb raw(path_);
    raw.DropAuditTriggers();
    ASSERT_EQ(raw.Exec("UPDATE audit_events SET seq=-1 WHERE seq=2; "
                       "UPDATE audit_events SET seq=2 WHERE seq=4; "
                       "UPDATE audit_events SET seq=4 WHERE seq=-1;"),
              "");
  }
  AuditReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 2);
}

TEST_F(SqliteStoreTest, MigratesAnOlderSchema) {
  std::string det_id;
  {
    auto old = OpenSqliteAt(path_, 1);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    EXPECT_EQ(*(*old)->SchemaVersion(), 1);
    DeterminationRecord r;
    r.outcome = "clear";
    r.input_json = "{}";
    r.result_json = R"({"outcome":"clear"})";
    auto id = (*old)->PutDetermination("migrator", r);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    det_id = *id;
    // Version 1 has no case tables.
    CaseRecord c;
    c.state = "opened";
    c.payload_json = "{}";
    EXPECT_FALSE((*old)->PutCase("migrator", c).ok());
  }
  RawDb raw(path_);
  EXPECT_EQ(raw.Text("SELECT count(*) FROM sqlite_schema WHERE name='cases'"), "0");

  auto store = Store::Open("sqlite:" + path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), SqliteSchemaVersion());
  EXPECT_TRUE((*store)->GetDetermination(det_id).ok());
  CaseRecord c;
  c.state = "opened";
  c.payload_json = "{}";
  EXPECT_TRUE((*store)->PutCase("migrator", c).ok());
  Result<AuditReport> report = (*store)->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->events, 2);
  EXPECT_EQ(raw.Text("SELECT group_concat(version) FROM schema_migrations"), "1,2");
}

TEST_F(SqliteStoreTest, RefusesASchemaFromANewerEngine) {
  Fill(1);
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("INSERT INTO schema_migrations VALUES (99, 'future', 'x')"), "");
  }
  auto store = Store::Open("sqlite:" + path_);
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("newer"));
}

TEST_F(SqliteStoreTest, UnopenablePathIsUnavailable) {
  auto store = Store::Open("sqlite:" + (dir_ / "no-such-dir" / "x.db").string());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace icts::store
