// The behaviour suite every Store backend must pass (store.h lists the
// guarantees). It runs on SQLite always and on PostgreSQL when
// ICTS_TEST_POSTGRES_URL names a server. Tests never assume an empty store:
// they count audit events before and after, and use fresh ids.
#include "store/store.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "base/sha256.h"
#include "store/audit.h"
#include "store/backends.h"
#include "store/pg_db.h"
#include "store/pg_store.h"

namespace icts::store {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// An Ed25519 key pair as PEM text.
struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

KeyPair MakeKeyPair() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  KeyPair out;
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  out.private_pem.assign(data, static_cast<size_t>(n));
  BIO_free(b);
  b = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(b, key);
  n = BIO_get_mem_data(b, &data);
  out.public_pem.assign(data, static_cast<size_t>(n));
  BIO_free(b);
  EVP_PKEY_free(key);
  return out;
}

std::string Unique(const std::string& prefix) { return NewId(prefix); }

DeterminationRecord SampleDetermination(std::string id = "") {
  DeterminationRecord r;
  r.id = std::move(id);
  r.transaction_id = "tx-1";
  r.outcome = "needs_review";
  r.input_json = R"({"id":"tx-1","date":"2025-03-01"})";
  r.result_json = R"({"id":"tx-1","outcome":"needs_review"})";
  r.provenance.snapshot_sha256 = std::string(64, 'a');
  r.provenance.packs_json = R"([{"id":"part-791-scope","version":"1","sha256":"00"}])";
  r.provenance.engine_version = "0.1.0";
  r.provenance.as_of = *Date::ParseIso("2025-03-01");
  return r;
}

DecisionRecord SampleDecision(const std::string& entity, const std::string& query) {
  DecisionRecord d;
  d.subject_kind = SubjectKind::kScreeningHit;
  d.entity_id = entity;
  d.subject_key = query;
  d.status = DecisionStatus::kFalsePositive;
  d.reason = "different company: other country and registration number";
  d.decided_by = "analyst@example.org";
  d.entity_content_hash = "hash-v1";
  return d;
}

CaseRecord SampleCase(std::string id) {
  CaseRecord c;
  c.id = std::move(id);
  c.state = "opened";
  c.opened_on = *Date::ParseIso("2025-01-10");
  c.next_due_on = *Date::ParseIso("2025-02-01");
  c.payload_json = R"({"title":"Router imports"})";
  return c;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const char* url = std::getenv("ICTS_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "PostgreSQL tests skipped: set ICTS_TEST_POSTGRES_URL "
                        "(e.g. postgres://icts@127.0.0.1:55432/icts) to run them";
      }
      // A schema of its own (pg_store.h), so that tests running in
      // parallel processes do not see each other's audit events.
      schema_ = "icts_t_" + NewId("s").substr(2);
      url_ =
          std::string(url) + (std::strchr(url, '?') == nullptr ? "?" : "&") + "schema=" + schema_;
    } else {
      dir_ = fs::temp_directory_path() /
             ("icts-store-test-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "store.db").string();
    }
    Result<std::unique_ptr<Store>> opened = Store::Open(url_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
    if (!schema_.empty()) {
      Result<PostgresUrl> parsed = ParsePostgresUrl(url_);
      ASSERT_TRUE(parsed.ok());
      Result<std::unique_ptr<pg::Conn>> conn = pg::Conn::Connect(parsed->conninfo, "");
      ASSERT_TRUE(conn.ok()) << conn.status().ToString();
      EXPECT_TRUE((*conn)->Exec("DROP SCHEMA " + schema_ + " CASCADE").ok());
    }
  }

  int64_t AuditCount() {
    Result<AuditReport> report = store_->VerifyAudit();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->intact) << report->problem;
    return report->events;
  }

  std::vector<AuditEvent> EventsAfter(int64_t seq) {
    Result<std::vector<AuditEvent>> events = store_->ReadAudit(seq, 100000);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    return events.ok() ? *events : std::vector<AuditEvent>{};
  }

  Date Today() const {
    auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return Date::FromDays(static_cast<int32_t>(days.time_since_epoch().count()));
  }

  std::string url_;
  std::string schema_;  // PostgreSQL: dropped after the test.
  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, SchemaIsMigrated) {
  Result<int> version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_GE(*version, 1);
  EXPECT_THAT(store_->DisplayUrl(), ::testing::Not(HasSubstr("password")));
}

