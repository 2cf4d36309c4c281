// Sustained audited writes per second: each write is a record plus its
// audit event in one transaction (one per transaction), or many records in
// one transaction (batched). SQLite always (a file in $TMPDIR, WAL,
// synchronous=FULL); PostgreSQL when ICTS_TEST_POSTGRES_URL is set.
//
//   build-bench/bench/store_bench --benchmark_min_time=5
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "store/store.h"

namespace {

using icts::store::DecisionRecord;
using icts::store::ScreeningRecord;
using icts::store::Store;

std::string SqliteUrl() {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("icts-store-bench-" + std::to_string(getpid()) + ".db"))
                                      .string();
  return "sqlite:" + path;
}

std::unique_ptr<Store> OpenOrSkip(benchmark::State& state, bool postgres) {
  std::string url = SqliteUrl();
  if (postgres) {
    const char* env = std::getenv("ICTS_TEST_POSTGRES_URL");
    if (env == nullptr || *env == '\0') {
      state.SkipWithError("ICTS_TEST_POSTGRES_URL not set");
      return nullptr;
    }
    url = env;
  }
  auto s = Store::Open(url);
  if (!s.ok()) {
    state.SkipWithError(s.status().ToString().c_str());
    return nullptr;
  }
  return std::move(*s);
}

void BM_DecisionPerTransaction(benchmark::State& state) {
  std::unique_ptr<Store> store = OpenOrSkip(state, state.range(0) == 1);
  if (!store) return;
  int64_t i = 0;
  for (auto _ : state) {
    DecisionRecord d;
    d.entity_id = "entity-" + std::to_string(i % 1000);
    d.subject_key = "query " + std::to_string(i++);
    d.reason = "benchmark";
    d.decided_by = "bench";
    auto id = store->PutDecision("bench", d);
    if (!id.ok()) {
      state.SkipWithError(id.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ScreeningsBatched(benchmark::State& state) {
  std::unique_ptr<Store> store = OpenOrSkip(state, state.range(0) == 1);
  if (!store) return;
  const int batch = static_cast<int>(state.range(1));
  for (auto _ : state) {
    std::vector<ScreeningRecord> records(static_cast<size_t>(batch));
    for (ScreeningRecord& r : records) {
      r.query_name = "Huawei Technologies";
      r.result_json =
          R"({"query":{"name":"Huawei Technologies"},"hits":[{"entity_id":"e1","score":0.97}]})";
      r.hit_count = 1;
    }
    auto ids = store->PutScreenings("bench", std::move(records));
    if (!ids.ok()) {
      state.SkipWithError(ids.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

// Arg 0: 0 = SQLite, 1 = PostgreSQL.
BENCHMARK(BM_DecisionPerTransaction)->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(BM_ScreeningsBatched)
    ->Args({0, 100})
    ->Args({0, 1000})
    ->Args({1, 100})
    ->Args({1, 1000})
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::string path = SqliteUrl().substr(7);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}
