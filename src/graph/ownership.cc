#include "graph/ownership.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <queue>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace icts::graph {
namespace {

// A level with fewer nodes than this is solved on the calling thread.
constexpr uint32_t kParallelMinNodes = 16384;
// Nodes per task when a level is split.
constexpr uint32_t kChunk = 4096;
constexpr uint32_t kControlDirection = 5;  // ControlKind::kDirection
// rindex[] of a node whose component is complete: kDone plus its level, and
// kCyclic once the component is known to have more than one node.
constexpr uint32_t kDone = 0x80000000u;
constexpr uint32_t kCyclic = 0x40000000u;
constexpr uint32_t kLevel = 0x3FFFFFFFu;

// Asks for 2 MiB pages over the aligned interior of [p, p + bytes) before it
// is first written: first-touch faults cost several times less per byte on
// huge pages. Only an advice; harmless where THP is off.
void AdviseHugePages(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  if (bytes < 2 * kHuge) return;
  uintptr_t b = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t e = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (e > b) madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// v = n value-initialised elements, in fresh storage advised as above.
template <class T>
void Allocate(std::vector<T>* v, size_t n) {
  std::vector<T>().swap(*v);
  v->reserve(n);
  AdviseHugePages(v->data(), n * sizeof(T));
  v->resize(n);
}

// Uninitialised scratch array, advised as above.
template <class T>
std::unique_ptr<T[]> Scratch(size_t n) {
  std::unique_ptr<T[]> p(new T[n]);
  AdviseHugePages(p.get(), n * sizeof(T));
  return p;
}

}  // namespace

OwnershipSolver::OwnershipSolver(uint32_t n, std::span<const SolverEdge> edges) : n_(n) {
  const size_t m = edges.size();
  // 1. Owners of each node (caller ids), for the component search: count,
  // turn the counts into segment ends, then place the owners backwards so
  // adj_off[v] ends at the start of v's segment.
  auto adj_off = Scratch<uint32_t>(size_t{n} + 1);
  std::fill_n(adj_off.get(), size_t{n} + 1, 0u);
  for (const SolverEdge& e : edges) ++adj_off[e.owned];
  uint32_t total = 0;
  for (uint32_t v = 0; v <= n; ++v) adj_off[v] = total += adj_off[v];
  auto adj = Scratch<uint32_t>(m);
  for (size_t i = m; i-- > 0;) adj[--adj_off[edges[i].owned]] = edges[i].owner;

  // 2. Strongly connected components over edges owned -> owner (Pearce's
  // single-index variant of Tarjan's algorithm, iterative), fused with the
  // levels of the condensation: a component completes after every component
  // it depends on, so its level (one more than its owners' highest) is known
  // then. rindex[v]: 0 unvisited; while v is open, its DFS index or the
  // lowest one it reaches; once complete, kDone | level. Components are
  // recorded in completion order, each with its nodes in DFS finishing
  // order, which follows the ownership (owners before what they own).
  auto rindex = Scratch<uint32_t>(n);
  std::fill_n(rindex.get(), n, 0u);
  auto members = Scratch<uint32_t>(n);   // Nodes of completed components.
  auto comp_end = Scratch<uint32_t>(n);  // Component c ends at comp_end[c].
  auto open = Scratch<uint32_t>(n);      // Finished nodes of open components.
  uint32_t n_open = 0, n_members = 0, n_comp = 0, index = 0, max_level = 0;
  struct Frame {
    uint32_t v, next, level;
    bool root;
  };
  std::vector<Frame> frames;
  for (uint32_t r = 0; r < n; ++r) {
    if (rindex[r] != 0) continue;
    rindex[r] = ++index;
    frames.push_back({r, adj_off[r], 0, true});
    while (!frames.empty()) {
      Frame& f = frames.back();
      if (f.next < adj_off[f.v + 1]) {
        const uint32_t w = adj[f.next++];
        const uint32_t rw = rindex[w];
        if (rw == 0) {
          rindex[w] = ++index;
          frames.push_back({w, adj_off[w], 0, true});
        } else if (rw & kDone) {
          f.level = std::max(f.level, (rw & kLevel) + 1);
        } else if (rw < rindex[f.v]) {
          rindex[f.v] = rw;
          f.root = false;
        }
        continue;
      }
      const Frame done = f;
      frames.pop_back();
      const uint32_t v = done.v;
      if (done.root) {
        // v's component: the open nodes finished after v was entered, then v.
        uint32_t from = n_open;
        while (from > 0 && rindex[open[from - 1]] >= rindex[v]) --from;
        const uint32_t level = done.level;
        for (uint32_t i = from; i < n_open; ++i) {
          rindex[open[i]] = kDone | level;
          members[n_members++] = open[i];
        }
        rindex[v] = kDone | level;
        members[n_members++] = v;
        comp_end[n_comp++] = n_members;
        largest_scc_ = std::max(largest_scc_, n_open - from + 1);
        n_open = from;
        max_level = std::max(max_level, level);
        if (!frames.empty()) {
          Frame& p = frames.back();
          p.level = std::max(p.level, level + 1);
        }
      } else {
        // v belongs to the component of an ancestor, through its parent.
        open[n_open++] = v;
        Frame& p = frames.back();
        p.level = std::max(p.level, done.level);
        if (rindex[v] < rindex[p.v]) {
          rindex[p.v] = rindex[v];
          p.root = false;
        }
      }
    }
  }
  std::vector<Frame>().swap(frames);
  open.reset();
  adj.reset();

  // 3. Processing order: levels in turn; in each, the single nodes by id,
  // then the cyclic components in completion order.
  const uint32_t n_levels = n == 0 ? 0 : max_level + 1;
  std::vector<uint32_t> singles(n_levels + 1, 0), cyclic(n_levels + 1, 0);
  std::vector<uint32_t> cyc_count(n_levels + 1, 0);
  for (uint32_t c = 0, b = 0; c < n_comp; b = comp_end[c++]) {
    const uint32_t level = rindex[members[b]] & kLevel;
    if (comp_end[c] - b == 1) {
      ++singles[level];
    } else {
      cyclic[level] += comp_end[c] - b;
      ++cyc_count[level];
      for (uint32_t i = b; i < comp_end[c]; ++i) rindex[members[i]] |= kCyclic;
    }
  }
  level_begin_.assign(n_levels + 1, 0);
  level_cyclic_.assign(n_levels, 0);
  level_cyc_.assign(n_levels + 1, 0);
  for (uint32_t l = 0; l < n_levels; ++l) {
    level_cyclic_[l] = level_begin_[l] + singles[l];
    level_begin_[l + 1] = level_cyclic_[l] + cyclic[l];
    level_cyc_[l + 1] = level_cyc_[l] + cyc_count[l];
    singles[l] = level_begin_[l];  // Next free position of a single node.
    cyclic[l] = level_cyclic_[l];  // Next free position of a cyclic one.
    cyc_count[l] = level_cyc_[l];  // Next cyclic component number.
  }
  cyc_begin_.resize(level_cyc_[n_levels]);
  cyc_end_.resize(level_cyc_[n_levels]);
  Allocate(&order_, n);
  Allocate(&pos_, n);
  for (uint32_t v = 0; v < n; ++v) {
    if (rindex[v] & kCyclic) continue;
    const uint32_t p = singles[rindex[v] & kLevel]++;
    order_[p] = v;
    pos_[v] = p;
  }
  for (uint32_t c = 0, b = 0; c < n_comp; b = comp_end[c++]) {
    const uint32_t size = comp_end[c] - b;
    if (size == 1) continue;
    const uint32_t level = rindex[members[b]] & kLevel;
    const uint32_t j = cyc_count[level]++;
    cyc_begin_[j] = cyclic[level];
    for (uint32_t i = b; i < comp_end[c]; ++i) {
      const uint32_t p = cyclic[level]++;
      order_[p] = members[i];
      pos_[members[i]] = p;
    }
    cyc_end_[j] = cyclic[level];
  }
  rindex.reset();
  members.reset();
  comp_end.reset();

  // 4. Incoming edges in processing order, so a solve reads them as one
  // stream: segment sizes from the owner lists, then each input edge placed
  // at its owned node's cursor (adj_off[v] becomes that cursor), keeping
  // the input order within a node.
  Allocate(&off_, size_t{n} + 1);
  for (uint32_t p = 0; p < n; ++p) off_[p + 1] = adj_off[order_[p] + 1] - adj_off[order_[p]];
  for (uint32_t p = 0; p < n; ++p) off_[p + 1] += off_[p];
  for (uint32_t v = 0; v < n; ++v) adj_off[v] = off_[pos_[v]];
  in_.reserve(m);
  AdviseHugePages(in_.data(), m * sizeof(InEdge));
  in_.resize(m);
  for (const SolverEdge& e : edges) {
    InEdge& out = in_[adj_off[e.owned]++];
    out.src = e.owner;
    out.kind = e.control;
    out.w = e.control != 0 || std::isnan(e.share) ? 0.0 : e.share;
  }
}

struct OwnershipSolver::Pass {
  uint32_t k;
  const uint8_t* seeds;
  double* x;
  double* best;
  uint32_t* pred;
  const SolveOptions* options;
};

// A seed's own value for one adversary, written after the solve: while it
// runs, what the seed passes on (1) stays in the arrays.
struct SeedValue {
  size_t at;
  double sum, top;
  uint32_t arg;
};

struct OwnershipSolver::TaskOut {
  uint64_t sweeps = 0;
  std::vector<SeedValue> seed_values;
};

namespace {

// Sum and max-product owner over edges [e, end) for adversary a of k.
inline SeedValue Gather(const auto* e, const auto* end, const double* x, const double* best,
                        uint32_t k, uint32_t a, size_t at) {
  SeedValue r{at, 0, 0, kNoPred};
  for (; e < end; ++e) {
    const size_t u = size_t{e->src} * k + a;
    r.sum += e->w * x[u];
    const double p = e->w * best[u];
    if (p > r.top) {
      r.top = p;
      r.arg = e->src;
    }
  }
  return r;
}

}  // namespace

void OwnershipSolver::SolveNodes(uint32_t lo, uint32_t hi, const Pass& pass, TaskOut* out) const {
  const InEdge* in = in_.data();
  const uint32_t* off = off_.data();
  const uint8_t* seeds = pass.seeds;
  double* x = pass.x;
  double* best = pass.best;
  uint32_t* pred = pass.pred;
  const uint32_t k = pass.k;
  if (k == 1) {
    for (uint32_t i = lo; i < hi; ++i) {
      const uint32_t v = order_[i];
      if (seeds[v] & 1) {
        out->seed_values.push_back(Gather(in + off[i], in + off[i + 1], x, best, 1, 0, v));
        continue;
      }
      double sum = 0, top = 0;
      uint32_t arg = kNoPred;
      for (uint32_t e = off[i], end = off[i + 1]; e < end; ++e) {
        const uint32_t u = in[e].src;
        const double wi = in[e].w;
        sum += wi * x[u];
        const double p = wi * best[u];
        if (p > top) {
          top = p;
          arg = u;
        }
      }
      x[v] = sum;
      best[v] = top;
      pred[v] = arg;
    }
    return;
  }
  for (uint32_t i = lo; i < hi; ++i) {
    const uint32_t v = order_[i];
    for (uint32_t a = 0; a < k; ++a) {
      const size_t at = size_t{v} * k + a;
      SeedValue r = Gather(in + off[i], in + off[i + 1], x, best, k, a, at);
      if ((seeds[v] >> a) & 1) {
        out->seed_values.push_back(r);
        continue;
      }
      x[at] = r.sum;
      best[at] = r.top;
      pred[at] = r.arg;
    }
  }
}

bool OwnershipSolver::SolveCyclic(uint32_t j, const Pass& pass, TaskOut* out) const {
  const uint32_t lo = cyc_begin_[j], hi = cyc_end_[j];
  const InEdge* in = in_.data();
  const uint8_t* seeds = pass.seeds;
  double* x = pass.x;
  double* best = pass.best;
  uint32_t* pred = pass.pred;
  const uint32_t k = pass.k;
  bool converged = true;
  // Gauss-Seidel on the shares, from 0, in the component's order (owners
  // before what they own, as far as the cycles allow). Seeds stay at 1.
  uint32_t sweep = 0;
  for (;; ++sweep) {
    double delta = 0;
    for (uint32_t i = lo; i < hi; ++i) {
      const uint32_t v = order_[i];
      for (uint32_t a = 0; a < k; ++a) {
        if ((seeds[v] >> a) & 1) continue;
        double sum = 0;
        for (uint32_t e = off_[i], end = off_[i + 1]; e < end; ++e) {
          sum += in[e].w * x[size_t{in[e].src} * k + a];
        }
        const size_t at = size_t{v} * k + a;
        delta = std::max(delta, std::fabs(sum - x[at]));
        x[at] = sum;
      }
    }
    if (delta < pass.options->tolerance) break;
    if (sweep + 1 >= pass.options->max_sweeps) {
      converged = false;
      break;
    }
  }
  out->sweeps += sweep + 1;
  // Max-product paths: relax until nothing improves. Products along a ring
  // are at most 1, so strict improvements never close a cycle.
  for (uint32_t i = lo; i < hi; ++i) {
    const uint32_t v = order_[i];
    for (uint32_t a = 0; a < k; ++a) {
      if ((seeds[v] >> a) & 1) continue;
      best[size_t{v} * k + a] = 0;
      pred[size_t{v} * k + a] = kNoPred;
    }
  }
  for (uint32_t round = 0; round <= hi - lo; ++round) {
    bool changed = false;
    for (uint32_t i = lo; i < hi; ++i) {
      const uint32_t v = order_[i];
      for (uint32_t a = 0; a < k; ++a) {
        if ((seeds[v] >> a) & 1) continue;
        const size_t at = size_t{v} * k + a;
        for (uint32_t e = off_[i], end = off_[i + 1]; e < end; ++e) {
          const double p = in[e].w * best[size_t{in[e].src} * k + a];
          if (p > best[at] * (1 + 1e-15) && p > 0) {
            best[at] = p;
            pred[at] = in[e].src;
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  // Seeds of the component: their owners are final now.
  for (uint32_t i = lo; i < hi; ++i) {
    const uint32_t v = order_[i];
    for (uint32_t a = 0; a < k; ++a) {
      if (!((seeds[v] >> a) & 1)) continue;
      out->seed_values.push_back(
          Gather(in + off_[i], in + off_[i + 1], x, best, k, a, size_t{v} * k + a));
    }
  }
  return converged;
}

Solution OwnershipSolver::Solve(std::span<const uint8_t> seeds_in, uint32_t k,
                                const SolveOptions& options) const {
  Solution s;
  s.n = n_;
  s.k = k;
  s.seeds.assign(seeds_in.begin(), seeds_in.end());
  const size_t nk = size_t{n_} * k;
  Allocate(&s.share, nk);
  Allocate(&s.best, nk);
  Allocate(&s.pred, nk);
  const Pass pass{k, s.seeds.data(), s.share.data(), s.best.data(), s.pred.data(), &options};
  // While solving, a seed's value and best product for its adversaries are
  // 1, which is what its holdings pass on.
  for (uint32_t v = 0; v < n_; ++v) {
    if (pass.seeds[v] == 0) continue;
    for (uint32_t a = 0; a < k; ++a) {
      if ((pass.seeds[v] >> a) & 1) pass.x[size_t{v} * k + a] = pass.best[size_t{v} * k + a] = 1;
    }
  }
  std::vector<uint8_t> bad(cyc_begin_.size(), 0);
  TaskOut main;
  std::mutex mu;  // Guards `main` while tasks run.
  const uint32_t n_levels = levels();
  for (uint32_t l = 0; l < n_levels; ++l) {
    const uint32_t b = level_begin_[l], cb = level_cyclic_[l], e = level_begin_[l + 1];
    const uint32_t j0 = level_cyc_[l], j1 = level_cyc_[l + 1];
    if (!options.parallel || e - b < kParallelMinNodes) {
      SolveNodes(b, cb, pass, &main);
      for (uint32_t j = j0; j < j1; ++j) {
        if (!SolveCyclic(j, pass, &main)) bad[j] = 1;
      }
      continue;
    }
    // Tasks: each cyclic component, then chunks of single nodes.
    const uint32_t n_cyc = j1 - j0;
    const uint32_t n_chunks = (cb - b + kChunk - 1) / kChunk;
    tbb::parallel_for(
        tbb::blocked_range<uint32_t>(0, n_cyc + n_chunks, 1),
        [&](const tbb::blocked_range<uint32_t>& r) {
          TaskOut out;
          for (uint32_t t = r.begin(); t < r.end(); ++t) {
            if (t < n_cyc) {
              if (!SolveCyclic(j0 + t, pass, &out)) bad[j0 + t] = 1;
            } else {
              const uint32_t lo = b + (t - n_cyc) * kChunk;
              SolveNodes(lo, std::min(cb, lo + kChunk), pass, &out);
            }
          }
          std::lock_guard<std::mutex> lock(mu);
          main.sweeps += out.sweeps;
          main.seed_values.insert(main.seed_values.end(), out.seed_values.begin(),
                                  out.seed_values.end());
        },
        tbb::simple_partitioner());
  }
  s.sweeps = main.sweeps;
  for (uint32_t j = 0; j < bad.size(); ++j) {
    if (bad[j]) s.unconverged.push_back(order_[cyc_begin_[j]]);
  }
  for (const SeedValue& f : main.seed_values) {
    pass.x[f.at] = f.sum;
    pass.best[f.at] = f.top;
    pass.pred[f.at] = f.arg;
  }
  return s;
}

Links OwnershipSolver::Link(std::span<const uint8_t> seeds, uint32_t k,
                            const LinkOptions& options) const {
  Links out;
  out.controlled.assign(n_, 0);
  out.directed.assign(n_, 0);
  uint8_t* ctl = out.controlled.data();
  uint8_t* dir = out.directed.data();
  const bool by_share = !std::isnan(options.majority);
  std::vector<double> held(k);
  auto update = [&](uint32_t p) -> bool {
    const uint32_t v = order_[p];
    uint8_t c = ctl[v], d = dir[v];
    if (by_share) std::fill(held.begin(), held.end(), 0.0);
    for (uint32_t e = off_[p]; e < off_[p + 1]; ++e) {
      const InEdge& in = in_[e];
      const uint8_t linked = seeds[in.src] | ctl[in.src] | dir[in.src];
      if (in.kind == 0) {
        if (!by_share) continue;
        for (uint32_t a = 0; a < k; ++a) {
          if ((linked >> a) & 1) held[a] += in.w;
        }
      } else if ((options.control_kinds >> in.kind) & 1) {
        if (in.kind == kControlDirection) {
          d |= linked;
        } else {
          c |= linked;
        }
      }
    }
    if (by_share) {
      for (uint32_t a = 0; a < k; ++a) {
        if (held[a] > options.majority) c |= static_cast<uint8_t>(1u << a);
      }
    }
    const bool changed = c != ctl[v] || d != dir[v];
    ctl[v] = c;
    dir[v] = d;
    return changed;
  };
  const uint32_t n_levels = levels();
  for (uint32_t l = 0; l < n_levels; ++l) {
    for (uint32_t p = level_begin_[l]; p < level_cyclic_[l]; ++p) update(p);
    for (uint32_t j = level_cyc_[l]; j < level_cyc_[l + 1]; ++j) {
      // Monotone: bits only get set, so this ends within 8 * size rounds.
      bool changed = true;
      while (changed) {
        changed = false;
        for (uint32_t p = cyc_begin_[j]; p < cyc_end_[j]; ++p) changed |= update(p);
      }
    }
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

std::pair<uint32_t, uint32_t> OwnershipSolver::ComponentAt(uint32_t p) const {
  auto it = std::upper_bound(cyc_begin_.begin(), cyc_begin_.end(), p);
  if (it != cyc_begin_.begin()) {
    const size_t j = static_cast<size_t>(it - cyc_begin_.begin()) - 1;
    if (p < cyc_end_[j]) return {cyc_begin_[j], cyc_end_[j]};
  }
  return {p, p + 1};
}

int64_t OwnershipSolver::UpdateShare(Solution* s, uint32_t owner, uint32_t owned, double share,
                                     const SolveOptions& options) {
  if (owner >= n_ || owned >= n_) return -1;
  bool found = false;
  const uint32_t p0 = pos_[owned];
  for (uint32_t e = off_[p0]; e < off_[p0 + 1]; ++e) {
    if (in_[e].src == owner && in_[e].kind == 0) {
      in_[e].w = std::isnan(share) ? 0.0 : share;
      found = true;
    }
  }
  if (!found) return -1;
  if (out_off_.empty()) {
    out_off_.assign(size_t{n_} + 1, 0);
    for (const InEdge& e : in_) ++out_off_[e.src + 1];
    for (uint32_t v = 0; v < n_; ++v) out_off_[v + 1] += out_off_[v];
    out_dst_.resize(in_.size());
    std::vector<uint32_t> fill(out_off_.begin(), out_off_.end() - 1);
    for (uint32_t p = 0; p < n_; ++p) {
      for (uint32_t e = off_[p]; e < off_[p + 1]; ++e) out_dst_[fill[in_[e].src]++] = order_[p];
    }
  }
  // The solution holds seeds' own values; what a seed passes on is 1.
  const uint32_t k = s->k;
  const uint8_t* seeds = s->seeds.data();
  double* x = s->share.data();
  double* best = s->best.data();
  uint32_t* pred = s->pred.data();
  auto val = [&](const double* arr, uint32_t u, uint32_t a) {
    return (seeds[u] >> a) & 1 ? 1.0 : arr[size_t{u} * k + a];
  };
  auto recompute = [&](uint32_t p) -> bool {
    const uint32_t v = order_[p];
    bool changed = false;
    for (uint32_t a = 0; a < k; ++a) {
      double sum = 0, top = 0;
      uint32_t arg = kNoPred;
      for (uint32_t e = off_[p]; e < off_[p + 1]; ++e) {
        const uint32_t u = in_[e].src;
        sum += in_[e].w * val(x, u, a);
        const double q = in_[e].w * val(best, u, a);
        if (q > top) {
          top = q;
          arg = u;
        }
      }
      const size_t at = size_t{v} * k + a;
      if (sum != x[at] || top != best[at] || arg != pred[at]) changed = true;
      x[at] = sum;
      best[at] = top;
      pred[at] = arg;
    }
    return changed;
  };

  // Components to recompute, by processing position (so each comes after
  // everything it depends on), named by their first position.
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> queue;
  queue.push(ComponentAt(p0).first);
  int64_t touched = 0;
  uint32_t last = 0xFFFFFFFFu;
  while (!queue.empty()) {
    const uint32_t p = queue.top();
    queue.pop();
    if (p == last) continue;
    last = p;
    const auto [lo, hi] = ComponentAt(p);
    if (hi - lo == 1) {
      ++touched;
      if (!recompute(p)) continue;
    } else {
      // Re-solve the component by sweeps from the current values.
      for (uint32_t sweep = 0; sweep < options.max_sweeps; ++sweep) {
        double delta = 0;
        for (uint32_t i = lo; i < hi; ++i) {
          const uint32_t v = order_[i];
          for (uint32_t a = 0; a < k; ++a) {
            double sum = 0;
            for (uint32_t e = off_[i]; e < off_[i + 1]; ++e) {
              sum += in_[e].w * val(x, in_[e].src, a);
            }
            const size_t at = size_t{v} * k + a;
            delta = std::max(delta, std::fabs(sum - x[at]));
            x[at] = sum;
          }
        }
        if (delta < options.tolerance) break;
      }
      for (uint32_t i = lo; i < hi; ++i) {
        for (uint32_t a = 0; a < k; ++a) {
          best[size_t{order_[i]} * k + a] = 0;
          pred[size_t{order_[i]} * k + a] = kNoPred;
        }
      }
      for (uint32_t round = 0; round <= hi - lo; ++round) {
        bool any = false;
        for (uint32_t i = lo; i < hi; ++i) {
          const uint32_t v = order_[i];
          for (uint32_t a = 0; a < k; ++a) {
            const size_t at = size_t{v} * k + a;
            for (uint32_t e = off_[i]; e < off_[i + 1]; ++e) {
              const double q = in_[e].w * val(best, in_[e].src, a);
              if (q > best[at] * (1 + 1e-15) && q > 0) {
                best[at] = q;
                pred[at] = in_[e].src;
                any = true;
              }
            }
          }
        }
        if (!any) break;
      }
      touched += hi - lo;
    }
    for (uint32_t i = lo; i < hi; ++i) {
      const uint32_t w = order_[i];
      for (uint32_t e = out_off_[w]; e < out_off_[w + 1]; ++e) {
        const uint32_t d = pos_[out_dst_[e]];
        if (d >= lo && d < hi) continue;
        queue.push(ComponentAt(d).first);
      }
    }
  }
  return touched;
}

}  // namespace icts::graph
