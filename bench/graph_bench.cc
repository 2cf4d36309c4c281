// Ownership-graph benchmark (src/graph/ownership.*): effective adversary
// shares plus the max-product explaining path for every node of a synthetic
// graph with cross-holding rings and one large strongly connected component.
//
//   graph_bench gen N M FILE     write a graph to a binary edge file
//   graph_bench run FILE [OUT]   time load + structure + solve (1 and 2
//                                threads), single-entity queries and one-edge
//                                updates; write shares to OUT (for
//                                bench/graph_refs.py)
//
// Binary edge file (little-endian): "ICTSGRF1", u32 n, u32 m, m x {u32 owner,
// u32 owned, f64 share}, n x u8 seed (1 = adversary person).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "base/file.h"
#include "graph/ownership.h"

namespace {

using icts::graph::OwnershipSolver;
using icts::graph::SolverEdge;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

long MaxRssMb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

#pragma pack(push, 1)
struct FileEdge {
  uint32_t owner, owned;
  double share;
};
#pragma pack(pop)

// Layered companies: each node's owners come mostly from lower ids (in-degree
// 1 + geometric, preferential choice of hub owners); about 2% of edges close
// small rings of 2-50 consecutive nodes; one ring through a block of 0.5% of
// the nodes makes a large SCC. Incoming shares of a node sum to at most 0.95. 2% of
// nodes are adversary persons.
int Generate(uint32_t n, uint32_t m, const char* path) {
  std::mt19937_64 rng(20240624);
  std::vector<SolverEdge> edges;
  edges.reserve(m);
  std::vector<double> in_sum(n, 0.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::geometric_distribution<int> extra(0.6);
  auto add = [&](uint32_t u, uint32_t v, double w) {
    if (u == v || in_sum[v] + w > 0.95) return false;
    in_sum[v] += w;
    edges.push_back({u, v, w, 0});
    return true;
  };
  // Rings first (2% of edges), so they have room in every in_sum.
  uint64_t ring_edges = m / 50;
  while (edges.size() < ring_edges) {
    uint32_t len = 2 + static_cast<uint32_t>(unit(rng) * 49);
    uint32_t v = static_cast<uint32_t>(unit(rng) * (n - len));
    for (uint32_t i = 0; i + 1 < len; ++i) add(v + i, v + i + 1, 0.02 + 0.1 * unit(rng));
    add(v + len - 1, v, 0.02 + 0.1 * unit(rng));
  }
  {
    uint32_t big = std::max<uint32_t>(2, n / 200);
    // Members from one block of ids, shuffled: DAG paths between them stay
    // inside the block, so the component stays near 0.5% of the nodes.
    std::vector<uint32_t> members(big);
    for (uint32_t i = 0; i < big; ++i) members[i] = n / 2 + i;
    std::shuffle(members.begin(), members.end(), rng);
    for (uint32_t i = 0; i < big; ++i) add(members[i], members[(i + 1) % big], 0.05);
  }
  // Layered DAG edges.
  for (uint32_t v = 1; v < n && edges.size() < m; ++v) {
    int k = 1 + extra(rng);
    std::vector<double> w(k);
    double total = 0;
    for (auto& x : w) total += (x = -std::log(1 - unit(rng)));  // Dirichlet(1,..,1)
    double room = 0.95 - in_sum[v];
    for (int j = 0; j < k && edges.size() < m; ++j) {
      // Skewed owners: a small set of hubs (funds) owns much.
      uint32_t u = unit(rng) < 0.2 ? static_cast<uint32_t>(unit(rng) * std::min<uint32_t>(v, 1000))
                                   : static_cast<uint32_t>(unit(rng) * v);
      add(u, v, room * w[j] / total * 0.999);
    }
  }
  while (edges.size() < m) {  // Top up with more layered edges.
    uint32_t v = 1 + static_cast<uint32_t>(unit(rng) * (n - 1));
    add(static_cast<uint32_t>(unit(rng) * v), v, 0.01 * unit(rng));
  }
  std::vector<uint8_t> seeds(n);
  for (auto& s : seeds) s = unit(rng) < 0.02 ? 1 : 0;
  FILE* f = std::fopen(path, "wb");
  if (!f) return 1;
  uint32_t hdr[2] = {n, static_cast<uint32_t>(edges.size())};
  std::fwrite("ICTSGRF1", 1, 8, f);
  std::fwrite(hdr, sizeof hdr, 1, f);
  std::vector<FileEdge> out(edges.size());
  for (size_t i = 0; i < edges.size(); ++i)
    out[i] = {edges[i].owner, edges[i].owned, edges[i].share};
  std::fwrite(out.data(), sizeof(FileEdge), out.size(), f);
  std::fwrite(seeds.data(), 1, n, f);
  std::fclose(f);
  std::printf("wrote %s: %u nodes, %zu edges\n", path, n, edges.size());
  return 0;
}

int Run(const char* path, const char* out_path) {
  auto t0 = Clock::now();
  auto file = icts::MappedFile::Open(path);
  if (!file.ok() || file->size() < 16 || std::memcmp(file->data().data(), "ICTSGRF1", 8) != 0) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 2;
  }
  const char* p = file->data().data();
  uint32_t n, m;
  std::memcpy(&n, p + 8, 4);
  std::memcpy(&m, p + 12, 4);
  std::vector<SolverEdge> edges(m);
  const char* e = p + 16;
  for (uint32_t i = 0; i < m; ++i, e += sizeof(FileEdge)) {
    FileEdge fe;
    std::memcpy(&fe, e, sizeof fe);
    edges[i] = {fe.owner, fe.owned, fe.share, 0};
  }
  std::vector<uint8_t> seeds(p + 16 + size_t{m} * sizeof(FileEdge),
                             p + 16 + size_t{m} * sizeof(FileEdge) + n);
  auto t1 = Clock::now();
  OwnershipSolver solver(n, edges);
  std::vector<SolverEdge>().swap(edges);
  auto t2 = Clock::now();
  icts::graph::SolveOptions serial;
  serial.parallel = false;
  icts::graph::Solution s1, s2;
  double one = 1e9, two = 1e9;
  for (int rep = 0; rep < 5; ++rep) {
    auto a = Clock::now();
    s1 = solver.Solve(seeds, 1, serial);
    auto b = Clock::now();
    {
      tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
      s2 = solver.Solve(seeds, 1, {});
    }
    auto c = Clock::now();
    one = std::min(one, Seconds(a, b));
    two = std::min(two, Seconds(b, c));
  }
  auto t3 = Clock::now();
  // Whole run from the file once more, cold structures: load + structure + solve.
  double end_to_end = Seconds(t0, t2) + two;
  double diff = 0;
  for (uint32_t v = 0; v < n; ++v) diff = std::max(diff, std::fabs(s1.share[v] - s2.share[v]));

  // Single-entity queries: value + explaining path of random nodes.
  std::mt19937 rng(3);
  std::vector<double> lat;
  size_t path_len = 0;
  for (int q = 0; q < 10000; ++q) {
    uint32_t v = rng() % n;
    auto a = Clock::now();
    auto path = solver.PathTo(s2, v, 0);
    volatile double x = s2.Share(v, 0);
    (void)x;
    auto b = Clock::now();
    path_len += path.size();
    lat.push_back(Seconds(a, b) * 1e6);
  }
  std::sort(lat.begin(), lat.end());
  // One-edge updates.
  std::vector<double> upd;
  int64_t touched_total = 0;
  {
    // Pick edges owned by random nodes.
    for (int q = 0; q < 200; ++q) {
      uint32_t v = rng() % n;
      uint32_t owner = n;
      // Find an owner of v through a reverse scan of a few candidates: use the
      // path predecessor when there is one.
      if (s2.pred[v] != icts::graph::kNoPred) owner = s2.pred[v];
      if (owner == n) continue;
      auto a = Clock::now();
      int64_t touched = solver.UpdateShare(&s2, owner, v, s2.best[v] > 0 ? 0.01 : 0.02, {});
      auto b = Clock::now();
      if (touched < 0) continue;
      touched_total += touched;
      upd.push_back(Seconds(a, b) * 1e3);
    }
    std::sort(upd.begin(), upd.end());
  }
  std::printf("nodes %u, edges %u, rings %u, largest SCC %u, levels %u, SCC sweeps %llu\n", n, m,
              solver.cyclic_components(), solver.largest_component(), solver.levels(),
              static_cast<unsigned long long>(s2.sweeps));
  std::printf("read binary file: %.3f s\n", Seconds(t0, t1));
  std::printf("structure (SCCs, levels, renumbered CSR): %.3f s\n", Seconds(t1, t2));
  std::printf("compute shares + paths, 1 thread: %.4f s (best of 5)\n", one);
  std::printf("compute shares + paths, 2 threads: %.4f s (best of 5)\n", two);
  std::printf("end to end (read + structure + 2-thread compute): %.3f s\n", end_to_end);
  std::printf("1 vs 2 threads max |diff|: %.3g\n", diff);
  std::printf(
      "single-entity query (share + path), us: p50 %.2f p99 %.2f max %.2f (mean path %.1f nodes)\n",
      lat[lat.size() / 2], lat[lat.size() * 99 / 100], lat.back(),
      static_cast<double>(path_len) / lat.size());
  if (!upd.empty()) {
    std::printf("one-edge update, ms: p50 %.3f p99 %.3f (mean %.0f nodes recomputed, of %u)\n",
                upd[upd.size() / 2], upd[upd.size() * 99 / 100],
                upd.empty() ? 0.0 : static_cast<double>(touched_total) / upd.size(), n);
  }
  std::printf("max RSS: %ld MB\n", MaxRssMb());
  (void)t3;
  if (out_path) {
    // Shares from the unmodified 1-thread solve, for the references.
    FILE* f = std::fopen(out_path, "wb");
    if (!f) return 1;
    std::fwrite(s1.share.data(), sizeof(double), n, f);
    std::fwrite(s1.best.data(), sizeof(double), n, f);
    std::fclose(f);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 5 && std::string(argv[1]) == "gen") {
    return Generate(static_cast<uint32_t>(std::stoul(argv[2])),
                    static_cast<uint32_t>(std::stoul(argv[3])), argv[4]);
  }
  if (argc >= 3 && std::string(argv[1]) == "run")
    return Run(argv[2], argc >= 4 ? argv[3] : nullptr);
  std::fprintf(stderr, "usage: graph_bench gen N M FILE | graph_bench run FILE [SHARES_OUT]\n");
  return 2;
}
