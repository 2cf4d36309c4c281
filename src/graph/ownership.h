// Effective ownership and control over a whole graph, fast.
//
// Effective ownership. For each adversary a, x_a[v] is the share of v held
// directly and indirectly by persons of a (seeds): the sum over all paths of
// the product of the shares along the path, which is the solution of the
// linear system
//     x_a[v] = sum over owners u of w(u, v) * (seed_a[u] ? 1 : x_a[u]).
// A seed's holdings count in full; what its own owners hold is not added on
// top. Acyclic parts are solved exactly in one pass in topological order;
// strongly connected components (cross-holdings, rings) are solved by
// Gauss-Seidel sweeps, in an order that follows the ownership within the
// component, until the largest change is below the tolerance. Because the
// known shares of each asset add up to at most 1, every sweep stays within
// [0, 1] and the iteration converges (a ring owning itself 100% converges to
// its outside holdings, usually 0).
//
// Explaining path. For each node and adversary the solver also keeps the
// owner on the path of largest product share (the max-product path), whose
// product is a lower bound on x_a[v]; PathTo() walks it back to the seed.
//
// Control. Link() marks nodes controlled by or acting at the direction of an
// adversary: a control edge of a counted kind from a linked node, or linked
// owners holding together more than the majority threshold.
//
// Structure (components, processing order) depends only on which edges
// exist, so it is computed once by the constructor; Solve() can then run for
// any seeds, and UpdateShare() changes one edge and recomputes only what lies
// downstream of it. Everything is kept in the caller's node ids, so neither
// the seeds nor the solution are permuted.
//
// Thread safety: const methods may run concurrently; UpdateShare() needs
// exclusive access. Solve() uses oneTBB over the independent nodes and
// components of each level of the condensation.
#ifndef ICTS_GRAPH_OWNERSHIP_H_
#define ICTS_GRAPH_OWNERSHIP_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace icts::graph {

// Edges in the solver's input: owner -> owned with a share in [0, 1] (NaN or
// 0 contributes nothing) or a control edge (control != 0, share ignored).
struct SolverEdge {
  uint32_t owner = 0;
  uint32_t owned = 0;
  double share = 0;
  uint8_t control = 0;  // 0 = ownership; otherwise a ControlKind value.
};

// Most adversaries one Solve() handles (one bit each in a seed mask).
inline constexpr uint32_t kMaxAdversaries = 8;
inline constexpr uint32_t kNoPred = 0xFFFFFFFFu;

struct SolveOptions {
  double tolerance = 1e-12;  // Largest change in a sweep that ends an SCC.
  uint32_t max_sweeps = 100000;
  bool parallel = true;  // Components of one level in parallel (TBB).
};

struct LinkOptions {
  // Linked owners holding together more than this fraction control the
  // asset; NaN disables control through shares.
  double majority = 0.5;
  // Bit (1 << ControlKind) for each control kind that gives control; the
  // kDirection bit (if set) gives "acting at the direction of" instead.
  uint32_t control_kinds = 0;
};

// Result of Solve(), indexed by the caller's node ids.
struct Solution {
  uint32_t n = 0;
  uint32_t k = 0;                     // Adversaries.
  std::vector<double> share;          // share[v * k + a]
  std::vector<double> best;           // Product along the max-product path.
  std::vector<uint32_t> pred;         // Owner on that path (caller ids) or kNoPred.
  std::vector<uint8_t> seeds;         // Copy of the seeds.
  uint64_t sweeps = 0;                // Gauss-Seidel sweeps over all SCCs.
  std::vector<uint32_t> unconverged;  // One node of each SCC that hit max_sweeps.

  double Share(uint32_t v, uint32_t a) const { return share[size_t{v} * k + a]; }
};

// Result of Link(): per node, bit a set when controlled by adversary a
// (prong 4) or acting at its direction (prong 1).
struct Links {
  std::vector<uint8_t> controlled;
  std::vector<uint8_t> directed;
};

class OwnershipSolver {
 public:
  // `n` nodes numbered 0..n-1, n < 2^30. Edges may repeat a pair (their
  // shares add).
  OwnershipSolver(uint32_t n, std::span<const SolverEdge> edges);

  uint32_t node_count() const { return n_; }
  uint64_t edge_count() const { return in_.size(); }
  // Strongly connected components with more than one node, the largest
  // one's size, and the number of levels of the condensation.
  uint32_t cyclic_components() const { return static_cast<uint32_t>(cyc_begin_.size()); }
  uint32_t largest_component() const { return largest_scc_; }
  uint32_t levels() const { return static_cast<uint32_t>(level_begin_.size()) - 1; }

  // seeds[v]: bit a set when v is a person of adversary a (a < k <= 8).
  Solution Solve(std::span<const uint8_t> seeds, uint32_t k, const SolveOptions& options) const;

  // Control and direction links for the given seeds.
  Links Link(std::span<const uint8_t> seeds, uint32_t k, const LinkOptions& options) const;

  // The max-product path for adversary a ending at v: caller ids from the
  // seed down to v, or empty when v has no share of a.
  std::vector<uint32_t> PathTo(const Solution& s, uint32_t v, uint32_t a) const;

  // Sets the share of every ownership edge owner -> owned to `share` and
  // recomputes, in `s`, only the nodes downstream of `owned` whose values
  // change. Returns the number of nodes recomputed, or -1 when there is no
  // such edge (adding edges changes the structure: build a new solver).
  int64_t UpdateShare(Solution* s, uint32_t owner, uint32_t owned, double share,
                      const SolveOptions& options);

 private:
  // Incoming edge: ownership (kind 0, share w) or control (kind != 0, w 0, so
  // the share computation can run over all edges).
  struct InEdge {
    uint32_t src = 0;
    uint32_t kind = 0;
    double w = 0;
  };
  struct Pass;     // One Solve(): seeds and the arrays being filled.
  struct TaskOut;  // What one task of a Solve() hands back.
  void SolveNodes(uint32_t lo, uint32_t hi, const Pass& pass, TaskOut* out) const;
  bool SolveCyclic(uint32_t j, const Pass& pass, TaskOut* out) const;
  // First position and end of the component at processing position p.
  std::pair<uint32_t, uint32_t> ComponentAt(uint32_t p) const;

  uint32_t n_ = 0;
  // Processing order (caller ids). Level l of the condensation is
  // order_[level_begin_[l], level_begin_[l + 1]): first its single-node
  // components, then, from level_cyclic_[l], the nodes of its cyclic
  // components, each component together. Every edge between components goes
  // from a lower level to a higher one.
  std::vector<uint32_t> order_;
  std::vector<uint32_t> pos_;  // Caller id -> processing position.
  // Incoming edges of the node at position p, owners in caller ids:
  // in_[off_[p], off_[p + 1]), in input order.
  std::vector<uint32_t> off_;
  std::vector<InEdge> in_;
  std::vector<uint32_t> level_begin_;
  std::vector<uint32_t> level_cyclic_;
  // Cyclic component j = order_[cyc_begin_[j], cyc_end_[j]), by position;
  // those of level l are j in [level_cyc_[l], level_cyc_[l + 1]).
  std::vector<uint32_t> cyc_begin_, cyc_end_, level_cyc_;
  uint32_t largest_scc_ = 0;
  // Outgoing edges (caller ids), built on the first UpdateShare().
  std::vector<uint32_t> out_off_, out_dst_;
};

}  // namespace icts::graph

#endif  // ICTS_GRAPH_OWNERSHIP_H_
