#include "graph/ownership.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <queue>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace icts::graph {
namespace {

constexpr uint32_t kUnvisited = 0xFFFFFFFFu;
// A level with fewer nodes than this is solved on the calling thread.
constexpr uint32_t kParallelMinNodes = 16384;
constexpr uint32_t kControlDirection = 5;  // ControlKind::kDirection

inline double Val(const uint8_t* seeds, const double* x, uint32_t u, uint32_t k, uint32_t a) {
  return (seeds[u] >> a) & 1 ? 1.0 : x[size_t{u} * k + a];
}
inline double BestVal(const uint8_t* seeds, const double* best, uint32_t u, uint32_t k,
                      uint32_t a) {
  return (seeds[u] >> a) & 1 ? 1.0 : best[size_t{u} * k + a];
}

}  // namespace

OwnershipSolver::OwnershipSolver(uint32_t n, std::span<const SolverEdge> edges) : n_(n) {
  // 1. Incoming CSR in caller ids, ownership edges before control edges.
  std::vector<uint32_t> off(n + 1, 0);
  for (const SolverEdge& e : edges) ++off[e.owned + 1];
  for (uint32_t v = 0; v < n; ++v) off[v + 1] += off[v];
  std::vector<uint32_t> fill(off.begin(), off.end() - 1);
  std::vector<uint32_t> own_count(n, 0);
  for (const SolverEdge& e : edges) {
    if (e.control == 0) ++own_count[e.owned];
  }
  std::vector<uint32_t> ctl_fill(n);
  for (uint32_t v = 0; v < n; ++v) ctl_fill[v] = off[v] + own_count[v];
  std::vector<uint32_t> src(edges.size());
  std::vector<double> w(edges.size());
  std::vector<uint8_t> ctl(edges.size());
  for (const SolverEdge& e : edges) {
    uint32_t at = e.control == 0 ? fill[e.owned]++ : ctl_fill[e.owned]++;
    src[at] = e.owner;
    w[at] = std::isnan(e.share) ? 0.0 : e.share;
    ctl[at] = e.control;
  }

  // 2. Tarjan's algorithm (iterative) over edges owned -> owner: a component
  // is emitted after every component it depends on.
  std::vector<uint32_t> index(n, kUnvisited), low(n, 0), comp(n, kUnvisited);
  std::vector<uint32_t> stack;
  std::vector<std::pair<uint32_t, uint32_t>> frames;  // (node, next edge)
  std::vector<uint32_t> comp_nodes;                   // Nodes in emission order.
  std::vector<uint32_t> comp_begin;
  uint32_t counter = 0;
  for (uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    index[root] = low[root] = counter++;
    stack.push_back(root);
    frames.emplace_back(root, off[root]);
    while (!frames.empty()) {
      auto& [v, ei] = frames.back();
      if (ei < off[v + 1]) {
        uint32_t u = src[ei++];
        if (index[u] == kUnvisited) {
          index[u] = low[u] = counter++;
          stack.push_back(u);
          frames.emplace_back(u, off[u]);
        } else if (comp[u] == kUnvisited) {
          low[v] = std::min(low[v], index[u]);
        }
        continue;
      }
      uint32_t done = v;
      frames.pop_back();
      if (low[done] == index[done]) {
        uint32_t c = static_cast<uint32_t>(comp_begin.size());
        comp_begin.push_back(static_cast<uint32_t>(comp_nodes.size()));
        uint32_t u;
        do {
          u = stack.back();
          stack.pop_back();
          comp[u] = c;
          comp_nodes.push_back(u);
        } while (u != done);
      }
      if (!frames.empty()) {
        uint32_t p = frames.back().first;
        low[p] = std::min(low[p], low[done]);
      }
    }
  }
  uint32_t n_comp = static_cast<uint32_t>(comp_begin.size());
  comp_begin.push_back(static_cast<uint32_t>(comp_nodes.size()));
  std::vector<uint32_t>().swap(index);
  std::vector<uint32_t>().swap(low);

  // 3. Levels: a component's level is one more than its owners' highest.
  std::vector<uint32_t> level(n_comp, 0);
  uint32_t max_level = 0;
  for (uint32_t c = 0; c < n_comp; ++c) {
    uint32_t l = 0;
    for (uint32_t i = comp_begin[c]; i < comp_begin[c + 1]; ++i) {
      uint32_t v = comp_nodes[i];
      for (uint32_t e = off[v]; e < off[v + 1]; ++e) {
        uint32_t cu = comp[src[e]];
        if (cu != c) l = std::max(l, level[cu] + 1);
      }
    }
    level[c] = l;
    max_level = std::max(max_level, l);
    uint32_t size = comp_begin[c + 1] - comp_begin[c];
    if (size > 1) ++cyclic_sccs_;
    largest_scc_ = std::max(largest_scc_, size);
  }

  // 4. Renumber: components by level (stable), nodes of a component together.
  std::vector<uint32_t> level_count(max_level + 2, 0);
  for (uint32_t c = 0; c < n_comp; ++c) ++level_count[level[c] + 1];
  for (uint32_t l = 0; l <= max_level; ++l) level_count[l + 1] += level_count[l];
  level_scc_ = level_count;  // Component ranges per level, after placement.
  std::vector<uint32_t> comp_order(n_comp);
  for (uint32_t c = 0; c < n_comp; ++c) comp_order[level_count[level[c]]++] = c;
  order_.resize(n);
  pos_.resize(n);
  scc_begin_.resize(n_comp + 1);
  scc_of_.resize(n);
  uint32_t next = 0;
  for (uint32_t ci = 0; ci < n_comp; ++ci) {
    uint32_t c = comp_order[ci];
    scc_begin_[ci] = next;
    for (uint32_t i = comp_begin[c]; i < comp_begin[c + 1]; ++i) {
      uint32_t v = comp_nodes[i];
      order_[next] = v;
      pos_[v] = next;
      scc_of_[next] = ci;
      ++next;
    }
  }
  scc_begin_[n_comp] = n;

  // 5. Internal CSR.
  off_.resize(n + 1);
  own_end_.resize(n);
  src_.resize(src.size());
  w_.resize(src.size());
  ctl_.resize(src.size());
  uint32_t at = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t v = order_[i];
    off_[i] = at;
    own_end_[i] = at + own_count[v];
    for (uint32_t e = off[v]; e < off[v + 1]; ++e, ++at) {
      src_[at] = pos_[src[e]];
      w_[at] = w[e];
      ctl_[at] = ctl[e];
    }
  }
  off_[n] = at;
}

