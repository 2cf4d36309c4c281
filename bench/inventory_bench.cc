// CycloneDX JSON reader benchmark.
//
//   inventory_bench gen DIR [MB...]   writes cdx-<MB>mb.json (default 10 100 1000)
//   inventory_bench read FILE [N] [T] reads FILE N times (default 1) in this
//                                     process and prints items, seconds, GB/s
//                                     and peak RSS; the first read is the
//                                     one-shot figure, the best of the others
//                                     the warm one; "cpu" is the process's
//                                     CPU time for the same reads (user +
//                                     system, all threads: the reader parses
//                                     on two), steadier than wall time on a
//                                     busy machine; T threads per read (1
//                                     or 2; default: the reader's choice)
//   inventory_bench simdjson FILE [N] the reference: simdjson On-Demand over
//                                     the same file (read into a padded
//                                     buffer first, not timed), taking name,
//                                     purl and supplier name of every
//                                     component at any depth; best of N
//   inventory_bench [benchmark flags] Google Benchmark over an in-memory
//                                     document (ICTS_CDX_BENCH_MB, default 64)
//
// The generated documents have nested components (three levels), suppliers
// and manufacturers, hashes, properties, licences, Chinese and Cyrillic text
// and a dependencies section, like SBOMs of large container images.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include "inventory/cyclonedx/cyclonedx.h"
#include "inventory/cyclonedx/json_windowing.h"