TEST_P(StoreTest, DeterminationRoundTripWithProvenance) {
  int64_t before = AuditCount();
  Result<std::string> id = store_->PutDetermination("tester", SampleDetermination());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_THAT(*id, ::testing::StartsWith("det-"));

  Result<DeterminationRecord> got = store_->GetDetermination(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  DeterminationRecord want = SampleDetermination();
  EXPECT_EQ(got->outcome, want.outcome);
  EXPECT_EQ(got->input_json, want.input_json);
  EXPECT_EQ(got->result_json, want.result_json);
  EXPECT_EQ(got->provenance.input_sha256, Sha256Hex(want.input_json));
  EXPECT_EQ(got->provenance.snapshot_sha256, want.provenance.snapshot_sha256);
  EXPECT_EQ(got->provenance.packs_json, want.provenance.packs_json);
  EXPECT_EQ(got->provenance.engine_version, "0.1.0");
  EXPECT_EQ(got->provenance.as_of.ToIso(), "2025-03-01");
  EXPECT_EQ(got->created_at.size(), 27u) << got->created_at;
  ASSERT_TRUE(got->retain_until.has_value());
  EXPECT_EQ(*got->retain_until, Today().AddYears(10));

  Result<std::vector<DeterminationRecord>> list = store_->ListDeterminations(5, 0);
  ASSERT_TRUE(list.ok());
  ASSERT_FALSE(list->empty());
  EXPECT_EQ(list->front().id, *id);

  // One event, naming the record, hashing its canonical payload.
  std::vector<AuditEvent> events = EventsAfter(before);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "determination.put");
  EXPECT_EQ(events[0].subject_id, *id);
  EXPECT_EQ(events[0].actor, "tester");
  EXPECT_EQ(events[0].payload_sha256, Sha256Hex(CanonicalPayload(*got)));
  EXPECT_EQ(AuditCount(), before + 1);
}

TEST_P(StoreTest, MissingRecordsAreNotFound) {
  EXPECT_EQ(store_->GetDetermination("det-none").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetScreening("scr-none").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetScan("scan-none").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetDecision("dec-none").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetCase("case-none").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->RetainUntil(RecordKind::kScan, "scan-none").status().code(),
            StatusCode::kNotFound);
}

TEST_P(StoreTest, DuplicateIdIsRefusedAndWritesNothing) {
  std::string id = Unique("det");
  ASSERT_TRUE(store_->PutDetermination("tester", SampleDetermination(id)).ok());
  int64_t before = AuditCount();
  Result<std::string> again = store_->PutDetermination("tester", SampleDetermination(id));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr(id));
  EXPECT_EQ(AuditCount(), before);
}

