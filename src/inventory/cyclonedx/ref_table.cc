#include "inventory/cyclonedx/ref_table.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <unordered_set>

namespace icts::inventory::cyclonedx {

void* AllocateHugeAligned(size_t bytes) {
  // Mapped with a huge page's worth of slack, then trimmed to an aligned
  // block (`bytes` is a multiple of 2 MiB or rounded up to one).
  const size_t size = (bytes + kHugeBlockBytes - 1) & ~(kHugeBlockBytes - 1);
  void* p = mmap(nullptr, size + kHugeBlockBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(p);
  const uintptr_t aligned = (start + kHugeBlockBytes - 1) & ~uintptr_t{kHugeBlockBytes - 1};
  if (aligned > start) munmap(p, aligned - start);
  const uintptr_t end = aligned + size;
  const uintptr_t mapped_end = start + size + kHugeBlockBytes;
  if (mapped_end > end) munmap(reinterpret_cast<void*>(end), mapped_end - end);
#if defined(MADV_HUGEPAGE)
  madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
#endif
  return reinterpret_cast<void*>(aligned);
}

void FreeHugeAligned(void* p, size_t bytes) {
  const size_t size = (bytes + kHugeBlockBytes - 1) & ~(kHugeBlockBytes - 1);
  munmap(p, size);
}

template <typename H>
int64_t BasicRefTable<H>::Find(uint64_t hash) const {
  if (slots_.empty()) return -1;
  size_t mask = slots_.size() - 1;
  const auto tag = static_cast<uint32_t>(hash >> 32);
  const auto low = static_cast<uint32_t>(hash);
  for (size_t i = Home(hash);; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.index_plus_one == 0) return -1;
    if (slot.tag == tag && low_hashes_[slot.index_plus_one - 1] == low) {
      return static_cast<int64_t>(slot.index_plus_one - 1);
    }
  }
}

template <typename H>
uint64_t BasicRefTable<H>::Prefetch(std::string_view ref) const {
  uint64_t h = Hash(ref);
  if (!slots_.empty()) __builtin_prefetch(&slots_[Home(h)]);
  return h;
}

template <typename H>
void BasicRefTable<H>::Grow() {
  std::vector<Slot, HugePageAllocator<Slot>> old(slots_.empty() ? 1024 : slots_.size() * 2,
                                                 Slot{0, 0});
  old.swap(slots_);
  shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(slots_.size()));
  size_t mask = slots_.size() - 1;
  // A slot's home comes from the upper half of the hash, which the slot
  // holds: the lower halves (by insertion order, loaded at random) are not
  // read, and the slots are written in about the order they are read.
  for (const Slot& s : old) {
    if (s.index_plus_one == 0) continue;
    size_t i = Home(uint64_t{s.tag} << 32);
    while (slots_[i].index_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

template <typename H>
H BasicRefTable<H>::Add(std::string_view ref, uint64_t h, Handle handle,
                        const std::function<bool(Handle)>& same) {
  if (int64_t k = Find(h); k >= 0) {
    // A 64-bit collision between different refs is possible in principle;
    // keep the new ref under a perturbed hash then.
    if (same(handles_[k])) return handles_[k];
    h = Hash(std::string(ref) + "\x01collision");
  }
  if ((handles_.size() + 1) * 8 > slots_.size() * 5) Grow();
  size_t mask = slots_.size() - 1;
  size_t i = Home(h);
  while (slots_[i].index_plus_one != 0) i = (i + 1) & mask;
  slots_[i] = Slot{static_cast<uint32_t>(h >> 32), static_cast<uint32_t>(handles_.size() + 1)};
  handles_.push_back(handle);
  low_hashes_.push_back(static_cast<uint32_t>(h));
  return kNone;
}

template <typename H>
uint32_t BasicRefTable<H>::AddSource(std::string_view from, Handle from_handle) {
  sources_.push_back({Hash(from), from_handle});
  return static_cast<uint32_t>(sources_.size() - 1);
}

template <typename H>
void BasicRefTable<H>::AddEdge(uint32_t source, std::string_view to, Handle to_handle) {
  edges_.push_back({Hash(to), to_handle, source});
}

template <typename H>
std::vector<typename BasicRefTable<H>::Problem> BasicRefTable<H>::Check(
    size_t max_unknown, size_t max_cycles, size_t* unknown_total) const {
  std::vector<Problem> out;
  *unknown_total = 0;
  const size_t n = handles_.size();
  std::vector<uint32_t> offsets(n + 1, 0);
  std::vector<std::pair<uint32_t, uint32_t>> resolved;
  resolved.reserve(edges_.size());
  std::unordered_set<uint64_t> reported;
  auto unknown = [&](uint64_t hash, Handle h) {
    if (!reported.insert(hash).second) return;
    ++*unknown_total;
    if (out.size() < max_unknown) out.push_back({h, false, {}});
  };
  // Entries in order, each followed by its edges. The slots are probed at
  // random: each is loaded a few lookups ahead.
  constexpr size_t kAhead = 8;
  size_t e = 0;
  for (uint32_t s = 0; s < sources_.size(); ++s) {
    if (s + kAhead < sources_.size()) PrefetchHash(sources_[s + kAhead].hash);
    int64_t a = Find(sources_[s].hash);
    if (a < 0) unknown(sources_[s].hash, sources_[s].handle);
    for (; e < edges_.size() && edges_[e].source == s; ++e) {
      if (e + kAhead < edges_.size()) PrefetchHash(edges_[e + kAhead].to);
      int64_t b = Find(edges_[e].to);
      if (b < 0) unknown(edges_[e].to, edges_[e].to_handle);
      if (a >= 0 && b >= 0) {
        resolved.push_back({static_cast<uint32_t>(a), static_cast<uint32_t>(b)});
        ++offsets[a + 1];
      }
    }
  }
  for (size_t i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  std::vector<uint32_t> targets(resolved.size());
  {
    std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (const auto& [a, b] : resolved) targets[fill[a]++] = b;
  }
  // Iterative depth-first search; a grey target closes a cycle.
  enum : uint8_t { kWhite, kGrey, kBlack };
  std::vector<uint8_t> colour(n, kWhite);
  std::vector<std::pair<uint32_t, uint32_t>> stack;  // (node, next edge)
  size_t cycles = 0;
  for (uint32_t root = 0; root < n && cycles < max_cycles; ++root) {
    if (colour[root] != kWhite || offsets[root] == offsets[root + 1]) continue;
    stack.push_back({root, offsets[root]});
    colour[root] = kGrey;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next == offsets[node + 1]) {
        colour[node] = kBlack;
        stack.pop_back();
        continue;
      }
      uint32_t target = targets[next++];
      if (colour[target] == kWhite) {
        colour[target] = kGrey;
        stack.push_back({target, offsets[target]});
      } else if (colour[target] == kGrey && cycles < max_cycles) {
        Problem p{handles_[target], true, {}};
        size_t start = stack.size();
        while (start > 0 && stack[start - 1].first != target) --start;
        for (size_t k = start > 0 ? start - 1 : 0; k < stack.size(); ++k) {
          p.path.push_back(handles_[stack[k].first]);
        }
        p.path.push_back(handles_[target]);
        out.push_back(std::move(p));
        ++cycles;
      }
    }
  }
  return out;
}

template class BasicRefTable<uint32_t>;
template class BasicRefTable<uint64_t>;

}  // namespace icts::inventory::cyclonedx
