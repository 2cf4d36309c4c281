// Bookkeeping of bom-refs shared by the CycloneDX readers: duplicate
// detection, dependency edges, unknown refs and dependency cycles, in memory
// proportional to the number of refs and edges (hashes and offsets, not
// copies of the strings). Internal to this folder.
#ifndef ICTS_INVENTORY_CYCLONEDX_REF_TABLE_H_
#define ICTS_INVENTORY_CYCLONEDX_REF_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
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
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(hash)]);
  }

  // Never 0. Inlined where refs are read: every bom-ref and dependency ref
  // is hashed once, and std::hash (an out-of-line call, 8 bytes per step)
  // was about a sixth of the table's time on a 1 GB document. Nothing but
  // this table's probes and comparisons depends on the values.
  static uint64_t Hash(std::string_view s) {
    const uint64_t h = HashBytes(s.data(), s.size());
    return h == 0 ? 1 : h;
  }

 private:
  // A 64-bit hash in the manner of wyhash: 16 bytes per step, each mixed by
  // a full 64 x 64 -> 128-bit multiply.
  static uint64_t Mix(uint64_t a, uint64_t b) {
#if defined(__SIZEOF_INT128__)
    __extension__ using U128 = unsigned __int128;
    const U128 r = static_cast<U128>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
#else
    const uint64_t al = a & 0xffffffff, ah = a >> 32, bl = b & 0xffffffff, bh = b >> 32;
    const uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    const uint64_t mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
    const uint64_t lo = (mid << 32) | (ll & 0xffffffff);
    const uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return lo ^ hi;
#endif
  }
  static uint64_t Load8(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static uint64_t HashBytes(const char* p, size_t n) {
    constexpr uint64_t k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
    uint64_t h = k2;
    uint64_t a = 0, b = 0;
    if (n <= 16) {
      if (n >= 8) {
        a = Load8(p);
        b = Load8(p + n - 8);
      } else if (n >= 4) {
        uint32_t x, y;
        std::memcpy(&x, p, 4);
        std::memcpy(&y, p + n - 4, 4);
        a = x;
        b = y;
      } else if (n > 0) {
        a = (uint64_t{static_cast<uint8_t>(p[0])} << 16) |
            (uint64_t{static_cast<uint8_t>(p[n >> 1])} << 8) | static_cast<uint8_t>(p[n - 1]);
      }
    } else {
      size_t i = n;
      while (i > 16) {
        h = Mix(Load8(p) ^ k1, Load8(p + 8) ^ h);
        p += 16;
        i -= 16;
      }
      a = Load8(p + i - 16);
      b = Load8(p + i - 8);
    }
    return Mix(k1 ^ n, Mix(a ^ k1, b ^ h));
  }
  // The slot where the ref with this hash is looked for first: the top
  // bits of the hash (its upper half, for tables of up to 2^32 slots).
  size_t Home(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }
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
  unsigned shift_ = 63;          // 64 - log2(slots_.size()) once there are slots.
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