namespace {

using icts::inventory::DocumentInfo;
using icts::inventory::Item;

// Turns each item into a normalised record, as a scan would, and keeps only
// counters (so the figure is the reader's, not a container's).
class CountingSink : public icts::inventory::ItemSink {
 public:
  icts::Status OnDocument(const DocumentInfo& info) override {
    warnings += info.warnings.size();
    return icts::Status::Ok();
  }
  icts::Status OnItem(Item&& item) override {
    ++items;
    bytes += item.name.size() + item.version.size() + item.purl.size();
    orgs += item.orgs.size();
    hashes += item.hashes.size();
    return icts::Status::Ok();
  }
  icts::Status OnRelation(std::string_view, std::string_view, std::string_view) override {
    ++relations;
    return icts::Status::Ok();
  }
  size_t items = 0, bytes = 0, orgs = 0, hashes = 0, relations = 0, warnings = 0;
};

const char* const kVendors[] = {
    "Hangzhou Example Vision Technology Co., Ltd. 杭州示例视觉技术有限公司",
    "ООО «Пример Софт»", "Example Networks GmbH", "Acme Semiconductor Inc.",
    "深圳市示例电子有限公司", "Example Systems K.K. 株式会社サンプル"};
const char* const kTypes[] = {"library", "library", "library", "framework", "device",
                              "firmware", "operating-system", "container"};

// Appends one component (and its nested children down to `depth`).
void AppendComponent(std::string* out, size_t id, int depth, size_t* next_id) {
  const char* vendor = kVendors[id % 6];
  const char* type = kTypes[id % 8];
  char buf[1024];
  int n = std::snprintf(
      buf, sizeof(buf),
      R"({"type": "%s", "bom-ref": "pkg:npm/%%40scope/component-%zu@1.%zu.%zu", )"
      R"("supplier": {"name": "%s", "url": ["https://vendor%zu.example.com"]}, )"
      R"("manufacturer": {"name": "%s"}, "group": "com.example.g%zu", )"
      R"("name": "component-%zu-组件-компонент", "version": "1.%zu.%zu", )"
      R"("description": "Пакет для обработки данных — 数据处理组件 %zu", )"
      R"("hashes": [{"alg": "SHA-256", "content": "%016zx%016zx%016zx%016zx"}], )"
      R"("licenses": [{"license": {"id": "Apache-2.0"}}], )"
      R"("purl": "pkg:npm/%%40scope/component-%zu@1.%zu.%zu", )"
      R"("properties": [{"name": "cdx:npm:package:path", "value": "node_modules/c%zu"}])",
      type, id, id % 17, id % 5, vendor, id % 97, kVendors[(id + 3) % 6], id % 13, id, id % 17,
      id % 5, id, id, id * 7, id * 13, id * 31, id, id % 17, id % 5, id);
  out->append(buf, static_cast<size_t>(n));
  if (depth > 0) {
    out->append(R"(, "components": [)");
    for (int c = 0; c < 2; ++c) {
      if (c > 0) out->append(", ");
      AppendComponent(out, (*next_id)++, depth - 1, next_id);
    }
    out->append("]");
  }
  out->append("}");
}

// A CycloneDX 1.6 document of about `target_bytes`.
std::string Generate(size_t target_bytes) {
  std::string out;
  out.reserve(target_bytes + (1 << 20));
  out.append(R"({"bomFormat": "CycloneDX", "specVersion": "1.6", )"
             R"("serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
  "metadata": {"timestamp": "2025-01-01T00:00:00Z",
    "component": {"type": "application", "bom-ref": "root", "name": "平台 Платформа"},
    "supplier": {"name": "Example Integrator"}},
  "components": [
)");
  size_t next_id = 0;
  size_t tops = 0;
  std::vector<size_t> top_ids;
  // Leave room for the dependencies (about 1/12 of the document).
  while (out.size() < target_bytes - target_bytes / 12) {
    if (tops++ > 0) out.append(",\n");
    size_t id = next_id++;
    top_ids.push_back(id);
    AppendComponent(&out, id, 2, &next_id);
  }
  out.append("\n  ],\n  \"dependencies\": [\n");
  char buf[256];
  for (size_t i = 0; i + 1 < top_ids.size(); ++i) {
    size_t a = top_ids[i], b = top_ids[i + 1];
    int n = std::snprintf(buf, sizeof(buf),
                          R"(%s{"ref": "pkg:npm/%%40scope/component-%zu@1.%zu.%zu", )"
                          R"("dependsOn": ["pkg:npm/%%40scope/component-%zu@1.%zu.%zu"]})",
                          i > 0 ? ",\n" : "", a, a % 17, a % 5, b, b % 17, b % 5);
    out.append(buf, static_cast<size_t>(n));
  }
  out.append("\n  ]\n}\n");
  return out;
}

// User + system CPU time of the process (all its threads), in seconds.
double CpuSeconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double PeakRssMb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

int Gen(int argc, char** argv) {
  std::string dir = argv[2];
  std::vector<size_t> sizes;
  for (int i = 3; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  if (sizes.empty()) sizes = {10, 100, 1000};
  for (size_t mb : sizes) {
    std::string doc = Generate(mb * 1000 * 1000);
    std::string path = dir + "/cdx-" + std::to_string(mb) + "mb.json";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr || std::fwrite(doc.data(), 1, doc.size(), f) != doc.size()) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
    std::fclose(f);
    std::printf("%s %zu bytes\n", path.c_str(), doc.size());
  }
  return 0;
}

int Read(int argc, char** argv) {
  std::string path = argv[2];
  int runs = argc > 3 ? std::atoi(argv[3]) : 1;
  if (argc > 4) {
    icts::inventory::cyclonedx::JsonWindowing windowing =
        icts::inventory::cyclonedx::CurrentJsonWindowing();
    windowing.threads = static_cast<unsigned>(std::atoi(argv[4]));
    icts::inventory::cyclonedx::SetJsonWindowingForTesting(windowing);
  }
  double first = 0, best = 1e300, first_cpu = 0, best_cpu = 1e300;
  size_t file_bytes = 0;
  CountingSink last;
  for (int r = 0; r < runs; ++r) {
    CountingSink sink;
    auto t0 = std::chrono::steady_clock::now();
    double c0 = CpuSeconds();
    icts::Status s = icts::inventory::ReadCycloneDxJson(path, &sink);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = CpuSeconds() - c0;
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    if (r == 0) first = secs, first_cpu = cpu;
    if (r > 0 && secs < best) best = secs;
    if (r > 0 && cpu < best_cpu) best_cpu = cpu;
    last = sink;
  }
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f != nullptr) {
    std::fseek(f, 0, SEEK_END);
    file_bytes = static_cast<size_t>(std::ftell(f));
    std::fclose(f);
  }
  double gb = static_cast<double>(file_bytes) / 1e9;
  std::printf("items %zu relations %zu orgs %zu bytes %zu first %.3f s (%.2f GB/s)", last.items,
              last.relations, last.orgs, file_bytes, first, gb / first);
  if (runs > 1) std::printf(" warm %.3f s (%.2f GB/s)", best, gb / best);
  std::printf(" cpu first %.3f s", first_cpu);
  if (runs > 1) std::printf(" cpu warm %.3f s (%.2f GB/s)", best_cpu, gb / best_cpu);
  std::printf(" peak_rss %.1f MB\n", PeakRssMb());
  return 0;
}

// Name, purl and supplier name of each component of `components` (and of
// the components nested in them); returns the number of components.
size_t ExtractComponents(simdjson::ondemand::array components, size_t* bytes) {
  size_t n = 0;
  for (auto element : components) {
    simdjson::ondemand::object component;
    if (element.get_object().get(component)) return n;
    ++n;
    for (auto field : component) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return n;
      std::string_view text;
      if (key == "name" || key == "purl") {
        if (!field.value().get_string().get(text)) *bytes += text.size();
      } else if (key == "supplier") {
        simdjson::ondemand::object supplier;
        if (field.value().get_object().get(supplier)) continue;
        for (auto sf : supplier) {
          std::string_view sk;
          if (!sf.unescaped_key().get(sk) && sk == "name" && !sf.value().get_string().get(text)) {
            *bytes += text.size();
          }
        }
      } else if (key == "components") {
        simdjson::ondemand::array nested;
        if (!field.value().get_array().get(nested)) n += ExtractComponents(nested, bytes);
      }
    }
  }
  return n;
}