TEST_P(StoreTest, InvalidRecordsAreRefusedBeforeWriting) {
  int64_t before = AuditCount();
  DeterminationRecord bad = SampleDetermination();
  bad.result_json = "{not json";
  EXPECT_EQ(store_->PutDetermination("tester", bad).status().code(), StatusCode::kInvalidArgument);
  bad = SampleDetermination();
  bad.outcome = "maybe";
  EXPECT_EQ(store_->PutDetermination("tester", bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PutDetermination("", SampleDetermination()).status().code(),
            StatusCode::kInvalidArgument);
  DecisionRecord d = SampleDecision("e1", "acme");
  d.reason.clear();
  EXPECT_EQ(store_->PutDecision("tester", d).status().code(), StatusCode::kInvalidArgument);
  CaseRecord c = SampleCase(Unique("case"));
  c.payload_json = "[]";
  EXPECT_EQ(store_->PutCase("tester", c).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AuditCount(), before);
}

TEST_P(StoreTest, BatchIsAllOrNothing) {
  std::string taken = Unique("det");
  ASSERT_TRUE(store_->PutDetermination("tester", SampleDetermination(taken)).ok());
  int64_t before = AuditCount();
  std::string a = Unique("det"), b = Unique("det");
  std::vector<DeterminationRecord> batch = {SampleDetermination(a), SampleDetermination(b),
                                            SampleDetermination(taken)};
  EXPECT_EQ(store_->PutDeterminations("tester", batch).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->GetDetermination(a).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetDetermination(b).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(), before);

  batch = {SampleDetermination(a), SampleDetermination(b)};
  Result<std::vector<std::string>> ids = store_->PutDeterminations("tester", batch);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_THAT(*ids, ::testing::ElementsAre(a, b));
  EXPECT_EQ(AuditCount(), before + 2);
}

TEST_P(StoreTest, ScreeningsAndScansRoundTrip) {
  int64_t before = AuditCount();
  ScreeningRecord s;
  s.query_name = "Hikvision";
  s.result_json = R"({"query":{"name":"Hikvision"},"hits":[{"entity_id":"e1"}]})";
  s.snapshot_sha256 = "ab";
  s.hit_count = 1;
  s.batch_id = "batch-1";
  Result<std::vector<std::string>> ids = store_->PutScreenings("tester", {s, s});
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), 2u);
  EXPECT_NE((*ids)[0], (*ids)[1]);
  Result<ScreeningRecord> got = store_->GetScreening((*ids)[1]);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->query_name, "Hikvision");
  EXPECT_EQ(got->query_json, R"({"name":"Hikvision"})");
  EXPECT_EQ(got->result_json, s.result_json);
  EXPECT_EQ(got->hit_count, 1);
  EXPECT_EQ(got->batch_id, "batch-1");

  ScanRecord scan;
  scan.summary_json = R"({"items":3})";
  scan.result_json = R"({"items":3,"findings":[]})";
  Result<std::string> scan_id = store_->PutScan("tester", scan);
  ASSERT_TRUE(scan_id.ok()) << scan_id.status().ToString();
  Result<ScanRecord> got_scan = store_->GetScan(*scan_id);
  ASSERT_TRUE(got_scan.ok());
  EXPECT_EQ(got_scan->summary_json, scan.summary_json);
  EXPECT_EQ(got_scan->result_json, scan.result_json);

  std::vector<AuditEvent> events = EventsAfter(before);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, "screening.put");
  EXPECT_EQ(events[2].kind, "scan.put");
  EXPECT_EQ(events[2].payload_sha256, Sha256Hex(CanonicalPayload(*got_scan)));
}

TEST_P(StoreTest, NewestDecisionOnASubjectCounts) {
  std::string entity = Unique("entity");
  DecisionRecord first = SampleDecision(entity, "  ACME   Trading ");
  Result<std::string> first_id = store_->PutDecision("tester", first);
  ASSERT_TRUE(first_id.ok()) << first_id.status().ToString();
  Result<DecisionRecord> stored = store_->GetDecision(*first_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->subject_key, "acme trading");

  DecisionRecord second = SampleDecision(entity, "acme trading");
  second.status = DecisionStatus::kConfirmed;
  second.reason = "registration number matches";
  ASSERT_TRUE(store_->PutDecision("tester", second).ok());

  Result<std::optional<DecisionRecord>> current =
      store_->CurrentDecision(SubjectKind::kScreeningHit, entity, "Acme Trading");
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->status, DecisionStatus::kConfirmed);

  DecisionFilter filter;
  filter.entity_id = entity;
  Result<std::vector<DecisionRecord>> all = store_->ListDecisions(filter);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].status, DecisionStatus::kConfirmed);
  EXPECT_EQ((*all)[1].id, *first_id);

  // Other subjects are unaffected.
  current = store_->CurrentDecision(SubjectKind::kScreeningHit, entity, "acme");
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(current->has_value());
  current = store_->CurrentDecision(SubjectKind::kFinding, entity, "acme trading");
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(current->has_value());
}

