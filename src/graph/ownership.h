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
// Gauss-Seidel sweeps until the largest change is below the tolerance.
// Because the known shares of each asset add up to at most 1, every sweep
// stays within [0, 1] and the iteration converges (a ring owning itself 100%
// converges to its outside holdings, usually 0).
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
// downstream of it.
//
// Thread safety: const methods may run concurrently; UpdateShare() needs
// exclusive access. Solve() uses oneTBB over the independent components of
// each level of the condensation.
#ifndef ICTS_GRAPH_OWNERSHIP_H_
#define ICTS_GRAPH_OWNERSHIP_H_

#include <cstdint>
#include <span>
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
  // `n` nodes numbered 0..n-1. Edges may repeat a pair (their shares add).
  OwnershipSolver(uint32_t n, std::span<const SolverEdge> edges);

  uint32_t node_count() const { return n_; }
  uint64_t edge_count() const { return src_.size(); }
  // Strongly connected components with more than one node, the largest
  // one's size, and the number of levels of the condensation.
  uint32_t cyclic_components() const { return cyclic_sccs_; }
  uint32_t largest_component() const { return largest_scc_; }
  uint32_t levels() const { return static_cast<uint32_t>(level_scc_.size()) - 1; }

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
  // Internal ids: nodes renumbered by (level, component), so every edge
  // between components goes from a lower to a higher internal id.
  void SolveComponent(uint32_t c, uint32_t k, const uint8_t* seeds, double* x, double* best,
                      uint32_t* pred, const SolveOptions& options, uint64_t* sweeps,
                      bool* converged) const;
  void SolveNode(uint32_t v, uint32_t k, const uint8_t* seeds, double* x, double* best,
                 uint32_t* pred) const;

  uint32_t n_ = 0;
  std::vector<uint32_t> order_;  // internal -> caller id
  std::vector<uint32_t> pos_;    // caller id -> internal
  // Incoming edges per internal node: [off_[v], own_end_[v]) ownership,
  // [own_end_[v], off_[v + 1]) control.
  std::vector<uint32_t> off_, own_end_;
  std::vector<uint32_t> src_;  // Internal ids.
  std::vector<double> w_;
  std::vector<uint8_t> ctl_;         // Control kind per edge (0 for ownership).
  std::vector<uint32_t> scc_begin_;  // Component c = [scc_begin_[c], scc_begin_[c + 1]).
  std::vector<uint32_t> scc_of_;     // Internal node -> component.
  std::vector<uint32_t> level_scc_;  // Level l = components [level_scc_[l], level_scc_[l + 1]).
  uint32_t cyclic_sccs_ = 0;
  uint32_t largest_scc_ = 0;
  // Outgoing adjacency (internal ids), built on the first UpdateShare().
  std::vector<uint32_t> out_off_, out_dst_;
};

}  // namespace icts::graph

#endif  // ICTS_GRAPH_OWNERSHIP_H_
