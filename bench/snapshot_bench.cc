// Snapshot load time and memory, side by side with two references measured in
// the same run on the same entities:
//  - the physical floor: mapping the same number of bytes (MAP_POPULATE) with
//    no validation at all;
//  - a typical alternative: parsing the same entities from JSON lines with
//    simdjson (On-Demand) into the build-time model.
// The synthetic snapshot is generated once per run into $TMPDIR.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/file.h"
#include "bench/synthetic.h"
#include "refdata/snapshot.h"

namespace {

using icts::refdata::Snapshot;

uint64_t EntityCount() {
  const char* env = std::getenv("ICTS_BENCH_ENTITIES");
  return env ? std::strtoull(env, nullptr, 10) : 1000000ull;
}

struct Files {
  std::string snapshot;
  std::string jsonl;
};

const Files& Prepared() {
  static Files files = [] {
    uint64_t n = EntityCount();
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    Files f{(dir / ("icts-bench-" + std::to_string(n) + ".snap")).string(),
            (dir / ("icts-bench-" + std::to_string(n) + ".jsonl")).string()};
    auto content = icts::bench::MakeSyntheticContent(n);
    auto image = icts::refdata::SerializeSnapshot(content);
    if (!image.ok()) std::abort();
    if (!icts::WriteFileAtomically(f.snapshot, *image).ok()) std::abort();
    std::string jsonl = icts::bench::MakeSyntheticJsonLines(content);
    if (!icts::WriteFileAtomically(f.jsonl, jsonl).ok()) std::abort();
    std::fprintf(stderr, "synthetic: %llu entities, snapshot %zu bytes, jsonl %zu bytes\n",
                 static_cast<unsigned long long>(n), image->size(), jsonl.size());
    return f;
  }();
  return files;
}

long ResidentKb() {
  std::ifstream in("/proc/self/statm");
  long size = 0, resident = 0;
  in >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

void BM_SnapshotOpen(benchmark::State& state) {
  const Files& f = Prepared();
  long before = ResidentKb();
  long delta = 0;
  size_t n = 0;
  for (auto _ : state) {
    auto snap = Snapshot::Open(f.snapshot);
    if (!snap.ok()) state.SkipWithError(snap.status().ToString().c_str());
    n = (*snap)->entity_count();
    delta = ResidentKb() - before;
    benchmark::DoNotOptimize(n);
  }
  state.counters["entities"] = static_cast<double>(n);
  state.counters["rss_delta_MB"] = static_cast<double>(delta) / 1024.0;
}

void BM_SnapshotOpenAndVerify(benchmark::State& state) {
  const Files& f = Prepared();
  for (auto _ : state) {
    auto snap = Snapshot::Open(f.snapshot);
    if (!snap.ok() || !(*snap)->Verify().ok()) state.SkipWithError("verify failed");
  }
}

void BM_SnapshotFindById(benchmark::State& state) {
  const Files& f = Prepared();
  auto snap = Snapshot::Open(f.snapshot);
  uint64_t n = EntityCount();
  uint64_t i = 0;
  char id[32];
  for (auto _ : state) {
    std::snprintf(id, sizeof(id), "syn:%08llu", static_cast<unsigned long long>(i++ % n));
    benchmark::DoNotOptimize((*snap)->FindById(id));
  }
}

// Reference: the cost of just mapping the bytes.
void BM_Reference_MapOnly(benchmark::State& state) {
  const Files& f = Prepared();
  for (auto _ : state) {
    auto m = icts::MappedFile::Open(f.snapshot);
    benchmark::DoNotOptimize(m->data().data());
  }
}

// Reference: parse the same entities from JSON lines into the model.
void BM_Reference_JsonLinesSimdjson(benchmark::State& state) {
  const Files& f = Prepared();
  for (auto _ : state) {
    simdjson::padded_string text = simdjson::padded_string::load(f.jsonl);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document_stream docs = parser.iterate_many(text);
    std::vector<icts::refdata::Entity> out;
    out.reserve(EntityCount());
    for (auto doc : docs) {
      icts::refdata::Entity e;
      e.id = std::string(std::string_view(doc["id"]));
      auto props = doc["properties"];
      for (auto v : props["name"]) e.AddName(std::string(std::string_view(v)), icts::refdata::NameKind::kPrimary);
      for (auto v : props["alias"]) e.AddName(std::string(std::string_view(v)), icts::refdata::NameKind::kStrongAlias);
      for (auto v : props["country"]) e.AddCountry(std::string(std::string_view(v)), icts::refdata::CountryRole::kHeadquarters);
      for (auto v : props["registrationNumber"]) e.identifiers.push_back({icts::refdata::IdKind::kRegistration, std::string(std::string_view(v)), "", ""});
      for (auto v : props["address"]) e.addresses.push_back({std::string(std::string_view(v)), "", "", "", "", ""});
      for (auto v : props["program"]) e.programs.emplace_back(std::string_view(v));
      for (auto v : props["topics"]) e.lists.emplace_back(std::string_view(v));
      out.push_back(std::move(e));
    }
    benchmark::DoNotOptimize(out.data());
  }
}

BENCHMARK(BM_SnapshotOpen)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_SnapshotOpenAndVerify)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SnapshotFindById);
BENCHMARK(BM_Reference_MapOnly)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_Reference_JsonLinesSimdjson)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