TEST_P(StoreTest, DecisionReappliesReopensAndExpires) {
  std::string entity = Unique("entity");
  DecisionRecord d = SampleDecision(entity, "Acme");
  d.expires_on = *Date::ParseIso("2030-06-30");
  Result<std::string> id = store_->PutDecision("tester", d);
  ASSERT_TRUE(id.ok());
  Result<DecisionRecord> stored = store_->GetDecision(*id);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->expires_on.has_value());
  EXPECT_EQ(stored->expires_on->ToIso(), "2030-06-30");
  EXPECT_EQ(stored->entity_content_hash, "hash-v1");

  Date june = *Date::ParseIso("2030-06-30");
  // Same entry content, within the expiry: applies (through the expiry day).
  EXPECT_EQ(EvaluateDecision(*stored, "hash-v1", june), DecisionState::kInForce);
  // The list entry changed: re-opened.
  EXPECT_EQ(EvaluateDecision(*stored, "hash-v2", june), DecisionState::kReopened);
  // The day after the expiry: no longer applies.
  EXPECT_EQ(EvaluateDecision(*stored, "hash-v1", june.AddDays(1)), DecisionState::kExpired);

  DecisionRecord revoke = SampleDecision(entity, "acme");
  revoke.status = DecisionStatus::kRevoked;
  revoke.reason = "made in error";
  ASSERT_TRUE(store_->PutDecision("tester", revoke).ok());
  Result<std::optional<DecisionRecord>> current =
      store_->CurrentDecision(SubjectKind::kScreeningHit, entity, "acme");
  ASSERT_TRUE(current.ok() && current->has_value());
  EXPECT_EQ(EvaluateDecision(**current, "hash-v1", june), DecisionState::kRevoked);
}

TEST_P(StoreTest, RetentionRefusesEarlyDeletion) {
  std::string id = Unique("det");
  ASSERT_TRUE(store_->PutDetermination("tester", SampleDetermination(id)).ok());
  Result<Date> until = store_->RetainUntil(RecordKind::kDetermination, id);
  ASSERT_TRUE(until.ok());
  EXPECT_EQ(*until, Today().AddYears(10));

  int64_t before = AuditCount();
  Status refused = store_->DeleteRecord("tester", RecordKind::kDetermination, id);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr(until->ToIso()));
  EXPECT_TRUE(store_->GetDetermination(id).ok());
  EXPECT_EQ(AuditCount(), before);

  // Extending moves the date; an earlier date is ignored.
  Date later = until->AddYears(2);
  ASSERT_TRUE(store_->ExtendRetention("tester", RecordKind::kDetermination, id, later).ok());
  ASSERT_TRUE(store_->ExtendRetention("tester", RecordKind::kDetermination, id, Today()).ok());
  EXPECT_EQ(*store_->RetainUntil(RecordKind::kDetermination, id), later);
  EXPECT_EQ(AuditCount(), before + 1);

  // On the retention day itself, still refused; the day after, allowed.
  auto at = [](Date d) {
    return std::chrono::system_clock::time_point(std::chrono::days(d.days()) +
                                                 std::chrono::hours(12));
  };
  store_->SetClock([&] { return at(later); });
  EXPECT_EQ(store_->DeleteRecord("tester", RecordKind::kDetermination, id).code(),
            StatusCode::kFailedPrecondition);
  store_->SetClock([&] { return at(later.AddDays(1)); });
  Status deleted = store_->DeleteRecord("tester", RecordKind::kDetermination, id);
  ASSERT_TRUE(deleted.ok()) << deleted.ToString();
  EXPECT_EQ(store_->GetDetermination(id).status().code(), StatusCode::kNotFound);
  std::vector<AuditEvent> events = EventsAfter(before);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, "record.delete");
  EXPECT_EQ(events[1].subject_id, id);
  store_->SetClock(nullptr);
  EXPECT_EQ(AuditCount(), before + 2);
}