void OwnershipSolver::SolveNode(uint32_t v, uint32_t k, const uint8_t* seeds, double* x,
                                double* best, uint32_t* pred) const {
  const uint32_t b = off_[v], e = own_end_[v];
  if (k == 1) {
    double sum = 0, top = 0;
    uint32_t arg = kNoPred;
    for (uint32_t i = b; i < e; ++i) {
      uint32_t u = src_[i];
      double wi = w_[i];
      bool seed = seeds[u] & 1;
      sum += wi * (seed ? 1.0 : x[u]);
      double p = wi * (seed ? 1.0 : best[u]);
      if (p > top) {
        top = p;
        arg = u;
      }
    }
    x[v] = sum;
    best[v] = top;
    pred[v] = arg;
    return;
  }
  for (uint32_t a = 0; a < k; ++a) {
    double sum = 0, top = 0;
    uint32_t arg = kNoPred;
    for (uint32_t i = b; i < e; ++i) {
      uint32_t u = src_[i];
      sum += w_[i] * Val(seeds, x, u, k, a);
      double p = w_[i] * BestVal(seeds, best, u, k, a);
      if (p > top) {
        top = p;
        arg = u;
      }
    }
    size_t at = size_t{v} * k + a;
    x[at] = sum;
    best[at] = top;
    pred[at] = arg;
  }
}

