// Bookkeeping of bom-refs shared by the CycloneDX readers: duplicate
// detection, dependency edges, unknown refs and dependency cycles, in memory
// proportional to the number of refs and edges (hashes and offsets, not
// copies of the strings). Internal to this folder.
#ifndef ICTS_INVENTORY_CYCLONEDX_REF_TABLE_H_
#define ICTS_INVENTORY_CYCLONEDX_REF_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace icts::inventory::cyclonedx {

// Blocks of 2 MiB or more come from their own mapping, aligned to 2 MiB and
// marked for transparent huge pages (where the system offers them on
// request); smaller ones from the heap. For tables probed at random: with
// 4 KiB pages nearly every probe of a table of several MiB misses the TLB.
void* AllocateHugeAligned(size_t bytes);
void FreeHugeAligned(void* p, size_t bytes);
constexpr size_t kHugeBlockBytes = size_t{2} << 20;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: as std::allocator.
  T* allocate(size_t n) {
    if (n * sizeof(T) < kHugeBlockBytes) return std::allocator<T>().allocate(n);
    return static_cast<T*>(AllocateHugeAligned(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugeBlockBytes) {
      std::allocator<T>().deallocate(p, n);
    } else {
      FreeHugeAligned(p, n * sizeof(T));
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const {
    return false;
  }
};

// `H` is the reader's handle type: 32 bits hold a byte offset into a JSON
// document (at most 4 GiB), the XML reader keeps node pointers.
template <typename H>
class BasicRefTable {
 public:
  // A reader-defined handle that lets the reader find the text of a ref again
  // (a byte offset, a node index …).
  using Handle = H;

  // Adds `ref`. Returns the handle of an earlier equal ref, or kNone.
  // `same` compares `ref` with the ref behind an earlier handle whose hash
  // matched (collisions are resolved by it).
  static constexpr Handle kNone = static_cast<Handle>(~uint64_t{0});
  Handle Add(std::string_view ref, Handle handle, const std::function<bool(Handle)>& same) {
    return Add(ref, Hash(ref), handle, same);
  }
  // The same with Hash(ref) computed by the caller (see Prefetch).
  Handle Add(std::string_view ref, uint64_t hash, Handle handle,
             const std::function<bool(Handle)>& same);

  // A dependency entry: its `ref` must be known. Returns the entry's number
  // for AddEdge.
  uint32_t AddSource(std::string_view from, Handle from_handle);
  // Records the dependency of entry `source` on `to` (hashes only; handles
  // locate them for messages).
  void AddEdge(uint32_t source, std::string_view to, Handle to_handle);

  struct Problem {
    Handle handle;     // Of the unknown ref, or of one ref on the cycle.
    bool cycle;        // false: unknown ref.
    std::vector<Handle> path;  // For cycles: the refs on it, in order.
  };
  // Unknown refs used in dependencies (each distinct one once, in the order
  // first seen), then at most `max_cycles` dependency cycles.
  std::vector<Problem> Check(size_t max_unknown, size_t max_cycles, size_t* unknown_total) const;

  size_t size() const { return handles_.size(); }

  // Starts loading the slot `ref` will probe, for an Add that follows later
  // (the table is large and probed at random). Returns Hash(ref).
  uint64_t Prefetch(std::string_view ref) const;
  // The same for a ref whose Hash() is known.
  void PrefetchHash(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }

  static uint64_t Hash(std::string_view s);

 private:
  // Index into handles_ of the ref with this hash, or -1.
  int64_t Find(uint64_t hash) const;
  void Grow();

  // Open addressing, at most 5/8 full. A slot holds the upper half of the
  // hash (so a probe rarely needs a second cache line) and 1 + the index into
  // handles_ / low_hashes_ (0 = empty): 8 bytes. The lower half of each hash
  // is kept beside its handle; the two halves make the 64-bit hash that
  // identifies a ref.
  struct Slot {
    uint32_t tag;
    uint32_t index_plus_one;
  };
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  std::vector<Handle> handles_;  // By insertion order.
  std::vector<uint32_t> low_hashes_;
  // Dependency entries and their edges, in the order read (the edges of an
  // entry follow it).
  struct Source {
    uint64_t hash;
    Handle handle;
  };
  struct Edge {
    uint64_t to;
    Handle to_handle;
    uint32_t source;
  };
  std::vector<Source> sources_;
  std::vector<Edge> edges_;
};

using RefTable = BasicRefTable<uint64_t>;
using CompactRefTable = BasicRefTable<uint32_t>;

}  // namespace icts::inventory::cyclonedx

#endif  // ICTS_INVENTORY_CYCLONEDX_REF_TABLE_H_