int Simdjson(int argc, char** argv) {
  int runs = argc > 3 ? std::atoi(argv[3]) : 1;
  simdjson::padded_string json;
  if (simdjson::padded_string::load(argv[2]).get(json)) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  simdjson::ondemand::parser parser;
  double best = 1e300, best_cpu = 1e300;
  size_t components = 0, bytes = 0;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    double c0 = CpuSeconds();
    simdjson::ondemand::document doc;
    if (parser.iterate(json).get(doc)) return 1;
    components = bytes = 0;
    for (auto field : doc.get_object()) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return 1;
      simdjson::ondemand::array array;
      if (key == "components" && !field.value().get_array().get(array)) {
        components += ExtractComponents(array, &bytes);
      }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = CpuSeconds() - c0;
    if (secs < best) best = secs;
    if (cpu < best_cpu) best_cpu = cpu;
  }
  double gb = static_cast<double>(json.size()) / 1e9;
  std::printf("components %zu text %zu bytes %zu best %.3f s (%.2f GB/s) cpu %.3f s (%.2f GB/s) "
              "peak_rss %.1f MB\n",
              components, bytes, json.size(), best, gb / best, best_cpu, gb / best_cpu,
              PeakRssMb());
  return 0;
}

void BM_ReadCycloneDxJson(benchmark::State& state) {
  static const std::string doc = [] {
    const char* env = std::getenv("ICTS_CDX_BENCH_MB");
    size_t mb = env != nullptr ? std::strtoull(env, nullptr, 10) : 64;
    return Generate(mb * 1000 * 1000);
  }();
  size_t items = 0;
  for (auto _ : state) {
    CountingSink sink;
    icts::Status s = icts::inventory::ReadCycloneDxJsonBuffer(doc, "bench.json", &sink);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    items = sink.items;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_ReadCycloneDxJson)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "gen") == 0) return Gen(argc, argv);
  if (argc >= 3 && std::strcmp(argv[1], "read") == 0) return Read(argc, argv);
  if (argc >= 3 && std::strcmp(argv[1], "simdjson") == 0) return Simdjson(argc, argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