TEST_P(StoreTest, CasesAreVersionedAndKeepTheirEvents) {
  std::string id = Unique("case");
  Result<CaseRecord> created = store_->PutCase("tester", SampleCase(id));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->id, id);
  EXPECT_FALSE(created->created_at.empty());
  EXPECT_EQ(store_->PutCase("tester", SampleCase(id)).status().code(), StatusCode::kAlreadyExists);

  CaseRecord update = *created;
  update.state = "information-requested";
  update.next_due_on = *Date::ParseIso("2025-03-01");
  Result<CaseRecord> updated = store_->PutCase("tester", update);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->created_at, created->created_at);

  // A writer holding the old version loses.
  CaseRecord stale = *created;
  stale.state = "closed";
  EXPECT_EQ(store_->PutCase("tester", stale).status().code(), StatusCode::kAborted);

  // An event with a case update, in one transaction.
  CaseEvent event;
  event.case_id = id;
  event.kind = "served";
  event.occurred_on = *Date::ParseIso("2025-02-20");
  event.payload_json = R"({"to":"party@example.com"})";
  CaseRecord served = *updated;
  served.state = "served";
  served.final_determination_on = *Date::ParseIso("2099-01-15");
  Result<CaseEvent> appended = store_->AppendCaseEvent("clerk", event, served);
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ(appended->seq, 1);
  EXPECT_EQ(appended->actor, "clerk");
  event.kind = "response-received";
  event.payload_json = "{}";
  appended = store_->AppendCaseEvent("clerk", event, std::nullopt);
  ASSERT_TRUE(appended.ok());
  EXPECT_EQ(appended->seq, 2);

  Result<CaseRecord> now = store_->GetCase(id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->state, "served");
  EXPECT_EQ(now->version, 3);
  // Retention runs 10 years from the final determination.
  EXPECT_EQ(now->retain_until->ToIso(), "2109-01-15");

  Result<std::vector<CaseEvent>> events = store_->ListCaseEvents(id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, "served");
  EXPECT_EQ((*events)[0].payload_json, R"({"to":"party@example.com"})");
  EXPECT_EQ((*events)[1].kind, "response-received");

  // A stale update with an event: neither is written.
  int64_t before = AuditCount();
  EXPECT_EQ(store_->AppendCaseEvent("clerk", event, stale).status().code(), StatusCode::kAborted);
  EXPECT_EQ(store_->ListCaseEvents(id)->size(), 2u);
  EXPECT_EQ(AuditCount(), before);
  // No such case.
  event.case_id = Unique("case");
  EXPECT_EQ(store_->AppendCaseEvent("clerk", event, std::nullopt).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(), before);
}

TEST_P(StoreTest, ListCasesFiltersByStateAndDueDate) {
  std::string state = "state-" + Unique("s");
  std::string a = Unique("case"), b = Unique("case"), c = Unique("case");
  CaseRecord ca = SampleCase(a);
  ca.state = state;
  ca.next_due_on = *Date::ParseIso("2025-05-01");
  CaseRecord cb = SampleCase(b);
  cb.state = state;
  cb.next_due_on = *Date::ParseIso("2025-04-01");
  CaseRecord cc = SampleCase(c);
  cc.state = state;
  cc.next_due_on.reset();
  for (const CaseRecord& r : {ca, cb, cc}) ASSERT_TRUE(store_->PutCase("t", r).ok());

  CaseFilter filter;
  filter.state = state;
  Result<std::vector<CaseRecord>> all = store_->ListCases(filter);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, b);
  EXPECT_EQ((*all)[1].id, a);
  EXPECT_EQ((*all)[2].id, c);
  filter.due_on_or_before = *Date::ParseIso("2025-04-01");
  all = store_->ListCases(filter);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].id, b);
}