void OwnershipSolver::SolveComponent(uint32_t c, uint32_t k, const uint8_t* seeds, double* x,
                                     double* best, uint32_t* pred, const SolveOptions& options,
                                     uint64_t* sweeps, bool* converged) const {
  const uint32_t lo = scc_begin_[c], hi = scc_begin_[c + 1];
  *converged = true;
  if (hi - lo == 1) {
    SolveNode(lo, k, seeds, x, best, pred);
    return;
  }
  // Gauss-Seidel on the shares.
  uint32_t sweep = 0;
  for (;; ++sweep) {
    double delta = 0;
    for (uint32_t v = lo; v < hi; ++v) {
      for (uint32_t a = 0; a < k; ++a) {
        double sum = 0;
        for (uint32_t i = off_[v]; i < own_end_[v]; ++i) {
          sum += w_[i] * Val(seeds, x, src_[i], k, a);
        }
        size_t at = size_t{v} * k + a;
        delta = std::max(delta, std::fabs(sum - x[at]));
        x[at] = sum;
      }
    }
    if (delta < options.tolerance) break;
    if (sweep + 1 >= options.max_sweeps) {
      *converged = false;
      break;
    }
  }
  *sweeps += sweep + 1;
  // Max-product paths: relax until nothing improves. Products along a ring
  // are at most 1, so strict improvements never close a cycle.
  for (uint32_t v = lo; v < hi; ++v) {
    for (uint32_t a = 0; a < k; ++a) {
      best[size_t{v} * k + a] = 0;
      pred[size_t{v} * k + a] = kNoPred;
    }
  }
  for (uint32_t round = 0; round <= hi - lo; ++round) {
    bool changed = false;
    for (uint32_t v = lo; v < hi; ++v) {
      for (uint32_t a = 0; a < k; ++a) {
        size_t at = size_t{v} * k + a;
        for (uint32_t i = off_[v]; i < own_end_[v]; ++i) {
          double p = w_[i] * BestVal(seeds, best, src_[i], k, a);
          if (p > best[at] * (1 + 1e-15) && p > 0) {
            best[at] = p;
            pred[at] = src_[i];
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
}

Solution OwnershipSolver::Solve(std::span<const uint8_t> seeds_in, uint32_t k,
                                const SolveOptions& options) const {
  Solution s;
  s.n = n_;
  s.k = k;
  s.seeds.assign(seeds_in.begin(), seeds_in.end());
  // Internal arrays.
  std::vector<uint8_t> seeds(n_);
  for (uint32_t i = 0; i < n_; ++i) seeds[i] = seeds_in[order_[i]];
  std::vector<double> x(size_t{n_} * k, 0.0), best(size_t{n_} * k, 0.0);
  std::vector<uint32_t> pred(size_t{n_} * k, kNoPred);
  std::vector<uint8_t> bad_scc(scc_begin_.size() - 1, 0);
  std::vector<uint64_t> level_sweeps(level_scc_.size(), 0);

  for (size_t l = 0; l + 1 < level_scc_.size(); ++l) {
    const uint32_t c0 = level_scc_[l], c1 = level_scc_[l + 1];
    const uint32_t nodes = scc_begin_[c1] - scc_begin_[c0];
    auto run = [&](uint32_t a, uint32_t b, uint64_t* sw) {
      for (uint32_t c = a; c < b; ++c) {
        bool ok = true;
        SolveComponent(c, k, seeds.data(), x.data(), best.data(), pred.data(), options, sw, &ok);
        if (!ok) bad_scc[c] = 1;
      }
    };
    if (!options.parallel || nodes < kParallelMinNodes) {
      run(c0, c1, &level_sweeps[l]);
      continue;
    }
    std::atomic<uint64_t> sw{0};
    tbb::parallel_for(tbb::blocked_range<uint32_t>(c0, c1, 4096),
                      [&](const tbb::blocked_range<uint32_t>& r) {
                        uint64_t local = 0;
                        run(r.begin(), r.end(), &local);
                        sw += local;
                      });
    level_sweeps[l] = sw.load();
  }
  for (uint64_t sw : level_sweeps) s.sweeps += sw;
  for (uint32_t c = 0; c < bad_scc.size(); ++c) {
    if (bad_scc[c]) s.unconverged.push_back(order_[scc_begin_[c]]);
  }

  // Back to caller ids.
  s.share.resize(size_t{n_} * k);
  s.best.resize(size_t{n_} * k);
  s.pred.resize(size_t{n_} * k);
  for (uint32_t i = 0; i < n_; ++i) {
    uint32_t v = order_[i];
    for (uint32_t a = 0; a < k; ++a) {
      size_t from = size_t{i} * k + a, to = size_t{v} * k + a;
      s.share[to] = x[from];
      s.best[to] = best[from];
      s.pred[to] = pred[from] == kNoPred ? kNoPred : order_[pred[from]];
    }
  }
  return s;
}

Links OwnershipSolver::Link(std::span<const uint8_t> seeds_in, uint32_t k,
                            const LinkOptions& options) const {
  std::vector<uint8_t> seeds(n_), ctl(n_, 0), dir(n_, 0);
  for (uint32_t i = 0; i < n_; ++i) seeds[i] = seeds_in[order_[i]];
  const bool by_share = !std::isnan(options.majority);
  std::vector<double> held(k);
  auto update = [&](uint32_t v) -> bool {
    uint8_t c = ctl[v], d = dir[v];
    if (by_share) {
      std::fill(held.begin(), held.end(), 0.0);
      for (uint32_t i = off_[v]; i < own_end_[v]; ++i) {
        uint32_t u = src_[i];
        uint8_t linked = seeds[u] | ctl[u] | dir[u];
        for (uint32_t a = 0; a < k; ++a) {
          if ((linked >> a) & 1) held[a] += w_[i];
        }
      }
      for (uint32_t a = 0; a < k; ++a) {
        if (held[a] > options.majority) c |= static_cast<uint8_t>(1u << a);
      }
    }
    for (uint32_t i = own_end_[v]; i < off_[v + 1]; ++i) {
      if (!((options.control_kinds >> ctl_[i]) & 1)) continue;
      uint32_t u = src_[i];
      uint8_t linked = seeds[u] | ctl[u] | dir[u];
      if (ctl_[i] == kControlDirection) {
        d |= linked;
      } else {
        c |= linked;
      }
    }
    bool changed = c != ctl[v] || d != dir[v];
    ctl[v] = c;
    dir[v] = d;
    return changed;
  };
  const uint32_t n_comp = static_cast<uint32_t>(scc_begin_.size()) - 1;
  for (uint32_t c = 0; c < n_comp; ++c) {
    const uint32_t lo = scc_begin_[c], hi = scc_begin_[c + 1];
    if (hi - lo == 1) {
      update(lo);
      continue;
    }
    // Monotone: bits only get set, so this ends within 8 * size rounds.
    bool changed = true;
    while (changed) {
      changed = false;
      for (uint32_t v = lo; v < hi; ++v) changed |= update(v);
    }
  }
  Links out;
  out.controlled.resize(n_);
  out.directed.resize(n_);
  for (uint32_t i = 0; i < n_; ++i) {
    out.controlled[order_[i]] = ctl[i];
    out.directed[order_[i]] = dir[i];
  }
  return out;
}

std::vector<uint32_t> OwnershipSolver::PathTo(const Solution& s, uint32_t v, uint32_t a) const {
  std::vector<uint32_t> path;
  if (v >= s.n || a >= s.k || s.pred[size_t{v} * s.k + a] == kNoPred) return path;
  path.push_back(v);
  uint32_t at = v;
  for (uint32_t steps = 0; steps <= s.n; ++steps) {
    uint32_t p = s.pred[size_t{at} * s.k + a];
    if (p == kNoPred) break;
    path.push_back(p);
    if ((s.seeds[p] >> a) & 1) break;
    at = p;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

int64_t OwnershipSolver::UpdateShare(Solution* s, uint32_t owner, uint32_t owned, double share,
                                     const SolveOptions& options) {
  if (owner >= n_ || owned >= n_) return -1;
  const uint32_t v0 = pos_[owned], u0 = pos_[owner];
  bool found = false;
  for (uint32_t i = off_[v0]; i < own_end_[v0]; ++i) {
    if (src_[i] == u0) {
      w_[i] = std::isnan(share) ? 0.0 : share;
      found = true;
    }
  }
  if (!found) return -1;
  if (out_off_.empty()) {
    out_off_.assign(n_ + 1, 0);
    for (uint32_t v = 0; v < n_; ++v) {
      for (uint32_t i = off_[v]; i < own_end_[v]; ++i) ++out_off_[src_[i] + 1];
    }
    for (uint32_t v = 0; v < n_; ++v) out_off_[v + 1] += out_off_[v];
    out_dst_.resize(out_off_[n_]);
    std::vector<uint32_t> fill(out_off_.begin(), out_off_.end() - 1);
    for (uint32_t v = 0; v < n_; ++v) {
      for (uint32_t i = off_[v]; i < own_end_[v]; ++i) out_dst_[fill[src_[i]]++] = v;
    }
  }
  // Work on internal copies of the touched values only: the solution is in
  // caller ids, so read and write through order_/pos_.
  const uint32_t k = s->k;
  // Gather internal views lazily: small maps would be slower than direct
  // indexing, so keep full internal arrays for x/best/pred of visited nodes.
  auto seed_of = [&](uint32_t iv) { return s->seeds[order_[iv]]; };
  auto x_at = [&](uint32_t iv, uint32_t a) -> double& {
    return s->share[size_t{order_[iv]} * k + a];
  };
  auto best_at = [&](uint32_t iv, uint32_t a) -> double& {
    return s->best[size_t{order_[iv]} * k + a];
  };
  auto pred_at = [&](uint32_t iv, uint32_t a) -> uint32_t& {
    return s->pred[size_t{order_[iv]} * k + a];
  };
  auto recompute = [&](uint32_t v) -> bool {
    bool changed = false;
    for (uint32_t a = 0; a < k; ++a) {
      double sum = 0, top = 0;
      uint32_t arg = kNoPred;
      for (uint32_t i = off_[v]; i < own_end_[v]; ++i) {
        uint32_t u = src_[i];
        bool seed = (seed_of(u) >> a) & 1;
        sum += w_[i] * (seed ? 1.0 : x_at(u, a));
        double p = w_[i] * (seed ? 1.0 : best_at(u, a));
        if (p > top) {
          top = p;
          arg = order_[u];
        }
      }
      if (sum != x_at(v, a) || top != best_at(v, a) || arg != pred_at(v, a)) changed = true;
      x_at(v, a) = sum;
      best_at(v, a) = top;
      pred_at(v, a) = arg;
    }
    return changed;
  };

  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> queue;
  std::vector<uint32_t> queued;  // Internal ids pushed (to dedupe).
  auto push = [&](uint32_t v) {
    queued.push_back(v);
    queue.push(v);
  };
  {
    uint32_t c0 = scc_of_[v0];
    push(scc_begin_[c0 + 1] - scc_begin_[c0] == 1 ? v0 : scc_begin_[c0]);
  }
  int64_t touched = 0;
  uint32_t last = kUnvisited;
  while (!queue.empty()) {
    uint32_t v = queue.top();
    queue.pop();
    if (v == last) continue;
    last = v;
    uint32_t c = scc_of_[v];
    uint32_t lo = scc_begin_[c], hi = scc_begin_[c + 1];
    bool changed = false;
    if (hi - lo == 1) {
      changed = recompute(v);
      ++touched;
    } else {
      if (v != lo) continue;  // The component is solved once, from its first node.
      // Re-solve the component by sweeps from the current values.
      for (uint32_t sweep = 0; sweep < options.max_sweeps; ++sweep) {
        double delta = 0;
        for (uint32_t u = lo; u < hi; ++u) {
          for (uint32_t a = 0; a < k; ++a) {
            double sum = 0;
            for (uint32_t i = off_[u]; i < own_end_[u]; ++i) {
              uint32_t o = src_[i];
              sum += w_[i] * (((seed_of(o) >> a) & 1) ? 1.0 : x_at(o, a));
            }
            delta = std::max(delta, std::fabs(sum - x_at(u, a)));
            x_at(u, a) = sum;
          }
        }
        if (delta < options.tolerance) break;
      }
      for (uint32_t u = lo; u < hi; ++u) {
        for (uint32_t a = 0; a < k; ++a) {
          best_at(u, a) = 0;
          pred_at(u, a) = kNoPred;
        }
      }
      for (uint32_t round = 0; round <= hi - lo; ++round) {
        bool any = false;
        for (uint32_t u = lo; u < hi; ++u) {
          for (uint32_t a = 0; a < k; ++a) {
            double top = best_at(u, a);
            uint32_t arg = pred_at(u, a);
            for (uint32_t i = off_[u]; i < own_end_[u]; ++i) {
              uint32_t o = src_[i];
              double p = w_[i] * (((seed_of(o) >> a) & 1) ? 1.0 : best_at(o, a));
              if (p > top * (1 + 1e-15) && p > 0) {
                top = p;
                arg = order_[o];
              }
            }
            if (top != best_at(u, a) || arg != pred_at(u, a)) any = true;
            best_at(u, a) = top;
            pred_at(u, a) = arg;
          }
        }
        if (!any) break;
      }
      changed = true;
      touched += hi - lo;
    }
    if (!changed) continue;
    for (uint32_t w = lo; w < hi; ++w) {
      for (uint32_t i = out_off_[w]; i < out_off_[w + 1]; ++i) {
        uint32_t d = out_dst_[i];
        if (scc_of_[d] == c) continue;
        uint32_t dc = scc_of_[d];
        push(scc_begin_[dc + 1] - scc_begin_[dc] == 1 ? d : scc_begin_[dc]);
      }
    }
  }
  return touched;
}

}  // namespace icts::graph
