// Review benchmarks: the evaluator alone (facts prepared) and whole reviews
// (read the JSON, screen every party, build and analyse the ownership graph,
// evaluate) over the shipped example transactions.
//
//   review_bench [--benchmark_...]
//
// The full snapshot is built in memory from examples/lists-full.yaml (the
// published lists in the shared data folder plus the curated registry);
// without the shared data the full-snapshot cases are skipped with a
// message and the curated registry alone is used.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "match/screener.h"
#include "refdata/build.h"
#include "refdata/snapshot.h"
#include "review/review.h"
#include "rules/evaluate.h"
#include "rules/facts.h"
#include "rules/pack.h"

namespace {

using icts::Result;
namespace rules = icts::rules;

struct Fixture {
  rules::PackSet packs;
  std::vector<std::string> inputs;           // Transaction JSON texts.
  std::vector<rules::Transaction> prepared;  // Fully resolved (screened, graph) facts.
  std::unique_ptr<icts::refdata::Snapshot> curated, full;
  std::unique_ptr<icts::match::Screener> curated_screener, full_screener;
};

std::unique_ptr<icts::refdata::Snapshot> Build(const std::string& config_path) {
  Result<icts::refdata::BuildConfig> config = icts::refdata::ReadBuildConfig(config_path);
  if (!config.ok()) return nullptr;
  for (const auto& s : config->sources) {
    if (!std::filesystem::exists(s.resolved_path.empty() ? s.path : s.resolved_path)) return nullptr;
  }
  Result<std::string> image = icts::refdata::BuildSnapshotImage(*config, {}, nullptr);
  if (!image.ok()) {
    std::cerr << "review_bench: " << image.status().ToString() << "\n";
    return nullptr;
  }
  auto snap = icts::refdata::Snapshot::FromBytes(*image, config_path);
  return snap.ok() ? std::move(*snap) : nullptr;
}

Fixture& Get() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    const std::string root = ICTS_SOURCE_DIR;
    Result<rules::PackSet> set = rules::LoadPackDir(root + "/rules");
    if (!set.ok()) {
      std::cerr << "review_bench: " << set.status().ToString() << "\n";
      std::exit(3);
    }
    fx->packs = std::move(*set);
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(root + "/examples/transactions")) {
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) fx->inputs.push_back(*icts::ReadFileToString(f));
    fx->curated = Build(root + "/examples/lists.yaml");
    fx->full = Build(root + "/examples/lists-full.yaml");
    auto screener = [](const icts::refdata::Snapshot& snap) {
      Result<std::unique_ptr<icts::match::Screener>> built = icts::match::Screener::Build(snap);
      return built.ok() ? std::move(built).value() : nullptr;
    };
    if (fx->curated) fx->curated_screener = screener(*fx->curated);
    if (fx->full) {
      fx->full_screener = screener(*fx->full);
    } else {
      std::cerr << "review_bench: the published lists of examples/lists-full.yaml are absent; "
                   "full-snapshot cases are skipped\n";
    }
    // Facts prepared once, as a caller that keeps resolved facts would have.
    icts::review::ReviewerOptions o;
    o.snapshot = fx->full ? fx->full.get() : fx->curated.get();
    o.screener = fx->full ? fx->full_screener.get() : fx->curated_screener.get();
    auto reviewer = icts::review::Reviewer::Create(fx->packs, o);
    for (const std::string& text : fx->inputs) {
      auto tx = rules::ReadTransaction(nlohmann::json::parse(text), fx->packs.taxonomy);
      if (!tx.ok()) continue;
      (void)(*reviewer)->Resolve(&*tx, std::nullopt);
      fx->prepared.push_back(std::move(*tx));
    }
    return fx;
  }();
  return *f;
}

// rules::Evaluate on prepared facts: the evaluator's own cost.
void BM_Evaluate(benchmark::State& state) {
  Fixture& f = Get();
  size_t i = 0, n = 0;
  for (auto _ : state) {
    rules::Determination d = rules::Evaluate(f.packs, f.prepared[i]);
    benchmark::DoNotOptimize(d.outcome);
    i = (i + 1) % f.prepared.size();
    ++n;
  }
  state.counters["evaluations/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Evaluate)->Threads(1)->Threads(2)->UseRealTime();

// Evaluate and write the determination's JSON (what `icts review -o json`
// does per transaction after resolving).
void BM_EvaluateToJson(benchmark::State& state) {
  Fixture& f = Get();
  size_t i = 0, n = 0;
  for (auto _ : state) {
    std::string out = rules::DeterminationToJson(rules::Evaluate(f.packs, f.prepared[i])).dump();
    benchmark::DoNotOptimize(out.data());
    i = (i + 1) % f.prepared.size();
    ++n;
  }
  state.counters["evaluations/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EvaluateToJson)->UseRealTime();

// A whole review from the input text: parse, validate, screen each party,
// identify, build and analyse the ownership graph, evaluate, write JSON.
void Review(benchmark::State& state, const icts::refdata::Snapshot* snap,
            const icts::match::Screener* screener) {
  Fixture& f = Get();
  if (snap == nullptr) {
    state.SkipWithError("snapshot not available (shared data absent)");
    return;
  }
  icts::review::ReviewerOptions o;
  o.snapshot = snap;
  o.screener = screener;
  auto reviewer = icts::review::Reviewer::Create(f.packs, o);
  size_t i = 0, n = 0;
  for (auto _ : state) {
    auto tx = rules::ReadTransaction(nlohmann::json::parse(f.inputs[i]), f.packs.taxonomy);
    rules::Determination d = (*reviewer)->Review(std::move(*tx), std::nullopt);
    std::string out = rules::DeterminationToJson(d).dump();
    benchmark::DoNotOptimize(out.data());
    i = (i + 1) % f.inputs.size();
    ++n;
  }
  state.counters["reviews/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}

void BM_ReviewCuratedSnapshot(benchmark::State& state) {
  Review(state, Get().curated.get(), Get().curated_screener.get());
}
BENCHMARK(BM_ReviewCuratedSnapshot)->Threads(1)->Threads(2)->UseRealTime();

void BM_ReviewFullSnapshot(benchmark::State& state) {
  Review(state, Get().full.get(), Get().full_screener.get());
}
BENCHMARK(BM_ReviewFullSnapshot)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