TEST_P(StoreTest, ChainVerifiesAndExportsASignedBundle) {
  ASSERT_TRUE(store_->PutDetermination("tester", SampleDetermination()).ok());
  ASSERT_TRUE(store_->AppendAuditEvent("tester", "replay", "det-x", "{}").ok());
  Result<AuditReport> report = store_->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->head_hash.size(), 64u);

  fs::path bundle_root =
      fs::temp_directory_path() / ("icts-bundle-" + std::to_string(getpid()) + "-" + GetParam());
  fs::remove_all(bundle_root);
  std::string bundle = (bundle_root / "b").string();
  KeyPair keys = MakeKeyPair();
  Status exported = store_->ExportAudit("auditor", bundle, keys.private_pem);
  ASSERT_TRUE(exported.ok()) << exported.ToString();

  Result<BundleReport> checked = VerifyBundle(bundle, keys.public_pem);
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_TRUE(checked->valid) << checked->problem;
  EXPECT_EQ(checked->count, report->events + 1);  // + the export's own event.

  // Another key does not verify.
  KeyPair other = MakeKeyPair();
  checked = VerifyBundle(bundle, other.public_pem);
  ASSERT_TRUE(checked.ok());
  EXPECT_FALSE(checked->valid);
  EXPECT_THAT(checked->problem, HasSubstr("signature"));

  // An edited event file is caught.
  std::string lines = *ReadFileToString(bundle + "/events.jsonl");
  size_t pos = lines.find("tester");
  ASSERT_NE(pos, std::string::npos);
  lines.replace(pos, 6, "TESTER");
  ASSERT_TRUE(WriteFileAtomically(bundle + "/events.jsonl", lines).ok());
  checked = VerifyBundle(bundle, keys.public_pem);
  ASSERT_TRUE(checked.ok());
  EXPECT_FALSE(checked->valid);
  EXPECT_THAT(checked->problem, HasSubstr("events_sha256"));

  // Exporting into a non-empty folder is refused.
  EXPECT_FALSE(store_->ExportAudit("auditor", bundle, keys.private_pem).ok());
  fs::remove_all(bundle_root);
}

TEST_P(StoreTest, ConcurrentWritersKeepOneChain) {
  int64_t before = AuditCount();
  constexpr int kPerThread = 25;
  auto writer = [&](int n) {
    Result<std::unique_ptr<Store>> s = Store::Open(url_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    for (int i = 0; i < kPerThread; ++i) {
      Result<std::string> id =
          (*s)->PutDetermination("writer-" + std::to_string(n), SampleDetermination());
      ASSERT_TRUE(id.ok()) << id.status().ToString();
    }
  };
  std::thread t1(writer, 1), t2(writer, 2);
  t1.join();
  t2.join();
  EXPECT_EQ(AuditCount(), before + 2 * kPerThread);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

TEST(StoreOpen, RejectsUnknownSchemes) {
  EXPECT_EQ(Store::Open("mysql://x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Store::Open("no-scheme").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Store::Open("sqlite:").status().code(), StatusCode::kInvalidArgument);
}

TEST(StoreOpen, DefaultUrl) {
  unsetenv("ICTS_STORE");
  EXPECT_EQ(Store::DefaultUrl(), "sqlite:icts.db");
  setenv("ICTS_STORE", "/var/lib/icts/records.db", 1);
  EXPECT_EQ(Store::DefaultUrl(), "sqlite:/var/lib/icts/records.db");
  setenv("ICTS_STORE", "postgres://db/icts", 1);
  EXPECT_EQ(Store::DefaultUrl(), "postgres://db/icts");
  unsetenv("ICTS_STORE");
}

TEST(Decisions, NamesParseBothWays) {
  for (auto s :
       {DecisionStatus::kFalsePositive, DecisionStatus::kConfirmed, DecisionStatus::kAcceptedRisk,
        DecisionStatus::kMitigated, DecisionStatus::kNotApplicable, DecisionStatus::kRevoked}) {
    EXPECT_EQ(*ParseDecisionStatus(DecisionStatusName(s)), s);
  }
  EXPECT_FALSE(ParseDecisionStatus("maybe").ok());
  EXPECT_EQ(NormalizeQueryKey("  Huawei\tTechnologies  CO "), "huawei technologies co");
}

}  // namespace
}  // namespace icts::store
