#include "graph/ownership.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace icts::graph {
namespace {

constexpr double kTol = 1e-12;

SolverEdge E(uint32_t u, uint32_t v, double w) { return {u, v, w, 0}; }

Solution SolveOne(uint32_t n, const std::vector<SolverEdge>& edges, std::vector<uint8_t> seeds,
                  bool parallel = false) {
  OwnershipSolver s(n, edges);
  SolveOptions o;
  o.parallel = parallel;
  return s.Solve(seeds, 1, o);
}

// Dense reference: x = (I - M)^-1 b with M[v][u] = w(u,v) for non-seed u and
// b[v] = sum of w(u,v) over seed owners u, by Gaussian elimination.
std::vector<double> Dense(uint32_t n, const std::vector<SolverEdge>& edges,
                          const std::vector<uint8_t>& seeds) {
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  for (uint32_t i = 0; i < n; ++i) a[i][i] = 1;
  for (const auto& e : edges) {
    if (seeds[e.owner] & 1) {
      a[e.owned][n] += e.share;
    } else {
      a[e.owned][e.owner] -= e.share;
    }
  }
  for (uint32_t c = 0; c < n; ++c) {
    uint32_t p = c;
    for (uint32_t r = c + 1; r < n; ++r) {
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    }
    std::swap(a[c], a[p]);
    for (uint32_t r = 0; r < n; ++r) {
      if (r == c || a[r][c] == 0) continue;
      double f = a[r][c] / a[c][c];
      for (uint32_t k = c; k <= n; ++k) a[r][k] -= f * a[c][k];
    }
  }
  std::vector<double> x(n);
  for (uint32_t i = 0; i < n; ++i) x[i] = a[i][n] / a[i][i];
  return x;
}

TEST(Ownership, ChainMultipliesAndPathsAddUp) {
  // 0 (seed) -1.0-> 1 -0.56-> 2; 0 -0.1-> 2 directly too.
  auto s = SolveOne(3, {E(0, 1, 1.0), E(1, 2, 0.56), E(0, 2, 0.1)}, {1, 0, 0});
  EXPECT_NEAR(s.Share(1, 0), 1.0, kTol);
  EXPECT_NEAR(s.Share(2, 0), 0.66, kTol);
  EXPECT_NEAR(s.best[2], 0.56, kTol);
  EXPECT_EQ(s.pred[2], 1u);
  EXPECT_EQ(s.pred[1], 0u);
}

TEST(Ownership, DiamondSumsDistinctPaths) {
  // Seed 0 holds 0.5 of 1 and 0.4 of 2; 1 and 2 hold 0.3 and 0.6 of 3.
  auto s = SolveOne(4, {E(0, 1, 0.5), E(0, 2, 0.4), E(1, 3, 0.3), E(2, 3, 0.6)}, {1, 0, 0, 0});
  EXPECT_NEAR(s.Share(3, 0), 0.5 * 0.3 + 0.4 * 0.6, kTol);
  EXPECT_NEAR(s.best[3], 0.24, kTol);
  EXPECT_EQ(s.pred[3], 2u);
}

TEST(Ownership, TwoNodeCrossHolding) {
  // Seed 0 holds 0.5 of A(1); B(2) holds 0.3 of A; A holds 0.4 of B.
  // xA = 0.5 + 0.3 xB, xB = 0.4 xA  =>  xA = 0.5 / 0.88, xB = 0.2 / 0.88.
  auto s = SolveOne(3, {E(0, 1, 0.5), E(2, 1, 0.3), E(1, 2, 0.4)}, {1, 0, 0});
  EXPECT_NEAR(s.Share(1, 0), 0.5 / 0.88, kTol);
  EXPECT_NEAR(s.Share(2, 0), 0.2 / 0.88, kTol);
  EXPECT_GT(s.sweeps, 1u);
  EXPECT_TRUE(s.unconverged.empty());
  // Max-product path to B: 0 -> A -> B with 0.2.
  EXPECT_NEAR(s.best[2], 0.2, kTol);
  EXPECT_EQ(s.pred[2], 1u);
}

TEST(Ownership, ThreeRingWithOutsideHolders) {
  // Ring 1 -> 2 -> 3 -> 1 with 0.5 each; seed 0 holds 0.5 of node 1.
  // x1 = 0.5 + 0.5 x3, x2 = 0.5 x1, x3 = 0.5 x2  =>  x1 = 0.5 / (1 - 0.125).
  auto s = SolveOne(4, {E(0, 1, 0.5), E(1, 2, 0.5), E(2, 3, 0.5), E(3, 1, 0.5)}, {1, 0, 0, 0});
  double x1 = 0.5 / 0.875;
  EXPECT_NEAR(s.Share(1, 0), x1, kTol);
  EXPECT_NEAR(s.Share(2, 0), 0.5 * x1, kTol);
  EXPECT_NEAR(s.Share(3, 0), 0.25 * x1, kTol);
}

TEST(Ownership, FullRingWithoutOutsideHoldersIsZero) {
  // A ring that owns itself 100% has no adversary share and converges.
  auto s = SolveOne(3, {E(0, 1, 1.0), E(1, 2, 1.0), E(2, 0, 1.0)}, {0, 0, 0});
  EXPECT_EQ(s.Share(0, 0), 0.0);
  EXPECT_TRUE(s.unconverged.empty());
}

TEST(Ownership, SeedsAreNotCountedTwice) {
  // Seed 1 is itself 100% held by seed 0: 1's holding of 2 counts once.
  auto s = SolveOne(3, {E(0, 1, 1.0), E(1, 2, 0.3)}, {1, 1, 0});
  EXPECT_NEAR(s.Share(2, 0), 0.3, kTol);
  EXPECT_NEAR(s.Share(1, 0), 1.0, kTol);
}

TEST(Ownership, SeveralAdversariesAtOnce) {
  OwnershipSolver solver(4, std::vector<SolverEdge>{E(0, 2, 0.3), E(1, 2, 0.6), E(2, 3, 0.5)});
  std::vector<uint8_t> seeds = {1, 2, 0, 0};  // 0 is adversary 0, 1 is adversary 1.
  auto s = solver.Solve(seeds, 2, {});
  EXPECT_NEAR(s.Share(3, 0), 0.15, kTol);
  EXPECT_NEAR(s.Share(3, 1), 0.30, kTol);
  auto path = solver.PathTo(s, 3, 1);
  EXPECT_EQ(path, (std::vector<uint32_t>{1, 2, 3}));
}

TEST(Ownership, ControlLinks) {
  // 0 seed; 0 -0.3 + board-majority-> 1; 1 -0.6-> 2; 0 -0.2-> 3, 1 -0.35-> 3
  // (together 0.55 > 0.5); 4 holds 0.45 of 5 (not linked); 0 -direction-> 6.
  std::vector<SolverEdge> edges = {E(0, 1, 0.3),  {0, 1, 0, 1},  E(1, 2, 0.6), E(0, 3, 0.2),
                                   E(1, 3, 0.35), E(4, 5, 0.45), {0, 6, 0, 5}};
  OwnershipSolver solver(7, edges);
  std::vector<uint8_t> seeds = {1, 0, 0, 0, 0, 0, 0};
  LinkOptions lo;
  lo.majority = 0.5;
  lo.control_kinds = (1u << 1) | (1u << 5);
  Links l = solver.Link(seeds, 1, lo);
  EXPECT_EQ(l.controlled[1], 1);
  EXPECT_EQ(l.controlled[2], 1);
  EXPECT_EQ(l.controlled[3], 1);
  EXPECT_EQ(l.controlled[5], 0);
  EXPECT_EQ(l.directed[6], 1);
  EXPECT_EQ(l.controlled[6], 0);
  // Without the board-majority kind, 1 is not controlled (30% only).
  lo.control_kinds = 0;
  Links l2 = solver.Link(seeds, 1, lo);
  EXPECT_EQ(l2.controlled[1], 0);
  EXPECT_EQ(l2.controlled[3], 0);
}

// Random graphs with rings: solver == dense reference; parallel == serial;
// UpdateShare == a fresh solve.
std::vector<SolverEdge> RandomGraph(uint32_t n, uint32_t m, std::mt19937& rng) {
  std::vector<SolverEdge> edges;
  std::vector<double> in_sum(n, 0.0);
  std::set<std::pair<uint32_t, uint32_t>> pairs;
  std::uniform_int_distribution<uint32_t> node(0, n - 1);
  std::uniform_real_distribution<double> share(0.01, 0.5);
  while (edges.size() < m) {
    uint32_t u = node(rng), v = node(rng);
    if (u == v || pairs.count({u, v})) continue;
    double w = share(rng);
    if (in_sum[v] + w > 0.95) continue;
    in_sum[v] += w;
    pairs.insert({u, v});
    edges.push_back(E(u, v, w));
  }
  return edges;
}

TEST(Ownership, MatchesDenseSolveOnRandomCyclicGraphs) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    uint32_t n = 30 + round;
    auto edges = RandomGraph(n, 3 * n, rng);
    std::vector<uint8_t> seeds(n, 0);
    for (uint32_t i = 0; i < n; i += 7) seeds[i] = 1;
    OwnershipSolver solver(n, edges);
    EXPECT_GE(solver.cyclic_components(), 1u);
    auto s = solver.Solve(seeds, 1, {});
    auto ref = Dense(n, edges, seeds);
    for (uint32_t v = 0; v < n; ++v) EXPECT_NEAR(s.Share(v, 0), ref[v], 1e-10) << v;
    // The max-product path is a real path whose product is the best value.
    for (uint32_t v = 0; v < n; ++v) {
      auto path = solver.PathTo(s, v, 0);
      if (path.empty()) continue;
      double product = 1;
      for (size_t i = 0; i + 1 < path.size(); ++i) {
        double w = 0;
        for (const auto& e : edges) {
          if (e.owner == path[i] && e.owned == path[i + 1]) w += e.share;
        }
        product *= w;
      }
      EXPECT_TRUE(seeds[path.front()]);
      EXPECT_NEAR(product, s.best[v], 1e-12);
      EXPECT_LE(s.best[v], s.Share(v, 0) + 1e-12);
    }
  }
}

