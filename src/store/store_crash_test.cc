// Crash safety: a child process makes audited writes as fast as it can and
// reports each id only after its write has returned (committed); the parent
// kills it with SIGKILL at random moments, 20 times, and then checks that
// every reported write is there, that no write is half there (each record
// has its audit event and each event its record; a batch is whole or
// absent), and that the audit chain verifies.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "base/sha256.h"
#include "store/audit.h"
#include "store/store.h"

namespace icts::store {
namespace {

namespace fs = std::filesystem;

constexpr int kKills = 20;
constexpr int kBatch = 20;

// The child: never returns.
[[noreturn]] void WriteUntilKilled(const std::string& url, int fd, int round) {
  Result<std::unique_ptr<Store>> store = Store::Open(url);
  if (!store.ok()) _exit(3);
  for (int i = 0;; ++i) {
    std::string line;
    if (i % 4 == 3) {
      std::vector<ScreeningRecord> batch(kBatch);
      std::string batch_id = "batch-" + std::to_string(round) + "-" + std::to_string(i);
      for (ScreeningRecord& r : batch) {
        r.query_name = "Name " + std::to_string(i);
        r.result_json = R"({"hits":[]})";
        r.batch_id = batch_id;
      }
      Result<std::vector<std::string>> ids = (*store)->PutScreenings("crash-test", batch);
      if (!ids.ok()) _exit(4);
      line = "B " + batch_id + "\n";
    } else {
      DecisionRecord d;
      d.entity_id = "entity-" + std::to_string(round);
      d.subject_key = "query " + std::to_string(i);
      d.reason = "crash test";
      d.decided_by = "crash-test";
      Result<std::string> id = (*store)->PutDecision("crash-test", d);
      if (!id.ok()) _exit(4);
      line = "D " + *id + "\n";
    }
    // One write() of a short line to a pipe is atomic.
    if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
  }
}

TEST(StoreCrash, SigkillLosesNothingCommittedAndLeavesNoHalfWrites) {
  fs::path dir = fs::temp_directory_path() / ("icts-crash-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string url = "sqlite:" + (dir / "store.db").string();
  {
    // Create and migrate before the first child, so kills land in writes.
    Result<std::unique_ptr<Store>> s = Store::Open(url);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
  }
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> delay_us(2000, 120000);
  std::set<std::string> decisions_reported;
  std::set<std::string> batches_reported;

  for (int round = 0; round < kKills; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      WriteUntilKilled(url, fds[1], round);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited by itself with " << WEXITSTATUS(wstatus);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    size_t start = 0;
    while (true) {
      size_t end = out.find('\n', start);
      if (end == std::string::npos) break;  // A partial line was never reported.
      std::string line = out.substr(start, end - start);
      start = end + 1;
      if (line.rfind("D ", 0) == 0) decisions_reported.insert(line.substr(2));
      if (line.rfind("B ", 0) == 0) batches_reported.insert(line.substr(2));
    }
  }
  ASSERT_FALSE(decisions_reported.empty()) << "the child never committed a write";

  Result<std::unique_ptr<Store>> store = Store::Open(url);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<AuditReport> report = (*store)->VerifyAudit();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->intact) << "event " << report->first_bad_seq << ": " << report->problem;

  // Every reported write is there.
  for (const std::string& id : decisions_reported) {
    EXPECT_TRUE((*store)->GetDecision(id).ok()) << "lost committed decision " << id;
  }
  // Every event has its record; every batch is whole.
  Result<std::vector<AuditEvent>> events = (*store)->ReadAudit(0, 10'000'000);
  ASSERT_TRUE(events.ok());
  std::map<std::string, int> batch_sizes;
  size_t decision_events = 0;
  for (const AuditEvent& e : *events) {
    if (e.kind == kEventDecisionPut) {
      ++decision_events;
      Result<DecisionRecord> d = (*store)->GetDecision(e.subject_id);
      ASSERT_TRUE(d.ok()) << "event " << e.seq << " without its decision";
      EXPECT_EQ(e.payload_sha256, Sha256Hex(CanonicalPayload(*d)));
    } else if (e.kind == kEventScreeningPut) {
      Result<ScreeningRecord> s = (*store)->GetScreening(e.subject_id);
      ASSERT_TRUE(s.ok()) << "event " << e.seq << " without its screening";
      ++batch_sizes[s->batch_id];
    }
  }
  for (const auto& [batch, size] : batch_sizes) {
    EXPECT_EQ(size, kBatch) << "batch " << batch << " is partly written";
  }
  for (const std::string& batch : batches_reported) {
    EXPECT_EQ(batch_sizes.count(batch), 1u) << "lost committed batch " << batch;
  }
  // Every decision has its event.
  DecisionFilter all;
  all.limit = 10'000'000;
  Result<std::vector<DecisionRecord>> decisions = (*store)->ListDecisions(all);
  ASSERT_TRUE(decisions.ok());
  EXPECT_EQ(decisions->size(), decision_events);
  EXPECT_GE(decisions->size(), decisions_reported.size());
  std::fprintf(stderr, "%d kills: %zu decisions and %zu batches reported, %lld events\n", kKills,
               decisions_reported.size(), batches_reported.size(),
               static_cast<long long>(report->events));
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace icts::store