// Jacobi iteration on the same system, as an independent reference for
// graphs too large for the dense solve.
std::vector<double> Jacobi(uint32_t n, const std::vector<SolverEdge>& edges,
                           const std::vector<uint8_t>& seeds, uint32_t a = 0) {
  std::vector<double> x(n, 0.0), next(n);
  for (int it = 0; it < 100000; ++it) {
    std::fill(next.begin(), next.end(), 0.0);
    for (const auto& e : edges) {
      if (e.control != 0) continue;
      next[e.owned] += e.share * (((seeds[e.owner] >> a) & 1) ? 1.0 : x[e.owner]);
    }
    double delta = 0;
    for (uint32_t v = 0; v < n; ++v) delta = std::max(delta, std::fabs(next[v] - x[v]));
    x.swap(next);
    if (delta < 1e-15) break;
  }
  return x;
}

// Max-product value by Bellman-Ford over all edges, as a reference.
std::vector<double> BestProduct(uint32_t n, const std::vector<SolverEdge>& edges,
                                const std::vector<uint8_t>& seeds, uint32_t a = 0) {
  std::vector<double> best(n, 0.0);
  for (uint32_t round = 0; round <= n; ++round) {
    bool changed = false;
    for (const auto& e : edges) {
      if (e.control != 0) continue;
      double p = e.share * (((seeds[e.owner] >> a) & 1) ? 1.0 : best[e.owner]);
      if (p > best[e.owned] * (1 + 1e-15)) {
        best[e.owned] = p;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return best;
}

TEST(Ownership, SeedInsideARingKeepsItsOwnValue) {
  // Ring 0 -> 1 -> 2 -> 0 (0.5 each) where 1 is a seed; 3 (seed) holds 0.4 of
  // 0. What 1 passes on counts as 1; its own share comes from its owner 0.
  std::vector<SolverEdge> edges = {E(0, 1, 0.5), E(1, 2, 0.5), E(2, 0, 0.5), E(3, 0, 0.4)};
  std::vector<uint8_t> seeds = {0, 1, 0, 1};
  auto s = SolveOne(4, edges, seeds);
  // x2 = 0.5 (from seed 1), x0 = 0.4 + 0.5 * x2 = 0.65, x1 = 0.5 * x0.
  EXPECT_NEAR(s.Share(2, 0), 0.5, kTol);
  EXPECT_NEAR(s.Share(0, 0), 0.65, kTol);
  EXPECT_NEAR(s.Share(1, 0), 0.325, kTol);
  EXPECT_NEAR(s.best[0], 0.4, kTol);
  EXPECT_EQ(s.pred[0], 3u);
  EXPECT_NEAR(s.best[1], 0.2, kTol);
  EXPECT_EQ(s.pred[1], 0u);
  EXPECT_EQ(s.pred[2], 1u);
  OwnershipSolver solver(4, edges);
  auto path = solver.PathTo(s, 2, 0);
  EXPECT_EQ(path, (std::vector<uint32_t>{1, 2}));
}

TEST(Ownership, SeveralAdversariesOnCrossHoldings) {
  // Two cross-holding pairs fed by seeds of two adversaries, with a node that
  // is a seed of adversary 1 inside a ring.
  std::vector<SolverEdge> edges = {E(0, 2, 0.3), E(1, 3, 0.6), E(2, 3, 0.2), E(3, 2, 0.25),
                                   E(3, 4, 0.5), E(4, 5, 0.4), E(5, 4, 0.3), E(5, 6, 0.9)};
  std::vector<uint8_t> seeds = {1, 2, 0, 0, 0, 2, 0};
  OwnershipSolver solver(7, edges);
  auto s = solver.Solve(seeds, 2, {});
  for (uint32_t a = 0; a < 2; ++a) {
    auto ref = Jacobi(7, edges, seeds, a);
    auto best = BestProduct(7, edges, seeds, a);
    for (uint32_t v = 0; v < 7; ++v) {
      EXPECT_NEAR(s.Share(v, a), ref[v], 1e-12) << v << " " << a;
      EXPECT_NEAR(s.best[v * 2 + a], best[v], 1e-12) << v << " " << a;
    }
  }
  // 6's adversary-1 share comes through seed 5 in full: 0.9.
  EXPECT_NEAR(s.Share(6, 1), 0.9, kTol);
  EXPECT_EQ(solver.PathTo(s, 6, 1), (std::vector<uint32_t>{5, 6}));
}

TEST(Ownership, ControlEdgesAddNoShare) {
  // A control edge inside a ring takes part in the structure, not the shares.
  std::vector<SolverEdge> edges = {E(0, 1, 0.5), E(1, 2, 0.5), {2, 1, 0, 1}, E(2, 3, 0.4)};
  std::vector<uint8_t> seeds = {1, 0, 0, 0};
  OwnershipSolver solver(4, edges);
  EXPECT_EQ(solver.cyclic_components(), 1u);
  auto s = solver.Solve(seeds, 1, {});
  EXPECT_NEAR(s.Share(1, 0), 0.5, kTol);
  EXPECT_NEAR(s.Share(2, 0), 0.25, kTol);
  EXPECT_NEAR(s.Share(3, 0), 0.1, kTol);
  EXPECT_EQ(s.pred[1], 0u);
  // The control edge is not an ownership edge to update.
  EXPECT_EQ(solver.UpdateShare(&s, 2, 1, 0.3, {}), -1);
}

TEST(Ownership, LargeComponentConvergesAndMatchesReference) {
  // One ring through 3,000 nodes in shuffled order, with chords inside and
  // acyclic owners outside: a single large component.
  std::mt19937 rng(5);
  const uint32_t big = 3000, n = big + 500;
  std::vector<uint32_t> members(big);
  for (uint32_t i = 0; i < big; ++i) members[i] = i;
  std::shuffle(members.begin(), members.end(), rng);
  std::vector<SolverEdge> edges;
  std::vector<double> in_sum(n, 0.0);
  std::uniform_real_distribution<double> share(0.05, 0.4);
  auto add = [&](uint32_t u, uint32_t v, double w) {
    if (u == v || in_sum[v] + w > 0.95) return;
    in_sum[v] += w;
    edges.push_back(E(u, v, w));
  };
  for (uint32_t i = 0; i < big; ++i) add(members[i], members[(i + 1) % big], share(rng));
  for (uint32_t i = 0; i < big; ++i) add(rng() % big, rng() % big, share(rng));
  for (uint32_t v = big; v < n; ++v) {
    add(rng() % big, v, share(rng));
    add(big + rng() % (v - big + 1), rng() % big, share(rng));
  }
  std::vector<uint8_t> seeds(n, 0);
  for (uint32_t v = big; v < n; v += 5) seeds[v] = 1;
  seeds[members[17]] = 1;
  OwnershipSolver solver(n, edges);
  EXPECT_GE(solver.largest_component(), big);
  auto s = SolveOne(n, edges, seeds);
  EXPECT_TRUE(s.unconverged.empty());
  EXPECT_GT(s.sweeps, 1u);
  auto ref = Jacobi(n, edges, seeds);
  auto best = BestProduct(n, edges, seeds);
  for (uint32_t v = 0; v < n; ++v) {
    ASSERT_NEAR(s.Share(v, 0), ref[v], 1e-11) << v;
    ASSERT_NEAR(s.best[v], best[v], 1e-12) << v;
  }
  // A sweep limit that is too low is reported, not hidden.
  SolveOptions few;
  few.parallel = false;
  few.max_sweeps = 2;
  auto cut = solver.Solve(seeds, 1, few);
  EXPECT_FALSE(cut.unconverged.empty());
}

TEST(Ownership, WideLevelWithRingsInParallel) {
  // 40,000 companies owned by 100 roots: one wide level, holding rings, so
  // the parallel path runs rings and single nodes as separate tasks.
  std::mt19937 rng(3);
  const uint32_t roots = 100, n = 40100;
  std::vector<SolverEdge> edges;
  for (uint32_t v = roots; v < n; ++v) {
    edges.push_back(E(rng() % roots, v, 0.3));
    edges.push_back(E(rng() % roots, v, 0.2));
  }
  for (uint32_t v = roots; v + 3 < n; v += 97) {
    edges.push_back(E(v, v + 1, 0.1));
    edges.push_back(E(v + 1, v + 2, 0.1));
    edges.push_back(E(v + 2, v, 0.1));
  }
  std::vector<uint8_t> seeds(n, 0);
  for (uint32_t v = 0; v < roots; v += 3) seeds[v] = 1;
  seeds[roots + 1] = 1;  // A seed inside the first ring.
  OwnershipSolver solver(n, edges);
  EXPECT_GT(solver.cyclic_components(), 300u);
  SolveOptions serial;
  serial.parallel = false;
  auto a = solver.Solve(seeds, 1, serial);
  auto b = solver.Solve(seeds, 1, {});
  auto ref = Jacobi(n, edges, seeds);
  for (uint32_t v = 0; v < n; ++v) {
    ASSERT_EQ(a.Share(v, 0), b.Share(v, 0)) << v;
    ASSERT_EQ(a.best[v], b.best[v]) << v;
    ASSERT_EQ(a.pred[v], b.pred[v]) << v;
    ASSERT_NEAR(a.Share(v, 0), ref[v], 1e-12) << v;
  }
  EXPECT_EQ(a.sweeps, b.sweeps);
  // An update inside a ring re-solves the ring and what it owns only.
  int64_t touched = solver.UpdateShare(&b, roots + 1, roots + 2, 0.05, {});
  EXPECT_GE(touched, 3);
  EXPECT_LT(touched, 10);
  auto fresh = solver.Solve(seeds, 1, serial);
  for (uint32_t v = 0; v < n; ++v) {
    ASSERT_NEAR(b.Share(v, 0), fresh.Share(v, 0), 1e-12) << v;
    ASSERT_NEAR(b.best[v], fresh.best[v], 1e-12) << v;
  }
}

TEST(Ownership, EmptyAndEdgelessGraphs) {
  OwnershipSolver empty(0, std::vector<SolverEdge>{});
  EXPECT_EQ(empty.levels(), 0u);
  auto s0 = empty.Solve(std::vector<uint8_t>{}, 1, {});
  EXPECT_TRUE(s0.share.empty());
  OwnershipSolver lone(3, std::vector<SolverEdge>{});
  auto s = lone.Solve(std::vector<uint8_t>{1, 0, 0}, 1, {});
  EXPECT_EQ(s.Share(0, 0), 0.0);
  EXPECT_EQ(s.pred[0], kNoPred);
  EXPECT_TRUE(lone.PathTo(s, 1, 0).empty());
}

TEST(Ownership, ParallelEqualsSerialAndUpdatesAreLocal) {
  std::mt19937 rng(11);
  const uint32_t n = 40000;
  // Layered DAG (owner < owned) plus a few back edges that make rings.
  std::vector<SolverEdge> edges;
  std::vector<double> in_sum(n, 0.0);
  std::uniform_real_distribution<double> share(0.05, 0.45);
  for (uint32_t v = 1; v < n; ++v) {
    for (int j = 0; j < 2; ++j) {
      uint32_t u = std::uniform_int_distribution<uint32_t>(0, v - 1)(rng);
      double w = share(rng);
      if (in_sum[v] + w > 0.9) continue;
      in_sum[v] += w;
      edges.push_back(E(u, v, w));
    }
  }
  for (int j = 0; j < 200; ++j) {
    // A two-node ring v <-> v+1 (cross-holding).
    uint32_t v = std::uniform_int_distribution<uint32_t>(1, n - 2)(rng);
    if (in_sum[v] + 0.05 > 0.95 || in_sum[v + 1] + 0.05 > 0.95) continue;
    in_sum[v] += 0.05;
    in_sum[v + 1] += 0.05;
    edges.push_back(E(v + 1, v, 0.05));
    edges.push_back(E(v, v + 1, 0.05));
  }
  std::vector<uint8_t> seeds(n, 0);
  for (uint32_t i = 0; i < n; i += 50) seeds[i] = 1;
  OwnershipSolver solver(n, edges);
  EXPECT_GE(solver.cyclic_components(), 1u);
  SolveOptions serial;
  serial.parallel = false;
  auto a = solver.Solve(seeds, 1, serial);
  auto b = solver.Solve(seeds, 1, {});
  for (uint32_t v = 0; v < n; ++v) ASSERT_NEAR(a.Share(v, 0), b.Share(v, 0), 1e-12) << v;

  // Change one edge deep in the graph: few nodes recomputed, same values as a
  // fresh solve.
  const SolverEdge target = edges[edges.size() / 2 + 1000];
  int64_t touched = solver.UpdateShare(&b, target.owner, target.owned, target.share / 2, {});
  ASSERT_GE(touched, 1);
  EXPECT_LT(touched, static_cast<int64_t>(n));
  auto fresh = solver.Solve(seeds, 1, serial);
  for (uint32_t v = 0; v < n; ++v) ASSERT_NEAR(b.Share(v, 0), fresh.Share(v, 0), 1e-10) << v;
  for (uint32_t v = 0; v < n; ++v) ASSERT_NEAR(b.best[v], fresh.best[v], 1e-12) << v;
  EXPECT_EQ(solver.UpdateShare(&b, 0, 0, 0.1, {}), -1);
}

}  // namespace
}  // namespace icts::graph
