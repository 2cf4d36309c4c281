// CycloneDX JSON reader on simdjson On-Demand.
//
// Input bytes: simdjson needs SIMDJSON_PADDING readable bytes after the end
// of what it parses. A file is mapped privately (PrivateMapping); the slack
// after its end up to the page boundary is readable, so a document is parsed
// where it lies whenever that slack is enough. Otherwise (a buffer that ends
// flush with its allocation) it is copied once into a padded buffer that the
// thread keeps and reuses. Larger documents are parsed in bounded windows: a
// SIMD scan (json_text.h) splits the big top-level arrays (components,
// services, dependencies) into windows of whole elements; the rest of the
// document (the "skeleton", with those arrays emptied) is parsed once, and
// each window is parsed on its own as "[elements]". In a file mapping the
// window is parsed in place: the ',' before its first element and the one
// after its last are turned into '[' and ']' (copy-on-write, two pages per
// window) and restored right after. A read-only buffer has its windows copied
// into a reused buffer instead. Memory is the mapping plus one window's parser
// (and buffer) plus the ref table.
//
// On a machine with more than one core, the windows of an array are parsed by
// the calling thread and one helper thread (ReadWindowsInParallel): each
// window is copied (neighbouring windows would patch the same comma, and the
// input is never written while two threads read it), the helper records what
// it reads into a WindowLog, and the calling thread replays the logs in
// document order, doing everything that depends on order itself (bom-ref
// registration, the sink, the licence-mix check, the first error). A read
// gives the same items, relations, warnings and error either way.
//
// Components and services nested in `components` / `services` are walked
// with an explicit stack (Node frames below), not by recursion.
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

// Nested lambdas below deliberately reuse the names `key`, `fv`, `index`, `ev`.
#pragma GCC diagnostic ignored "-Wshadow"

#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/file.h"
#include "inventory/cyclonedx/cyclonedx.h"
#include "inventory/cyclonedx/json_text.h"
#include "inventory/cyclonedx/json_windowing.h"
#include "inventory/cyclonedx/ref_table.h"
#include "inventory/cyclonedx/schema_checks.h"

namespace icts::inventory {
namespace {

namespace od = simdjson::ondemand;
// Handles are byte offsets into the document (at most 4 GiB).
using RefTable = cyclonedx::CompactRefTable;

constexpr size_t kMaxString = size_t{1} << 20;
// Documents from 4 MB on are read in windows of about 1 MB, or 256 KB when
// two threads read (JsonWindowing): a small window keeps the parser's
// structural index and string buffer in cache and bounds its memory, at the
// cost of one iterate() per window.
cyclonedx::JsonWindowing g_windowing;
constexpr size_t kWindowBytes = size_t{1} << 20;
// Windows parsed ahead of the one being delivered, at most (two threads).
// With three, a thread that finished a window often found every slot taken
// and slept until the other had delivered one (a futex wait and a wake per
// few windows: about 3 % of the CPU time of a 1 GB read); a fourth slot
// makes that rare, for one more window of items held.
constexpr size_t kWindowSlots = 4;

// Threads that read a windowed document: two when the machine has more than
// one core.
unsigned DefaultThreads() {
  static const unsigned threads = std::thread::hardware_concurrency() > 1 ? 2 : 1;
  return threads;
}
constexpr int kMaxDetachedDepth = 64;  // Pedigree components and similar.
// Nesting of components in components (each level is three JSON levels).
constexpr size_t kMaxItemNesting = 100000;
constexpr size_t kMaxJsonDepth = 3 * kMaxItemNesting + 64;
constexpr size_t kMaxWarnings = 20;

// A parse buffer with SIMDJSON_PADDING spare bytes, reused across calls on
// one thread (so its pages are faulted once).
struct PaddedBuffer {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
  size_t size = 0;
  void Reserve(size_t n) {
    if (n + simdjson::SIMDJSON_PADDING <= capacity) return;
    // Windows differ a little in size: an eighth of slack keeps a slightly
    // larger one from reallocating (and faulting fresh pages), without the
    // doubling that would cost a window's size in resident memory.
    size_t cap = n + simdjson::SIMDJSON_PADDING + n / 8;
    data.reset(new char[cap]);
    capacity = cap;
  }
};

// Text kept by a WindowLog: a range of the input (a string without escapes,
// which reads the same there) or of the log's own arena.
struct TextRef {
  uint32_t offset = 0;
  uint32_t size = 0;
  bool in_arena = false;
};

// The string and list members of Item (ResetItem clears the strings; the
// lists' elements are reused and trimmed when the item closes, FinishNode).
constexpr std::string Item::*kItemStrings[] = {
    &Item::ref,      &Item::kind,     &Item::type,        &Item::group,     &Item::name,
    &Item::version,  &Item::description, &Item::purl,     &Item::model,     &Item::mac,
    &Item::serial,   &Item::location, &Item::sector,      &Item::provider,  &Item::region,
    &Item::file,     &Item::pointer,  &Item::parent_ref};
constexpr std::vector<std::string> Item::*kItemLists[] = {&Item::cpes, &Item::hashes, &Item::tags,
                                                          &Item::data_categories};
enum ItemList { kCpes, kHashes, kTags, kDataCategories };
constexpr std::string OrgRef::*kOrgStrings[] = {&OrgRef::role, &OrgRef::name, &OrgRef::country,
                                                &OrgRef::url,  &OrgRef::email, &OrgRef::pointer};
static_assert(sizeof(Item) == 18 * sizeof(std::string) + 6 * sizeof(std::vector<std::string>) +
                                  sizeof(int64_t) + sizeof(uint64_t),
              "Item changed: update kItemStrings, kItemLists and ResetItem");
static_assert(sizeof(OrgRef) == 6 * sizeof(std::string), "OrgRef changed: update kOrgStrings");

// Empties every string of `org` but its pointer (which every reader of an
// org sets first), keeping their capacity.
inline void ClearOrg(OrgRef* org) {
  for (auto member : kOrgStrings) {
    if (member != &OrgRef::pointer) (org->*member).clear();
  }
}

// Exchanges the contents of `a` and `b` member by member (std::swap would
// move whole items three times, and a vector moved to frees its storage).
void SwapItems(Item* a, Item* b) {
  for (auto member : kItemStrings) (a->*member).swap(b->*member);
  for (auto member : kItemLists) (a->*member).swap(b->*member);
  a->orgs.swap(b->orgs);
  a->properties.swap(b->properties);
  std::swap(a->count, b->count);
  std::swap(a->depth, b->depth);
}

// What reading one window produced, in document order, when windows are
// parsed on two threads: the items, and the steps that must happen in
// document order on the delivering thread (bom-refs registered, items and
// relations handed to the sink, the licence-mix check), then the window's
// first error, if any. Replaying it does what reading the window directly
// would have done.
struct WindowLog {
  enum Kind : uint8_t { kRegister, kEmit, kDependency, kLicenseMix };
  struct Event {
    Kind kind;
    uint32_t index;  // kEmit: index of the item in items; kDependency:
                     // first of its targets.
    uint32_t count;  // kDependency: number of targets.
    TextRef text;    // kRegister: the bom-ref; kDependency: its ref;
                     // kLicenseMix: the expression's pointer.
    TextRef pointer;  // kRegister: the item's pointer.
    uint64_t hash;    // kRegister: RefTable::Hash of the bom-ref.
    size_t offset;    // kRegister, kDependency: input offset of the ref.
  };
  struct Target {
    TextRef ref;
    size_t offset;
    bool provides;
  };
  // The window's items, [0, items_used): the reading thread swaps each
  // item it emits with one of these, and the delivering thread passes them
  // to the sink, so neither thread copies them. Kept across windows: a
  // frame that gets one by the swap reuses its storage (or what the sink
  // left of it) for its next item.
  std::vector<Item> items;
  size_t items_used = 0;
  std::vector<Event> events;
  std::vector<Target> targets;
  std::string arena;
  Status status;  // The first error met reading the window.
  // When that error is a syntax error: its input offset and message (the
  // line and column are counted when the log is replayed).
  size_t syntax_offset = std::string_view::npos;
  std::string syntax_message;
  size_t elements = 0;  // Array elements read.

  void Clear() {
    items_used = 0;
    events.clear();
    targets.clear();
    arena.clear();
    status = Status::Ok();
    syntax_offset = std::string_view::npos;
    syntax_message.clear();
    elements = 0;
  }
  TextRef Keep(std::string_view text) {
    TextRef ref{static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(text.size()), true};
    arena.append(text);
    return ref;
  }
};

struct ThreadState {
  od::parser main_parser;
  od::parser window_parser;
  PaddedBuffer main_buffer;
  PaddedBuffer window_buffer;
  // Logs of windows in flight (used by the delivering thread's reads).
  std::array<WindowLog, kWindowSlots> logs;
  // The window parser and buffer of the helper thread of this thread's
  // reads: kept here, so that they are allocated (and their pages faulted)
  // once and not by every read's new helper thread.
  std::unique_ptr<ThreadState> helper;
};

ThreadState& State() {
  static thread_local ThreadState state;
  return state;
}

// Maps an offset in a parse buffer back to the input: a list of pieces, each
// either copied from the input at `input` or synthetic (input == npos).
struct BufferMap {
  const char* base = nullptr;
  size_t size = 0;
  struct Piece {
    size_t buffer_offset;
    size_t input;
  };
  std::vector<Piece> pieces;  // Sorted by buffer_offset.
  bool Contains(const char* p) const { return p >= base && p <= base + size; }
  size_t ToInput(const char* p) const {
    size_t off = static_cast<size_t>(p - base);
    size_t best = 0;
    for (const Piece& piece : pieces) {
      if (piece.buffer_offset > off) break;
      if (piece.input != std::string_view::npos) best = piece.input + (off - piece.buffer_offset);
    }
    return best;
  }
};

std::string_view ErrorText(simdjson::error_code e) {
  switch (e) {
    case simdjson::UNCLOSED_STRING: return "unterminated string";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::UNESCAPED_CHARS: return "control character inside a string";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "truncated input: unclosed object or array";
    case simdjson::EMPTY: return "empty document";
    case simdjson::STRING_ERROR: return "invalid string escape";
    case simdjson::NUMBER_ERROR: return "invalid number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "invalid literal";
    case simdjson::TRAILING_CONTENT: return "unexpected content after the document";
    default: return simdjson::error_message(e);
  }
}

// The length of the string body at `p` (just after its opening quote) up to
// the closing quote, or npos when a backslash comes first (the string has
// escapes and must be unescaped). The parse buffer is padded and the string
// is closed (stage 1 checked), so reading 16 bytes at a time stays inside it.
__attribute__((always_inline)) inline size_t PlainStringLength(const char* p) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (size_t n = 0;; n += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n));
    auto q = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
    auto b = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)));
    if ((q | b) == 0) continue;
    unsigned first = static_cast<unsigned>(__builtin_ctz(q | b));
    if ((b >> first) & 1) return std::string_view::npos;
    return n + first;
  }
#else
  for (size_t n = 0;; ++n) {
    if (p[n] == '"') return n;
    if (p[n] == '\\') return std::string_view::npos;
  }
#endif
}

// Replaces `out` with `s`, keeping its capacity. `s` must not point into
// `out`: clear + append skips the aliasing checks of assign.
// `flatten`: append is inlined (with the path that grows the string).
__attribute__((flatten)) inline void SetString(std::string* out, std::string_view s) {
  out->clear();
  out->append(s.data(), s.size());
}

// The unescaped key of `field` (a key with escapes, which is rare).
__attribute__((noinline)) simdjson::error_code UnescapedFieldKey(od::field& field,
                                                                 std::string_view* key) {
  return field.unescaped_key().get(*key);
}

// The key of `field`: its raw bytes when it has no escapes (as good as
// always), else the unescaped key.
__attribute__((always_inline)) inline simdjson::error_code FieldKey(od::field& field,
                                                                    std::string_view* key) {
  const char* raw = field.key().raw();
  size_t n = PlainStringLength(raw);
  if (__builtin_expect(n != std::string_view::npos, 1)) {
    *key = std::string_view(raw, n);
    return simdjson::SUCCESS;
  }
  return UnescapedFieldKey(field, key);
}

// Member keys of components and services that the reader looks at.
enum class ItemKey : uint8_t {
  kOther, kBomRef, kName, kGroup, kVersion, kDescription, kProperties, kTags, kType, kPurl,
  kCpe, kHashes, kSupplier, kManufacturer, kPublisher, kAuthor, kAuthors, kScope, kLicenses,
  kSwid, kPedigree, kVersionRange, kIsExternal, kComponents, kServices, kProvider, kData
};

// Equality of two strings of the same length `n` (3..16) with at most four
// loads, all inside both strings.
inline bool SameShortBytes(const char* a, const char* b, size_t n) {
  auto load8 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8) return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  return a[0] == b[0] && a[1] == b[1] && a[n - 1] == b[n - 1];  // n == 3
}

// A perfect hash of the keys of ItemKey (checked when the table is built):
// one table probe and one comparison per key.
inline size_t ItemKeySlot(std::string_view k) {
  return (k.size() * 2 + static_cast<unsigned char>(k[0]) + static_cast<unsigned char>(k.back()) +
          6 * static_cast<unsigned char>(k[1])) &
         63;
}

struct ItemKeyEntry {
  std::string_view key;
  ItemKey id = ItemKey::kOther;
};

const std::array<ItemKeyEntry, 64>& ItemKeyTable() {
  static const std::array<ItemKeyEntry, 64> table = [] {
    const ItemKeyEntry entries[] = {
        {"cpe", ItemKey::kCpe},           {"name", ItemKey::kName},
        {"type", ItemKey::kType},         {"purl", ItemKey::kPurl},
        {"tags", ItemKey::kTags},         {"swid", ItemKey::kSwid},
        {"data", ItemKey::kData},         {"group", ItemKey::kGroup},
        {"scope", ItemKey::kScope},       {"hashes", ItemKey::kHashes},
        {"author", ItemKey::kAuthor},     {"bom-ref", ItemKey::kBomRef},
        {"version", ItemKey::kVersion},   {"authors", ItemKey::kAuthors},
        {"supplier", ItemKey::kSupplier}, {"licenses", ItemKey::kLicenses},
        {"pedigree", ItemKey::kPedigree}, {"services", ItemKey::kServices},
        {"provider", ItemKey::kProvider}, {"publisher", ItemKey::kPublisher},
        {"components", ItemKey::kComponents}, {"properties", ItemKey::kProperties},
        {"isExternal", ItemKey::kIsExternal}, {"description", ItemKey::kDescription},
        {"manufacturer", ItemKey::kManufacturer}, {"versionRange", ItemKey::kVersionRange},
    };
    std::array<ItemKeyEntry, 64> t{};
    for (const ItemKeyEntry& e : entries) {
      ItemKeyEntry& slot = t[ItemKeySlot(e.key)];
      if (slot.id != ItemKey::kOther) std::abort();  // Not a perfect hash any more.
      slot = e;
    }
    return t;
  }();
  return table;
}

inline ItemKey ClassifyItemKey(std::string_view k) {
  if (k.size() < 3 || k.size() > 16) return ItemKey::kOther;
  static const std::array<ItemKeyEntry, 64>& table = ItemKeyTable();
  const ItemKeyEntry& e = table[ItemKeySlot(k)];
  if (e.key.size() != k.size() || !SameShortBytes(k.data(), e.key.data(), k.size())) {
    return ItemKey::kOther;
  }
  return e.id;
}

// One component or service being read.
struct Node {
  Item item;
  bool is_service = false;
  od::object_iterator it, end;
  bool has_type = false, has_name = false, has_ref = false;
  bool has_version = false, has_version_range = false, is_external = false;
  size_t ref_offset = 0;
  uint64_t ref_hash = 0;  // RefTable::Hash of the bom-ref.
  // Children (nested components/services) being walked.
  bool in_children = false;
  bool children_are_services = false;
  od::array_iterator child_it, child_end;
  size_t child_index = 0;
  std::string children_pointer;
  // Children that closed before this node's bom-ref was read.
  std::vector<Item> pending;
  // item.orgs[0, orgs_used) are this item's; the rest are left from an
  // earlier item and reused in place (trimmed when the item closes).
  size_t orgs_used = 0;
  // The same for item.properties, and for the lists of kItemLists (cpes,
  // hashes, tags, data categories) by their index there.
  size_t properties_used = 0;
  size_t lists_used[4] = {};
};

// A JSON pointer built only when a message needs it: a base string plus a
// chain of parents on the call stack. A Ptr must not outlive what it extends.
class Ptr {
 public:
  Ptr(const std::string& s) : base_(s) {}  // NOLINT: implicit by design.
  Ptr(const char* s) : base_(s) {}         // NOLINT
  explicit Ptr(std::string_view s) : base_(s) {}
  Ptr(const Ptr& parent, std::string_view key) : parent_(&parent), key_(key), leaf_(kKey) {}
  Ptr(const Ptr& parent, size_t index) : parent_(&parent), index_(index), leaf_(kIndex) {}
  Ptr(std::string_view base, std::string_view key) : base_(base), key_(key), leaf_(kKey) {}
  Ptr(std::string_view base, size_t index) : base_(base), index_(index), leaf_(kIndex) {}
  // `key` has neither '~' nor '/' (a key the reader knows), so it needs no
  // escaping check when the pointer is built.
  struct PlainKey {};
  Ptr(std::string_view base, std::string_view key, PlainKey)
      : base_(base), key_(key), leaf_(kKey), plain_key_(true) {}
  std::string str() const {
    std::string out;
    AppendTo(&out);
    return out;
  }
  // Appends the pointer to `out` (no temporary strings).
  void AppendTo(std::string* out) const {
    if (parent_ != nullptr) {
      parent_->AppendTo(out);
    } else {
      out->append(base_);
    }
    if (leaf_ == kNone) return;
    out->push_back('/');
    if (leaf_ == kIndex) {
      char digits[24];
      auto end = std::to_chars(digits, digits + sizeof(digits), index_).ptr;
      out->append(digits, end);
      return;
    }
    bool plain = plain_key_;
    if (!plain) {
      plain = true;
      for (char c : key_) plain &= c != '~' && c != '/';
    }
    if (plain) {
      out->append(key_);
      return;
    }
    for (char c : key_) {
      if (c == '~') {
        out->append("~0");
      } else if (c == '/') {
        out->append("~1");
      } else {
        out->push_back(c);
      }
    }
  }
  // Replaces `out` with the pointer, keeping its capacity.
  void AssignTo(std::string* out) const {
    const bool plain_leaf = leaf_ == kIndex || (leaf_ == kKey && plain_key_);
    const bool base_in_out =
        base_.data() >= out->data() && base_.data() <= out->data() + out->capacity();
    if (parent_ != nullptr || !plain_leaf || base_in_out) {
      out->clear();
      AppendTo(out);
      return;
    }
    // A string and one plain step (the pointers of items and orgs): sized
    // once and copied, instead of three appends.
    char digits[24];
    std::string_view leaf = key_;
    if (leaf_ == kIndex) {
      const char* end = std::to_chars(digits, digits + sizeof(digits), index_).ptr;
      leaf = std::string_view(digits, static_cast<size_t>(end - digits));
    }
    out->resize(base_.size() + 1 + leaf.size());
    char* d = out->data();
    std::memcpy(d, base_.data(), base_.size());
    d[base_.size()] = '/';
    std::memcpy(d + base_.size() + 1, leaf.data(), leaf.size());
  }

 private:
  enum Leaf { kNone, kKey, kIndex };
  const Ptr* parent_ = nullptr;
  std::string_view base_;
  std::string_view key_;
  size_t index_ = 0;
  Leaf leaf_ = kNone;
  bool plain_key_ = false;
};

// Children of a Ptr (which must outlive the result) or of a string.
inline Ptr Child(const Ptr& parent, std::string_view key) { return Ptr(parent, key); }
inline Ptr Child(const Ptr& parent, size_t index) { return Ptr(parent, index); }
inline Ptr Child(const std::string& base, std::string_view key) { return Ptr(std::string_view(base), key); }
inline Ptr Child(const std::string& base, size_t index) { return Ptr(std::string_view(base), index); }
// A child of `base` whose key has neither '~' nor '/'.
inline Ptr PlainChild(const std::string& base, std::string_view key) {
  return Ptr(std::string_view(base), key, Ptr::PlainKey{});
}

class JsonReader {
 public:
  // `writable`, when not null, is `data` itself, which the reader may
  // patch (and restores); `slack` bytes after the end of `data` are readable.
  JsonReader(std::string_view data, char* writable, size_t slack, const std::string& name,
             ItemSink* sink)
      : data_(data),
        writable_(writable),
        slack_(slack),
        name_(name),
        sink_(sink),
        wanted_(sink->WantedFields()),
        windowing_(g_windowing) {
    info_.file = name;
    info_.format = "cyclonedx-json";
  }
  // A reader for windows of `parent`'s document, to run on another thread:
  // it shares the input and the settings, records what it reads into
  // WindowLogs (log_) and never touches the sink or the bom-ref table.
  struct WindowHelper {};
  JsonReader(const JsonReader& parent, WindowHelper)
      : data_(parent.data_),
        name_(parent.name_),
        sink_(nullptr),
        wanted_(parent.wanted_),
        windowing_(parent.windowing_) {
    minor_ = parent.minor_;
    main_map_ = parent.main_map_;
  }

  Status Run();

 private:
  // --- Errors ---
  Status At(const Ptr& pointer, std::string_view message) const {
    std::string text = pointer.str();
    return InvalidArgumentError(fmt::format("{}: {}: {}", name_, text.empty() ? "/" : text,
                                            message));
  }
  Status SyntaxAtInput(size_t input_offset, std::string_view message) const {
    if (log_ != nullptr) {
      // Counted by the delivering thread when it replays the log (Replay):
      // it may be patching bytes of the input now (see ParseWindow).
      log_->syntax_offset = input_offset;
      log_->syntax_message.assign(message);
      return InvalidArgumentError("JSON syntax error");
    }
    LineCol lc = LineColAt(data_, std::min(input_offset, data_.size()));
    return InvalidArgumentError(
        fmt::format("{}:{}:{}: JSON syntax error: {}", name_, lc.line, lc.column, message));
  }
  size_t InputOffset(const char* p) const {
    if (window_map_.Contains(p)) return window_map_.ToInput(p);
    return main_map_.ToInput(p);
  }
  // Turns a simdjson error met while reading the value at `pointer` into a
  // Status: a type error names the pointer, anything else is a syntax error
  // at the parser's position.
  Status Fail(simdjson::error_code e, const Ptr& pointer, std::string_view expected) {
    if (e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE) {
      return At(pointer, fmt::format("expected {}", expected));
    }
    const char* loc = nullptr;
    if (current_doc_ != nullptr && !current_doc_->current_location().get(loc) && loc != nullptr) {
      return SyntaxAtInput(InputOffset(loc), ErrorText(e));
    }
    return SyntaxAtInput(data_.size(), ErrorText(e));
  }

  // --- Values ---
  // A string value: a view of the input when it has no escapes, else of
  // the parser's string buffer; either stays valid while the document
  // (window) is read.
  __attribute__((always_inline)) Status GetString(od::value& v, const Ptr& pointer,
                                                 std::string_view* out) {
    std::string_view raw = v.raw_json_token();
    size_t n = std::string_view::npos;
    if (!raw.empty() && raw[0] == '"') n = PlainStringLength(raw.data() + 1);
    if (n != std::string_view::npos) {
      *out = std::string_view(raw.data() + 1, n);
    } else if (auto e = v.get_string().get(*out)) {
      return Fail(e, pointer, "a string");
    }
    if (out->size() > kMaxString) {
      return At(pointer, fmt::format("string of {} bytes exceeds the limit of {} bytes",
                                     out->size(), kMaxString));
    }
    return Status::Ok();
  }
  __attribute__((always_inline)) Status CopyString(od::value& v, const Ptr& pointer,
                                                  std::string* out) {
    std::string_view s;
    ICTS_RETURN_IF_ERROR(GetString(v, pointer, &s));
    SetString(out, s);  // `s` never points into `out`.
    return Status::Ok();
  }
  // A string value and the input offset of its first character.
  Status GetRefString(od::value& v, const Ptr& pointer, std::string_view* out,
                      size_t* input_offset) {
    const char* loc = nullptr;
    if (v.current_location().get(loc) || loc == nullptr) {
      return Fail(simdjson::TAPE_ERROR, pointer, "a string");
    }
    *input_offset = InputOffset(loc) + 1;
    return GetString(v, pointer, out);
  }


  // Calls fn(key, value) for each member of the object `v`; stops at the
  // first error.
  template <typename Fn>
  Status ForFields(od::value& v, const Ptr& pointer, Fn&& fn) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail(e, pointer, "an object");
    for (auto field_result : obj) {
      // Used in place (see ReadItemArray).
      if (auto e = field_result.error()) return Fail(e, pointer, "an object");
      od::field& field = field_result.value_unsafe();
      std::string_view key;
      if (auto e = FieldKey(field, &key)) return Fail(e, pointer, "an object");
      ICTS_RETURN_IF_ERROR(fn(key, field.value()));
    }
    return Status::Ok();
  }
  // Calls fn(index, value) for each element of the array `v`.
  template <typename Fn>
  Status ForElements(od::value& v, const Ptr& pointer, Fn&& fn) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return Fail(e, pointer, "an array");
    size_t index = 0;
    for (auto element_result : arr) {
      if (auto e = element_result.error()) return Fail(e, pointer, "an array");
      ICTS_RETURN_IF_ERROR(fn(index, element_result.value_unsafe()));
      ++index;
    }
    return Status::Ok();
  }

  // --- Document parts ---
  Status AllocateParser(od::parser* parser, size_t size);
  Status ReadDocument(od::document& doc);
  Status ReadRoot(od::document& doc);
  Status ReadMetadata(od::value& v);
  Status ReadOrg(od::value& v, std::string_view role, const Ptr& pointer, OrgRef* org);
  Status ReadContacts(od::value& v, std::string_view role, const Ptr& pointer,
                      std::vector<OrgRef>* out, size_t* used = nullptr);
  Status ReadItemArray(od::value& v, const Ptr& pointer, bool services,
                       size_t index_offset);
  Status ReadItemWindows(const cyclonedx::ArraySplit& split, bool services);
  struct WindowBounds {
    size_t begin = 0;  // First byte of its first element (== to: no element).
    size_t to = 0;     // Just after its last element.
    size_t open = 0;   // The '[' or ',' before `begin`.
    size_t close = 0;  // The ']' or ',' after `to`; npos when there is none.
    const char* error = nullptr;  // A syntax error at its bounds, at error_at.
    size_t error_at = 0;
  };
  WindowBounds Bounds(const cyclonedx::ArraySplit& split, size_t w) const;
  Status ParseWindow(const cyclonedx::ArraySplit& split, size_t w, size_t first_index,
                     bool services, bool in_place, size_t* elements,
                     const WindowBounds* bounds = nullptr);
  Status ReadWindowsInParallel(const cyclonedx::ArraySplit& split, bool services);
  Status Replay(WindowLog& log);
  // `text` (valid while the current window is read) as kept by log_.
  TextRef KeepText(std::string_view text) {
    const char* p = text.data();
    if (window_map_.Contains(p) && p > window_map_.base &&
        p + text.size() < window_map_.base + window_map_.size) {
      // Inside the window's bytes (a string without escapes): the same
      // bytes are in the input.
      return {static_cast<uint32_t>(InputOffset(p)), static_cast<uint32_t>(text.size()), false};
    }
    return log_->Keep(text);
  }
  std::string_view TextOf(const WindowLog& log, TextRef ref) const {
    return ref.in_arena ? std::string_view(log.arena).substr(ref.offset, ref.size)
                        : data_.substr(ref.offset, ref.size);
  }
  Status StartNode(od::value& v, const Ptr& pointer, bool services, uint32_t depth);
  void ResetItem(Item* item);
  std::string TakeString();
  std::string& NextListString(Node& node, ItemList list);
  OrgRef& NewOrg(std::vector<OrgRef>* out, size_t* used = nullptr);
  // False on an error, which is left in field_error_: returning a Status
  // (through memory) for every member of every component was about 0.7 %
  // of a read's instructions.
  bool HandleField(Node& node, std::string_view key, ItemKey id, od::value& v, int detached_depth);
  Status HandleFieldStatus(Node& node, std::string_view key, ItemKey id, od::value& v,
                           int detached_depth);
  Status FinishNode(Node& node, bool detached);
  Status ReadDetached(od::value& v, const Ptr& pointer, int depth);
  Status ReadHashes(od::value& v, const Ptr& pointer, Node* node);
  Status ReadLicenses(od::value& v, const Ptr& pointer);
  Status ReadLicense(od::value& v, const Ptr& pointer);
  Status ReadProperties(od::value& v, const Ptr& pointer, Item* item, size_t* used = nullptr);
  Status ReadStrings(od::value& v, const Ptr& pointer, Node& node, ItemList list);
  Status ReadPedigree(od::value& v, const Ptr& pointer, int depth);
  Status ReadSwid(od::value& v, const Ptr& pointer);
  Status ReadServiceData(od::value& v, const Ptr& pointer, Node& node);
  Status ReadDependencies(od::value& v, const Ptr& pointer, size_t index_offset);
  Status ReadDependency(od::value& v, const Ptr& pointer);
  Status ReadCitations(od::value& v, const Ptr& pointer);
  Status Emit(Item&& item);
  Status RegisterRef(std::string_view ref, uint64_t hash, size_t input_offset, const Ptr& pointer);
  Status Finish();

  // Undoes the bytes a window parsed in place changed (see ReadItemWindows).
  void Unpatch() {
    for (Patch& patch : patches_) {
      if (patch.at != nullptr) *patch.at = patch.saved;
      patch.at = nullptr;
    }
  }

  std::string_view data_;
  char* writable_ = nullptr;
  size_t slack_ = 0;
  struct Patch {
    char* at = nullptr;
    char saved = 0;
  };
  Patch patches_[2];
  std::string name_;
  ItemSink* sink_;
  const uint32_t wanted_;  // ItemField bits the sink wants.
  const cyclonedx::JsonWindowing windowing_;
  // Threads that read the windows of this document.
  const unsigned threads_ = data_.size() < windowing_.two_thread_threshold ? 1
                            : windowing_.threads != 0                       ? windowing_.threads
                                                                            : DefaultThreads();
  // When not null, what a window's reading must do in document order is
  // recorded here instead of done (windows parsed on two threads).
  WindowLog* log_ = nullptr;
  // Parser and buffer for windows, when not this thread's State().
  ThreadState* state_ = nullptr;
  DocumentInfo info_;
  int minor_ = 0;
  bool has_format_ = false;
  std::string license_mix_pointer_;
  std::string last_license_id_;  // The last licence id found on the SPDX list.  // An expression beside other entries (invalid before 1.7).
  RefTable refs_;
  // Frames of the components being read: stack_[0, depth_). Frames above
  // depth_ are kept (with the capacity of their strings) for reuse.
  std::vector<Node> stack_;
  size_t depth_ = 0;
  std::string pointer_scratch_;
  // Strings, orgs and properties of items the sink left in place, reused
  // for the next items so that steady-state reading allocates little.
  std::vector<std::string> spare_strings_;
  std::vector<OrgRef> spare_orgs_;
  std::vector<std::pair<std::string, std::string>> spare_properties_;
  struct DependencyTarget {
    std::string_view ref;
    size_t offset;
    bool provides;
  };
  std::vector<DependencyTarget> dependency_targets_;
  BufferMap main_map_, window_map_;
  od::document* current_doc_ = nullptr;
  Status field_error_;  // See HandleField.
  std::vector<cyclonedx::ArraySplit> splits_;
  size_t last_array_count_ = 0;  // Elements read by the last ReadItemArray / ReadDependencies.
};


Status JsonReader::Run() {
  if (data_.size() > simdjson::SIMDJSON_MAXSIZE_BYTES - simdjson::SIMDJSON_PADDING) {
    return InvalidArgumentError(
        fmt::format("{}: {} bytes is larger than the 4 GiB this reader accepts", name_,
                    data_.size()));
  }
  ThreadState& st = State();
  PaddedBuffer& buf = st.main_buffer;
  main_map_ = BufferMap{};
  if (data_.size() >= windowing_.threshold) {
    // Two threads hold two windows' parsers and a few windows' items: their
    // windows are a quarter of the size, for about the same memory.
    size_t window_bytes = windowing_.window_bytes;
    if (window_bytes == 0) window_bytes = threads_ > 1 ? kWindowBytes / 4 : kWindowBytes;
    cyclonedx::ScanResult scan =
        cyclonedx::ScanTopLevelArrays(data_, window_bytes, windowing_.min_array_bytes, threads_);
    if (!scan.ok) return SyntaxAtInput(scan.error_offset, scan.error);
    for (auto& split : scan.arrays) {
      if (split.key == "components" || split.key == "services" || split.key == "dependencies") {
        splits_.push_back(std::move(split));
      }
    }
  }
  od::document doc;
  if (splits_.empty() && slack_ >= simdjson::SIMDJSON_PADDING) {
    // The whole document, where it lies.
    main_map_.base = data_.data();
    main_map_.size = data_.size();
    main_map_.pieces.push_back({0, 0});
    ICTS_RETURN_IF_ERROR(AllocateParser(&st.main_parser, data_.size()));
    if (auto e = st.main_parser.iterate(data_.data(), data_.size(), data_.size() + slack_)
                     .get(doc)) {
      return SyntaxAtInput(data_.size(), ErrorText(e));
    }
    return ReadDocument(doc);
  }
  // The skeleton: the input with the interiors of split arrays left out.
  size_t skeleton_size = data_.size();
  for (const auto& split : splits_) skeleton_size -= split.close - split.open - 1;
  buf.Reserve(skeleton_size);
  size_t at = 0, from = 0;
  for (const auto& split : splits_) {
    size_t len = split.open + 1 - from;
    std::memcpy(buf.data.get() + at, data_.data() + from, len);
    main_map_.pieces.push_back({at, from});
    at += len;
    from = split.close;
  }
  std::memcpy(buf.data.get() + at, data_.data() + from, data_.size() - from);
  main_map_.pieces.push_back({at, from});
  at += data_.size() - from;
  buf.size = at;
  main_map_.base = buf.data.get();
  main_map_.size = at;

  ICTS_RETURN_IF_ERROR(AllocateParser(&st.main_parser, buf.size));
  if (auto e = st.main_parser.iterate(buf.data.get(), buf.size, buf.capacity).get(doc)) {
    return SyntaxAtInput(data_.size(), ErrorText(e));
  }
  return ReadDocument(doc);
}

// Makes `parser` able to take `size` bytes (keeping a larger capacity).
Status JsonReader::AllocateParser(od::parser* parser, size_t size) {
  if (parser->capacity() < size || parser->max_depth() < kMaxJsonDepth) {
    if (auto e = parser->allocate(std::max(size, parser->capacity()), kMaxJsonDepth)) {
      return InternalError(fmt::format("{}: cannot allocate the JSON parser: {}", name_,
                                       simdjson::error_message(e)));
    }
  }
  return Status::Ok();
}

Status JsonReader::ReadDocument(od::document& doc) {
  current_doc_ = &doc;
  ICTS_RETURN_IF_ERROR(ReadRoot(doc));
  if (const char* loc = nullptr; !doc.current_location().get(loc) && loc != nullptr) {
    return SyntaxAtInput(InputOffset(loc), "unexpected content after the document");
  }
  return Finish();
}

Status JsonReader::ReadRoot(od::document& doc) {
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    if (e == simdjson::INCORRECT_TYPE) {
      return InvalidArgumentError(
          fmt::format("{}: not a CycloneDX document: the top level is not a JSON object", name_));
    }
    return Fail(e, "", "an object");
  }
  const std::string root_pointer;  // "" = the document.
  for (auto field_result : root) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Fail(e, "", "an object");
    std::string_view key;
    if (auto e = FieldKey(field, &key)) return Fail(e, "", "an object");
    od::value& v = field.value();
    Ptr pointer = Child(root_pointer, key);
    if (key == "bomFormat") {
      std::string_view format;
      ICTS_RETURN_IF_ERROR(GetString(v, pointer, &format));
      if (format != "CycloneDX") {
        return At(pointer, fmt::format("bomFormat is \"{}\", expected \"CycloneDX\"", format));
      }
      has_format_ = true;
    } else if (key == "specVersion") {
      std::string_view version;
      ICTS_RETURN_IF_ERROR(GetString(v, pointer, &version));
      minor_ = cyclonedx::SpecMinor(version);
      if (minor_ == 0) {
        return At(pointer, fmt::format("unsupported CycloneDX spec version \"{}\" (this reader "
                                       "accepts 1.2 to 1.7)",
                                       version));
      }
      info_.spec_version = std::string(version);
    } else if (key == "serialNumber") {
      std::string_view serial;
      ICTS_RETURN_IF_ERROR(GetString(v, pointer, &serial));
      if (!cyclonedx::IsSerialNumber(serial)) {
        return At(pointer, fmt::format("serialNumber \"{}\" is not a urn:uuid: URN", serial));
      }
      info_.serial = std::string(serial);
    } else if (key == "version") {
      int64_t version = 0;
      if (auto e = v.get_int64().get(version)) return Fail(e, pointer, "an integer");
      if (version < 0) return At(pointer, "version must not be negative");
    } else if (key == "metadata") {
      ICTS_RETURN_IF_ERROR(ReadMetadata(v));
    } else if (key == "components" || key == "services" || key == "dependencies") {
      const char* loc = nullptr;
      const cyclonedx::ArraySplit* split = nullptr;
      if (!v.current_location().get(loc) && loc != nullptr) {
        size_t off = InputOffset(loc);
        for (const auto& s : splits_) {
          if (s.open == off) split = &s;
        }
      }
      if (split != nullptr) {
        od::array empty;
        if (auto e = v.get_array().get(empty)) return Fail(e, pointer, "an array");
        if (key == "dependencies") {
          ICTS_RETURN_IF_ERROR(ReadItemWindows(*split, false));
        } else {
          ICTS_RETURN_IF_ERROR(ReadItemWindows(*split, key == "services"));
        }
      } else if (key == "dependencies") {
        ICTS_RETURN_IF_ERROR(ReadDependencies(v, pointer, 0));
      } else {
        ICTS_RETURN_IF_ERROR(ReadItemArray(v, pointer, key == "services", 0));
      }
    } else if (key == "citations") {
      ICTS_RETURN_IF_ERROR(ReadCitations(v, pointer));
    }
  }
  if (!has_format_) {
    return InvalidArgumentError(
        fmt::format("{}: not a CycloneDX document: bomFormat \"CycloneDX\" is missing", name_));
  }
  if (minor_ == 0) return At("/specVersion", "specVersion is missing");
  if (!license_mix_pointer_.empty() && minor_ < 7) {
    return At(license_mix_pointer_,
              "a license expression must be the only entry of `licenses` before spec 1.7");
  }
  return Status::Ok();
}

Status JsonReader::ReadOrg(od::value& v, std::string_view role, const Ptr& pointer,
                           OrgRef* org) {
  SetString(&org->role, role);
  pointer.AssignTo(&org->pointer);
  ICTS_RETURN_IF_ERROR(ForFields(v, pointer, [&](std::string_view key, od::value& fv) -> Status {
    Ptr p = Child(pointer, key);
    if (key == "name") {
      ICTS_RETURN_IF_ERROR(CopyString(fv, p, &org->name));
    } else if (key == "url") {
      ICTS_RETURN_IF_ERROR(ForElements(fv, p, [&](size_t index, od::value& ev) -> Status {
        // The first non-empty one is kept; the others are only checked.
        if (org->url.empty()) return CopyString(ev, Child(p, index), &org->url);
        std::string_view url;
        return GetString(ev, Child(p, index), &url);
}));
    } else if (key == "contact") {
      ICTS_RETURN_IF_ERROR(ForElements(fv, p, [&](size_t index, od::value& ev) -> Status {
        Ptr cp = Child(p, index);
        ICTS_RETURN_IF_ERROR(ForFields(ev, cp, [&](std::string_view key, od::value& fv) -> Status {
          if (key == "email" && org->email.empty()) {
            ICTS_RETURN_IF_ERROR(CopyString(fv, Child(cp, key), &org->email));
          }
        return Status::Ok();
}));
      return Status::Ok();
}));
    } else if (key == "address") {
      ICTS_RETURN_IF_ERROR(ForFields(fv, p, [&](std::string_view key, od::value& fv) -> Status {
        if (key == "country") ICTS_RETURN_IF_ERROR(CopyString(fv, Child(p, key), &org->country));
      return Status::Ok();
}));
    }
  return Status::Ok();
}));
  return Status::Ok();
}

Status JsonReader::ReadContacts(od::value& v, std::string_view role, const Ptr& pointer,
                                std::vector<OrgRef>* out, size_t* used) {
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    Ptr p = Child(pointer, index);
    OrgRef& org = NewOrg(out, used);
    SetString(&org.role, role);
    p.AssignTo(&org.pointer);
    ICTS_RETURN_IF_ERROR(ForFields(ev, p, [&](std::string_view key, od::value& fv) -> Status {
      if (key == "name") {
        ICTS_RETURN_IF_ERROR(CopyString(fv, Child(p, key), &org.name));
      } else if (key == "email") {
        ICTS_RETURN_IF_ERROR(CopyString(fv, Child(p, key), &org.email));
      }
    return Status::Ok();
}));
  return Status::Ok();
}));
  return Status::Ok();
}

Status JsonReader::ReadMetadata(od::value& v) {
  const std::string pointer = "/metadata";
  ICTS_RETURN_IF_ERROR(ForFields(v, pointer, [&](std::string_view key, od::value& fv) -> Status {
    Ptr p = Child(pointer, key);
    if (!cyclonedx::IsMetadataKey(key, minor_)) {
      return At(p, fmt::format("unknown metadata property \"{}\"", key));
    }
    if (key == "timestamp") {
      std::string_view ts;
      ICTS_RETURN_IF_ERROR(GetString(fv, p, &ts));
      if (!cyclonedx::IsDateTime(ts)) {
        return At(p, fmt::format("timestamp \"{}\" is not an RFC 3339 date-time", ts));
      }
    } else if (key == "component") {
      ICTS_RETURN_IF_ERROR(ReadItemArray(fv, p, false, ~size_t{0}));
    } else if (key == "supplier" || key == "manufacturer" || key == "manufacture") {
      OrgRef org;
      ICTS_RETURN_IF_ERROR(ReadOrg(fv, key == "supplier" ? "supplier" : "manufacturer", p, &org));
      info_.creators.push_back(std::move(org));
    } else if (key == "authors") {
      ICTS_RETURN_IF_ERROR(ReadContacts(fv, "author", p, &info_.creators));
    } else if (key == "licenses") {
      ICTS_RETURN_IF_ERROR(ReadLicenses(fv, p));
    } else if (key == "properties") {
      ICTS_RETURN_IF_ERROR(ReadProperties(fv, p, nullptr));
    }
  return Status::Ok();
}));
  return Status::Ok();
}

// Starts a frame for the component or service `v`.
Status JsonReader::StartNode(od::value& v, const Ptr& pointer, bool services, uint32_t depth) {
  if (depth_ >= kMaxItemNesting) {
    return At(pointer, fmt::format("components nested more than {} levels deep", kMaxItemNesting));
  }
  // `pointer` may refer to strings of a frame, which emplace_back can move:
  // then it is copied out first.
  const bool grow = depth_ == stack_.size();
  if (grow) {
    pointer.AssignTo(&pointer_scratch_);
    stack_.emplace_back();
  }
  Node& node = stack_[depth_];
  ResetItem(&node.item);
  node.is_service = services;
  node.has_type = node.has_name = node.has_ref = false;
  node.has_version = node.has_version_range = node.is_external = false;
  node.ref_offset = 0;
  node.in_children = node.children_are_services = false;
  node.child_index = 0;
  node.children_pointer.clear();
  node.pending.clear();
  node.orgs_used = 0;
  node.properties_used = 0;
  for (size_t& used : node.lists_used) used = 0;
  SetString(&node.item.file, name_);
  if (grow) {
    SetString(&node.item.pointer, pointer_scratch_);
  } else {
    pointer.AssignTo(&node.item.pointer);  // Refers to other frames only.
  }
  node.item.depth = depth;
  if (services) {
    node.item.kind.assign("service");
    node.item.type.assign("service");
  }
  od::object obj;
  if (auto e = v.get_object().get(obj)) return Fail(e, node.item.pointer, "an object");
  if (auto e = obj.begin().get(node.it)) return Fail(e, node.item.pointer, "an object");
  if (auto e = obj.end().get(node.end)) return Fail(e, node.item.pointer, "an object");
  ++depth_;
  return Status::Ok();
}

// Clears `item`'s strings for reuse (they keep their capacity).
void JsonReader::ResetItem(Item* item) {
  // The pointer is left as it is: StartNode sets it next.
  for (auto member : kItemStrings) {
    if (member != &Item::pointer) (item->*member).clear();
  }
  // item->orgs, item->properties and the lists are kept: their elements are
  // reused in place (Node::orgs_used, properties_used, lists_used).
  item->count = 1;
  item->depth = 0;
}

// An empty string, with capacity when a spare one is available.
std::string JsonReader::TakeString() {
  if (spare_strings_.empty()) return {};
  std::string s = std::move(spare_strings_.back());
  spare_strings_.pop_back();
  s.clear();
  return s;
}

// The next string of the list `list` (of kItemLists) of `node`'s item, for
// the caller to overwrite: one left there from an earlier item, else a spare
// one appended.
std::string& JsonReader::NextListString(Node& node, ItemList list) {
  std::vector<std::string>& out = node.item.*kItemLists[list];
  size_t& used = node.lists_used[list];
  if (used < out.size()) return out[used++];
  ++used;
  return out.emplace_back(TakeString());
}

// Appends an empty OrgRef to `out`, reusing a spare one when available.
// With `used` (the number of live elements of `out`, see Node::orgs_used),
// an element left in `out` from an earlier item is reused in place first.
OrgRef& JsonReader::NewOrg(std::vector<OrgRef>* out, size_t* used) {
  if (used != nullptr) {
    if (*used < out->size()) {
      OrgRef& org = (*out)[(*used)++];
      ClearOrg(&org);
      return org;
    }
    ++*used;
  }
  if (spare_orgs_.empty()) return out->emplace_back();
  OrgRef& org = out->emplace_back(std::move(spare_orgs_.back()));
  spare_orgs_.pop_back();
  ClearOrg(&org);
  return org;
}

// Reads an array of components or services, or (index_offset == ~0) the
// single metadata.component object, walking nested ones with stack_.
Status JsonReader::ReadItemArray(od::value& v, const Ptr& pointer, bool services,
                                 size_t index_offset) {
  const bool single = index_offset == ~size_t{0};
  od::array arr;
  od::array_iterator it, end;
  const size_t base_depth = depth_;
  if (single) {
    ICTS_RETURN_IF_ERROR(StartNode(v, pointer, services, 0));
  } else {
    if (auto e = v.get_array().get(arr)) return Fail(e, pointer, "an array");
    if (auto e = arr.begin().get(it)) return Fail(e, pointer, "an array");
    if (auto e = arr.end().get(end)) return Fail(e, pointer, "an array");
  }
  size_t index = single ? 0 : index_offset;
  for (;;) {
    if (depth_ == base_depth) {
      if (single || it == end) break;
      od::value ev;
      if (auto e = (*it).get(ev)) return Fail(e, pointer, "an array");
      ICTS_RETURN_IF_ERROR(StartNode(ev, Child(pointer, index), services, 0));
      ++index;
      continue;
    }
    Node& top = stack_[depth_ - 1];
    if (top.in_children) {
      if (top.child_it != top.child_end) {
        od::value ev;
        if (auto e = (*top.child_it).get(ev)) return Fail(e, top.children_pointer, "an array");
        bool child_services = top.children_are_services;
        uint32_t depth = top.item.depth + 1;
        size_t child_index = top.child_index++;
        ICTS_RETURN_IF_ERROR(
            StartNode(ev, Child(top.children_pointer, child_index), child_services, depth));
        continue;
      }
      top.in_children = false;
      ++top.it;
      continue;
    }
    if (top.it != top.end) {
      // The field is used where the iterator built it: copying it out
      // (a partly overlapping load after a store) stalls store forwarding.
      simdjson::simdjson_result<od::field> field_result = *top.it;
      if (auto e = field_result.error()) return Fail(e, top.item.pointer, "an object");
      od::field& field = field_result.value_unsafe();
      std::string_view key;
      if (auto e = FieldKey(field, &key)) return Fail(e, top.item.pointer, "an object");
      od::value& fv = field.value();
      const ItemKey id = ClassifyItemKey(key);
      if (id == (top.is_service ? ItemKey::kServices : ItemKey::kComponents)) {
        PlainChild(top.item.pointer, key).AssignTo(&top.children_pointer);
        top.children_are_services = top.is_service;
        top.child_index = 0;
        od::array children;
        if (auto e = fv.get_array().get(children)) {
          return Fail(e, top.children_pointer, "an array");
        }
        if (auto e = children.begin().get(top.child_it)) {
          return Fail(e, top.children_pointer, "an array");
        }
        if (auto e = children.end().get(top.child_end)) {
          return Fail(e, top.children_pointer, "an array");
        }
        top.in_children = true;
        continue;
      }
      if (!HandleField(top, key, id, fv, 0)) return std::move(field_error_);
      ++top.it;
      continue;
    }
    // The object is complete. Its frame stays in stack_ for reuse.
    --depth_;
    ICTS_RETURN_IF_ERROR(FinishNode(stack_[depth_], false));
    if (depth_ > base_depth) {
      ++stack_[depth_ - 1].child_it;
    } else if (!single) {
      ++it;
    }
  }
  last_array_count_ = single ? 1 : index - index_offset;
  return Status::Ok();
}

Status JsonReader::ReadItemWindows(const cyclonedx::ArraySplit& split, bool services) {
  if (threads_ > 1 && !split.cuts.empty()) return ReadWindowsInParallel(split, services);
  size_t index = 0;
  for (size_t w = 0; w <= split.cuts.size(); ++w) {
    size_t elements = 0;
    ICTS_RETURN_IF_ERROR(
        ParseWindow(split, w, index, services, writable_ != nullptr, &elements));
    index += elements;
  }
  return Status::Ok();
}

// Where window `w` of `split` lies in the input, read from the text as it
// is before any byte is patched. On a syntax error at the window's bounds,
// `error` is set (at `error_at`).
JsonReader::WindowBounds JsonReader::Bounds(const cyclonedx::ArraySplit& split, size_t w) const {
  WindowBounds b;
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  const bool last = w == split.cuts.size();
  const size_t from = w == 0 ? split.open + 1 : split.cuts[w - 1];
  const size_t to = last ? split.close : split.cuts[w];
  b.to = to;
  // The byte that opens this window: the array's '[' or the ',' before
  // the window's first element.
  size_t open = split.open;
  size_t begin = from;
  while (begin < to && is_space(data_[begin])) ++begin;
  if (w > 0) {
    if (begin < to && data_[begin] == ',') {
      open = begin;
      ++begin;
    } else if (begin < to || !last) {
      b.error_at = begin;
      b.error = "expected ',' between array elements";
      return b;
    }
    while (begin < to && is_space(data_[begin])) ++begin;
    if (begin == to && data_[from] != ']') {
      // A comma followed by the end of the array.
      bool had_comma = false;
      for (size_t k = from; k < to; ++k) had_comma |= data_[k] == ',';
      if (had_comma) {
        b.error_at = to;
        b.error = "trailing comma before ']'";
        return b;
      }
    }
  }
  b.open = open;
  b.begin = begin;
  // The byte that closes it: the array's ']' or the ',' after its last
  // element.
  size_t close = to;
  if (!last) {
    while (close < split.close && is_space(data_[close])) ++close;
    if (data_[close] != ',') close = std::string_view::npos;  // Reported by the copy.
  }
  b.close = close;
  return b;
}

// Parses window `w` of `split`, whose first element has index `first_index`
// in the array, and sets `*elements` to the number of elements read. With
// `in_place`, the window may be parsed where it lies in writable_ (its
// bounding commas patched and restored); otherwise it is copied. `bounds`,
// when given, is Bounds(split, w), read before another thread started.
Status JsonReader::ParseWindow(const cyclonedx::ArraySplit& split, size_t w, size_t first_index,
                               bool services, bool in_place, size_t* elements,
                               const WindowBounds* bounds) {
  *elements = 0;
  ThreadState& st = state_ != nullptr ? *state_ : State();
  PaddedBuffer& buf = st.window_buffer;
  const bool dependencies = split.key == "dependencies";
  const std::string pointer = "/" + split.key;
  const WindowBounds b = bounds != nullptr ? *bounds : Bounds(split, w);
  if (b.error != nullptr) return SyntaxAtInput(b.error_at, b.error);
  const size_t begin = b.begin, to = b.to, open = b.open, close = b.close;
  if (begin == to) return Status::Ok();
  const char* doc_bytes = nullptr;
  size_t doc_size = 0, doc_capacity = 0;
  if (in_place && writable_ != nullptr && close != std::string_view::npos &&
      close + 1 + simdjson::SIMDJSON_PADDING <= data_.size() + slack_) {
    // In place: ',' → '[' before the first element and ',' → ']' after the
    // last; Unpatch() restores them.
    // (A byte that is already right is not written: a write costs a page.)
    if (data_[open] != '[') {
      patches_[0] = {writable_ + open, data_[open]};
      writable_[open] = '[';
    }
    if (data_[close] != ']') {
      patches_[1] = {writable_ + close, data_[close]};
      writable_[close] = ']';
    }
    doc_bytes = data_.data() + open;
    doc_size = close + 1 - open;
    doc_capacity = data_.size() + slack_ - open;
    window_map_ = BufferMap{};
    window_map_.base = doc_bytes;
    window_map_.size = doc_size;
    window_map_.pieces = {{0, open}};
  } else {
    size_t len = to - begin;
    buf.Reserve(len + 2);
    buf.data[0] = '[';
    std::memcpy(buf.data.get() + 1, data_.data() + begin, len);
    buf.data[len + 1] = ']';
    buf.size = len + 2;
    doc_bytes = buf.data.get();
    doc_size = buf.size;
    doc_capacity = buf.capacity;
    window_map_ = BufferMap{};
    window_map_.base = buf.data.get();
    window_map_.size = buf.size;
    window_map_.pieces = {{0, begin}, {1, begin}, {len + 1, to}};
  }
  // Restores patched bytes and the reader's document whichever way this
  // window ends.
  struct Restore {
    JsonReader* reader;
    od::document* saved_doc;
    ~Restore() {
      reader->Unpatch();
      reader->current_doc_ = saved_doc;
      reader->window_map_.pieces.clear();
      reader->window_map_.base = nullptr;
      reader->window_map_.size = 0;
    }
  } restore{this, current_doc_};
  ICTS_RETURN_IF_ERROR(AllocateParser(&st.window_parser, doc_size));
  od::document doc;
  if (auto e = st.window_parser.iterate(doc_bytes, doc_size, doc_capacity).get(doc)) {
    return SyntaxAtInput(begin, ErrorText(e));
  }
  current_doc_ = &doc;
  od::value v;
  if (auto e = doc.get_value().get(v)) return Fail(e, pointer, "an array");
  if (dependencies) {
    ICTS_RETURN_IF_ERROR(ReadDependencies(v, pointer, first_index));
  } else {
    ICTS_RETURN_IF_ERROR(ReadItemArray(v, pointer, services, first_index));
  }
  *elements = last_array_count_;
  if (const char* loc = nullptr; !doc.current_location().get(loc) && loc != nullptr) {
    return SyntaxAtInput(InputOffset(loc), "unexpected content in array");
  }
  return Status::Ok();
}

// Windows parsed by this thread and a helper thread. The helper parses each
// window it takes into a WindowLog; this thread replays the logs in document
// order and, while the next one to deliver is not ready, parses a window
// itself: directly (delivering as it reads) when it is the next to deliver,
// into a log otherwise. At most kWindowSlots windows are parsed ahead of
// delivery. The first element of each window has the index the scan counted,
// so a window can be parsed before the ones ahead of it; the scan counts
// only object and array elements, and any other element is an error in its
// own window, which is delivered first.
Status JsonReader::ReadWindowsInParallel(const cyclonedx::ArraySplit& split, bool services) {
  const size_t windows = split.cuts.size() + 1;
  ThreadState& st = State();
  std::array<WindowLog, kWindowSlots>& logs = st.logs;
  // The items of the logs (and their strings) are freed when the read ends,
  // after the helper has stopped (`join` below is destroyed first): they
  // are not kept for the next read.
  struct FreeItems {
    std::array<WindowLog, kWindowSlots>* logs;
    ~FreeItems() {
      for (WindowLog& log : *logs) {
        log.items_used = 0;
        std::vector<Item>().swap(log.items);
      }
    }
  } free_items{&logs};
  if (st.helper == nullptr) st.helper = std::make_unique<ThreadState>();
  JsonReader helper(*this, WindowHelper{});
  helper.state_ = st.helper.get();  // Used by the helper thread only.
  std::mutex mu;
  std::condition_variable cv;
  // Guarded by mu.
  size_t next_claim = 0;    // The next window nobody parses yet.
  size_t next_deliver = 0;  // The next window to replay.
  size_t claim_end = windows;  // No window from here on is needed (an error before it).
  bool stop = false;
  std::array<bool, kWindowSlots> ready{};  // Slot w % kWindowSlots holds window w, parsed.

  auto first_index = [&](size_t w) { return w == 0 ? 0 : split.elements_before[w - 1]; };
  // A window read without error has as many elements as the scan counted.
  auto CheckElements = [&](size_t w, size_t elements) {
    if (w + 1 < windows && first_index(w) + elements != first_index(w + 1)) {
      return InternalError(fmt::format("{}: /{}: window {} has {} elements, the scan counted {}",
                                       name_, split.key, w, elements,
                                       first_index(w + 1) - first_index(w)));
    }
    return Status::Ok();
  };
  // Each window's bounds are read before the helper starts: this thread
  // parses its windows in place in a file mapping (patching the commas
  // around them, which no other window's copy includes), and the helper,
  // which copies its windows, must not read those commas.
  std::vector<WindowBounds> bounds(windows);
  for (size_t w = 0; w < windows; ++w) bounds[w] = Bounds(split, w);
  auto parse = [&](JsonReader* reader, size_t w) {
    WindowLog& log = logs[w % kWindowSlots];
    log.Clear();
    reader->log_ = &log;
    log.status = reader->ParseWindow(split, w, first_index(w), services, reader == this,
                                     &log.elements, &bounds[w]);
    reader->log_ = nullptr;
  };
  // Claims the next window when one is due and within the bound; under mu.
  // While the helper is paused (see pace below), only this thread claims.
  bool helper_paused = false;
  auto claim = [&](size_t* w, bool by_helper) {
    if (stop || next_claim >= claim_end || next_claim >= next_deliver + kWindowSlots ||
        (by_helper && helper_paused)) {
      return false;
    }
    *w = next_claim++;
    return true;
  };
  // Marks window `w` parsed; under mu.
  auto finish = [&](size_t w) {
    WindowLog& log = logs[w % kWindowSlots];
    if (!log.status.ok() && w + 1 < claim_end) claim_end = w + 1;
    ready[w % kWindowSlots] = true;
    cv.notify_all();
  };

  std::thread worker;
  try {
    worker = std::thread([&] {
      std::unique_lock<std::mutex> lock(mu);
      for (;;) {
        size_t w = 0;
        if (claim(&w, true)) {
          lock.unlock();
          parse(&helper, w);
          lock.lock();
          finish(w);
        } else if (stop || next_claim >= claim_end) {
          return;
        } else {
          cv.wait(lock);
        }
      }
    });
  } catch (const std::system_error&) {
    // No second thread: this one parses every window.
  }
  // Stops and joins the helper however this function ends (an exception
  // from the sink included).
  struct Join {
    std::thread* worker;
    std::mutex* mu;
    std::condition_variable* cv;
    bool* stop;
    ~Join() {
      if (!worker->joinable()) return;
      {
        std::lock_guard<std::mutex> lock(*mu);
        *stop = true;
      }
      cv->notify_all();
      worker->join();
    }
  } join{&worker, &mu, &cv, &stop};
  // Two threads pay only when they run at the same time. When the other
  // core is busy (the two threads then share one), the helper's windows
  // cost more than they save: every kPaceWindows windows this thread
  // compares the CPU time both threads used with the time that passed, and
  // below kMinParallelism it pauses the helper for kPauseWindows windows
  // (then tries again). Only who parses which window changes, not what is
  // delivered.
  constexpr size_t kPaceWindows = 32;
  constexpr size_t kPauseWindows = 128;
  constexpr double kMinParallelism = 1.3;
  clockid_t helper_clock{};
  const bool can_pace = worker.joinable() &&
                        pthread_getcpuclockid(worker.native_handle(), &helper_clock) == 0;
  auto now = [](clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  double wall0 = 0, cpu0 = 0;
  size_t pace_at = kPaceWindows;
  auto start_interval = [&] {
    wall0 = now(CLOCK_MONOTONIC);
    cpu0 = now(CLOCK_THREAD_CPUTIME_ID) + now(helper_clock);
  };
  if (can_pace) start_interval();
  // Under mu, after next_deliver moved on.
  auto pace = [&] {
    if (!can_pace || next_deliver < pace_at) return;
    if (helper_paused) {
      helper_paused = false;
      pace_at = next_deliver + kPaceWindows;
      cv.notify_all();
    } else {
      const double wall = now(CLOCK_MONOTONIC) - wall0;
      const double cpu = now(CLOCK_THREAD_CPUTIME_ID) + now(helper_clock) - cpu0;
      if (wall > 0 && cpu < kMinParallelism * wall) {
        helper_paused = true;
        pace_at = next_deliver + kPauseWindows;
      } else {
        pace_at = next_deliver + kPaceWindows;
      }
    }
    start_interval();
  };
  Status result;
  // Counts the next window as delivered (the lock held); false, with
  // `result` set, when its reading failed.
  auto delivered = [&](Status s) {
    ++next_deliver;
    pace();
    cv.notify_all();
    if (s.ok()) return true;
    result = std::move(s);
    return false;
  };
  {
    std::unique_lock<std::mutex> lock(mu);
    while (next_deliver < windows) {
      const size_t slot = next_deliver % kWindowSlots;
      size_t w = 0;
      if (ready[slot]) {
        lock.unlock();
        Status s = Replay(logs[slot]);
        if (s.ok()) s = CheckElements(next_deliver, logs[slot].elements);
        lock.lock();
        ready[slot] = false;
        if (!delivered(std::move(s))) break;
      } else if (claim(&w, false)) {
        lock.unlock();
        if (w == next_deliver) {
          // Nothing before it is pending: read and deliver it directly.
          size_t elements = 0;
          Status s = ParseWindow(split, w, first_index(w), services, true, &elements, &bounds[w]);
          if (s.ok()) s = CheckElements(w, elements);
          lock.lock();
          if (!delivered(std::move(s))) break;
          continue;
        }
        parse(this, w);
        lock.lock();
        finish(w);
      } else {
        cv.wait(lock);
      }
    }
  }
  return result;  // `join` stops the helper.
}

// Does, in order, what reading the window of `log` directly would have done
// beside reading it, and returns its first error.
Status JsonReader::Replay(WindowLog& log) {
  // The bom-ref table is probed at random: its slots are loaded a few
  // registrations ahead.
  constexpr size_t kPrefetchAhead = 8;
  const size_t n = log.events.size();
  for (size_t i = 0; i < std::min(n, kPrefetchAhead); ++i) {
    if (log.events[i].kind == WindowLog::kRegister) refs_.PrefetchHash(log.events[i].hash);
  }
  for (size_t i = 0; i < n; ++i) {
    const WindowLog::Event& e = log.events[i];
    if (i + kPrefetchAhead < n && log.events[i + kPrefetchAhead].kind == WindowLog::kRegister) {
      refs_.PrefetchHash(log.events[i + kPrefetchAhead].hash);
    }
    switch (e.kind) {
      case WindowLog::kRegister:
        ICTS_RETURN_IF_ERROR(RegisterRef(TextOf(log, e.text), e.hash, e.offset,
                                         Ptr(TextOf(log, e.pointer))));
        break;
      case WindowLog::kEmit:
        ICTS_RETURN_IF_ERROR(sink_->OnItem(std::move(log.items[e.index])));
        break;
      case WindowLog::kDependency: {
        std::string_view from = TextOf(log, e.text);
        const uint32_t source = refs_.AddSource(from, static_cast<RefTable::Handle>(e.offset));
        for (uint32_t k = e.index; k < e.index + e.count; ++k) {
          const WindowLog::Target& t = log.targets[k];
          std::string_view to = TextOf(log, t.ref);
          if (!t.provides) refs_.AddEdge(source, to, static_cast<RefTable::Handle>(t.offset));
          ICTS_RETURN_IF_ERROR(sink_->OnRelation(from, t.provides ? "provides" : "dependsOn", to));
        }
        break;
      }
      case WindowLog::kLicenseMix:
        if (license_mix_pointer_.empty()) {
          std::string_view pointer = TextOf(log, e.text);
          if (minor_ != 0 && minor_ < 7) {
            return At(Ptr(pointer),
                      "a license expression must be the only entry of `licenses` before spec 1.7");
          }
          license_mix_pointer_.assign(pointer);
        }
        break;
    }
  }
  if (log.syntax_offset != std::string_view::npos) {
    return SyntaxAtInput(log.syntax_offset, log.syntax_message);
  }
  return log.status;
}

bool JsonReader::HandleField(Node& node, std::string_view key, ItemKey id, od::value& v,
                             int detached_depth) {
  Status status = HandleFieldStatus(node, key, id, v, detached_depth);
  if (__builtin_expect(status.ok(), 1)) return true;
  field_error_ = std::move(status);
  return false;
}

__attribute__((always_inline)) inline Status JsonReader::HandleFieldStatus(Node& node,
                                                                           std::string_view key,
                                                                           ItemKey id, od::value& v,
                                                                           int detached_depth) {
  Item& item = node.item;
  // Strings only on error (and for orgs). The keys of ItemKey are plain.
  Ptr p = id == ItemKey::kOther ? Child(item.pointer, key) : PlainChild(item.pointer, key);
  switch (id) {
    case ItemKey::kBomRef: {
      std::string_view ref;
      ICTS_RETURN_IF_ERROR(GetRefString(v, p, &ref, &node.ref_offset));
      if (ref.empty()) return At(p, "bom-ref must not be empty");
      SetString(&item.ref, ref);
      node.has_ref = true;
      // Registered when the item closes (by the delivering thread for a log).
      node.ref_hash = log_ != nullptr ? RefTable::Hash(ref) : refs_.Prefetch(ref);
      return Status::Ok();
    }
    case ItemKey::kName:
      ICTS_RETURN_IF_ERROR(CopyString(v, p, &item.name));
      node.has_name = true;
      return Status::Ok();
    case ItemKey::kGroup: return CopyString(v, p, &item.group);
    case ItemKey::kVersion:
      ICTS_RETURN_IF_ERROR(CopyString(v, p, &item.version));
      node.has_version = true;
      return Status::Ok();
    case ItemKey::kDescription: {
      if (wanted_ & kItemDescription) return CopyString(v, p, &item.description);
      std::string_view description;
      return GetString(v, p, &description);
    }
    case ItemKey::kProperties:
      return ReadProperties(v, p, (wanted_ & kItemProperties) ? &item : nullptr,
                            &node.properties_used);
    case ItemKey::kTags:
      return ReadStrings(v, p, node, kTags);
    default: break;
  }
  if (node.is_service) {
    switch (id) {
      case ItemKey::kProvider: {
        OrgRef& org = NewOrg(&item.orgs, &node.orgs_used);
        ICTS_RETURN_IF_ERROR(ReadOrg(v, "provider", p, &org));
        SetString(&item.provider, org.name);
        return Status::Ok();
      }
      case ItemKey::kData:
        return ReadServiceData(v, p, node);
      case ItemKey::kLicenses: return ReadLicenses(v, p);
      default: return Status::Ok();
    }
  }
  switch (id) {
    case ItemKey::kType: {
      std::string_view type;
      ICTS_RETURN_IF_ERROR(GetString(v, p, &type));
      if (!cyclonedx::IsComponentType(type)) {
        return At(p, fmt::format("unknown component type \"{}\"", type));
      }
      SetString(&item.type, type);
      SetString(&item.kind, cyclonedx::KindForComponentType(type));
      node.has_type = true;
      return Status::Ok();
    }
    case ItemKey::kPurl: return CopyString(v, p, &item.purl);
    case ItemKey::kCpe:
      return CopyString(v, p, &NextListString(node, kCpes));
    case ItemKey::kHashes:
      return ReadHashes(v, p, (wanted_ & kItemHashes) ? &node : nullptr);
    case ItemKey::kSupplier:
    case ItemKey::kManufacturer: return ReadOrg(v, key, p, &NewOrg(&item.orgs, &node.orgs_used));
    case ItemKey::kPublisher:
    case ItemKey::kAuthor: {
      OrgRef& org = NewOrg(&item.orgs, &node.orgs_used);
      SetString(&org.role, key);
      p.AssignTo(&org.pointer);
      return CopyString(v, p, &org.name);
    }
    case ItemKey::kAuthors: return ReadContacts(v, "author", p, &item.orgs, &node.orgs_used);
    case ItemKey::kScope: {
      std::string_view scope;
      ICTS_RETURN_IF_ERROR(GetString(v, p, &scope));
      if (!cyclonedx::IsScope(scope)) return At(p, fmt::format("unknown scope \"{}\"", scope));
      return Status::Ok();
    }
    case ItemKey::kLicenses: return ReadLicenses(v, p);
    case ItemKey::kSwid: return ReadSwid(v, p);
    case ItemKey::kPedigree: return ReadPedigree(v, p, detached_depth + 1);
    case ItemKey::kVersionRange: {
      std::string_view range;
      ICTS_RETURN_IF_ERROR(GetString(v, p, &range));
      node.has_version_range = true;
      return Status::Ok();
    }
    case ItemKey::kIsExternal: {
      bool external = false;
      if (auto e = v.get_bool().get(external)) return Fail(e, p, "true or false");
      node.is_external = external;
      return Status::Ok();
    }
    default: return Status::Ok();
  }
}

Status JsonReader::FinishNode(Node& node, bool detached) {
  Item& item = node.item;
  // Orgs left from an earlier item go back to the pool.
  while (item.orgs.size() > node.orgs_used) {
    spare_orgs_.push_back(std::move(item.orgs.back()));
    item.orgs.pop_back();
  }
  while (item.properties.size() > node.properties_used) {
    spare_properties_.push_back(std::move(item.properties.back()));
    item.properties.pop_back();
  }
  for (size_t list = 0; list < std::size(kItemLists); ++list) {
    std::vector<std::string>& strings = item.*kItemLists[list];
    while (strings.size() > node.lists_used[list]) {
      spare_strings_.push_back(std::move(strings.back()));
      strings.pop_back();
    }
  }
  if (!node.is_service && !node.has_type) {
    return At(item.pointer, "component has no \"type\"");
  }
  if (!node.has_name) {
    return At(item.pointer,
              fmt::format("{} has no \"name\"", node.is_service ? "service" : "component"));
  }
  if (node.has_version_range) {
    if (node.has_version) {
      return At(item.pointer, "a component may have \"version\" or \"versionRange\", not both");
    }
    if (!node.is_external) {
      return At(item.pointer, "\"versionRange\" is only allowed when \"isExternal\" is true");
    }
  }
  if (detached) return Status::Ok();
  if (node.has_ref) {
    if (log_ != nullptr) {
      WindowLog::Event& e = log_->events.emplace_back();
      e.kind = WindowLog::kRegister;
      e.text = log_->Keep(item.ref);
      e.pointer = log_->Keep(item.pointer);
      e.hash = node.ref_hash;
      e.offset = node.ref_offset;
    } else {
      ICTS_RETURN_IF_ERROR(RegisterRef(item.ref, node.ref_hash, node.ref_offset, item.pointer));
    }
  } else {
    SetString(&item.ref, item.pointer);
  }
  for (Item& child : node.pending) {
    child.parent_ref = item.ref;
    ICTS_RETURN_IF_ERROR(Emit(std::move(child)));
  }
  node.pending.clear();
  if (depth_ > 0) {
    Node& parent = stack_[depth_ - 1];
    if (parent.has_ref) {
      item.parent_ref = parent.item.ref;
    } else {
      parent.pending.push_back(std::move(item));
      return Status::Ok();
    }
  }
  return Emit(std::move(item));
}

Status JsonReader::Emit(Item&& item) {
  if (log_ == nullptr) return sink_->OnItem(std::move(item));
  WindowLog::Event& e = log_->events.emplace_back();
  e.kind = WindowLog::kEmit;
  e.index = static_cast<uint32_t>(log_->items_used);
  if (log_->items_used == log_->items.size()) log_->items.emplace_back();
  // `item` gets the storage of an item handed over earlier (its frame
  // clears it before reuse).
  SwapItems(&item, &log_->items[log_->items_used++]);
  return Status::Ok();
}

Status JsonReader::RegisterRef(std::string_view ref, uint64_t hash, size_t input_offset,
                               const Ptr& pointer) {
  RefTable::Handle earlier = refs_.Add(ref, hash, static_cast<RefTable::Handle>(input_offset),
                                       [&](RefTable::Handle h) {
    return cyclonedx::JsonStringAt(data_, h) == ref;
  });
  if (earlier != RefTable::kNone) {
    Unpatch();  // JsonPointerAt reads the text as it was.
    std::string first = cyclonedx::JsonPointerAt(data_, earlier);
    // JsonPointerAt names the bom-ref member; report the object holding it.
    if (size_t slash = first.rfind('/'); slash != std::string::npos) first.resize(slash);
    return At(pointer, fmt::format("duplicate bom-ref \"{}\" (also used by {})", ref, first));
  }
  return Status::Ok();
}

Status JsonReader::ReadDetached(od::value& v, const Ptr& pointer, int depth) {
  if (depth > kMaxDetachedDepth) {
    return At(pointer, fmt::format("nested more than {} levels deep", kMaxDetachedDepth));
  }
  Node node;
  node.item.pointer = pointer.str();
  ICTS_RETURN_IF_ERROR(ForFields(v, pointer, [&](std::string_view key, od::value& fv) -> Status {
    if (key == "components") {
      Ptr p = Child(pointer, key);
      ICTS_RETURN_IF_ERROR(ForElements(fv, p, [&](size_t index, od::value& ev) -> Status {
        ICTS_RETURN_IF_ERROR(ReadDetached(ev, Child(p, index), depth + 1));
      return Status::Ok();
}));
    } else {
      if (!HandleField(node, key, ClassifyItemKey(key), fv, depth)) {
        return std::move(field_error_);
      }
    }
  return Status::Ok();
}));
  return FinishNode(node, true);
}

Status JsonReader::ReadPedigree(od::value& v, const Ptr& pointer, int depth) {
  if (depth > kMaxDetachedDepth) {
    return At(pointer, fmt::format("nested more than {} levels deep", kMaxDetachedDepth));
  }
  ICTS_RETURN_IF_ERROR(ForFields(v, pointer, [&](std::string_view key, od::value& fv) -> Status {
    Ptr p = Child(pointer, key);
    if (key == "ancestors" || key == "descendants" || key == "variants") {
      ICTS_RETURN_IF_ERROR(ForElements(fv, p, [&](size_t index, od::value& ev) -> Status {
        ICTS_RETURN_IF_ERROR(ReadDetached(ev, Child(p, index), depth + 1));
      return Status::Ok();
}));
    } else if (key == "patches") {
      ICTS_RETURN_IF_ERROR(ForElements(fv, p, [&](size_t index, od::value& ev) -> Status {
        Ptr pp = Child(p, index);
        bool has_type = false;
        ICTS_RETURN_IF_ERROR(ForFields(ev, pp, [&](std::string_view key, od::value& fv) -> Status {
          Ptr fp = Child(pp, key);
          if (key == "type") {
            std::string_view type;
            ICTS_RETURN_IF_ERROR(GetString(fv, fp, &type));
            if (!cyclonedx::IsPatchType(type)) {
              return At(fp, fmt::format("unknown patch type \"{}\"", type));
            }
            has_type = true;
          } else if (key == "resolves") {
            ICTS_RETURN_IF_ERROR(ForElements(fv, fp, [&](size_t index, od::value& ev) -> Status {
              Ptr rp = Child(fp, index);
              ICTS_RETURN_IF_ERROR(ForFields(ev, rp, [&](std::string_view key, od::value& fv) -> Status {
                if (key == "type") {
                  std::string_view type;
                  ICTS_RETURN_IF_ERROR(GetString(fv, Child(rp, key), &type));
                  if (!cyclonedx::IsIssueType(type)) {
                    return At(Child(rp, key), fmt::format("unknown issue type \"{}\"", type));
                  }
                }
              return Status::Ok();
}));
            return Status::Ok();
}));
          }
        return Status::Ok();
}));
        if (!has_type) return At(pp, "patch has no \"type\"");
      return Status::Ok();
}));
    }
  return Status::Ok();
}));
  return Status::Ok();
}

Status JsonReader::ReadHashes(od::value& v, const Ptr& pointer, Node* node) {
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    Ptr p = Child(pointer, index);
    // Views into the parser's string buffer, valid for the whole document.
    std::string_view alg, content;
    bool has_alg = false, has_content = false;
    ICTS_RETURN_IF_ERROR(ForFields(ev, p, [&](std::string_view key, od::value& fv) -> Status {
      if (key == "alg") {
        ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &alg));
        if (!cyclonedx::IsHashAlgorithm(alg)) {
          return At(Child(p, key), fmt::format("unknown hash algorithm \"{}\"", alg));
        }
        has_alg = true;
      } else if (key == "content") {
        ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &content));
        if (!cyclonedx::IsHashContent(content)) {
          return At(Child(p, key), "hash content is not 32, 40, 64, 96 or 128 hex digits");
        }
        has_content = true;
      }
    return Status::Ok();
}));
    if (!has_alg || !has_content) return At(p, "hash needs \"alg\" and \"content\"");
    if (node != nullptr) {
      std::string& hash = NextListString(*node, kHashes);
      hash.resize(alg.size() + 1 + content.size());
      char* out = hash.data();
      std::memcpy(out, alg.data(), alg.size());
      out += alg.size();
      *out++ = ':';
      // Hex digits (checked above): lower case is the digit with bit 5 set.
      for (char c : content) *out++ = static_cast<char>(c | 0x20);
    }
  return Status::Ok();
}));
  return Status::Ok();
}

Status JsonReader::ReadLicense(od::value& v, const Ptr& pointer) {
  bool has_id = false, has_name = false;
  ICTS_RETURN_IF_ERROR(ForFields(v, pointer, [&](std::string_view key, od::value& fv) -> Status {
    Ptr p = Child(pointer, key);
    if (key == "id") {
      std::string_view id;
      ICTS_RETURN_IF_ERROR(GetString(fv, p, &id));
      // Licences repeat from component to component: the last id that
      // passed is not looked up again.
      if (id != last_license_id_ && !cyclonedx::IsSpdxLicenseId(id)) {
        return At(p, fmt::format("\"{}\" is not an SPDX license identifier (use \"name\" for "
                                 "other licenses)",
                                 id));
      }
      if (id != last_license_id_) SetString(&last_license_id_, id);
      has_id = true;
    } else if (key == "name") {
      std::string_view name;
      ICTS_RETURN_IF_ERROR(GetString(fv, p, &name));
      has_name = true;
    } else if (key == "text") {
      ICTS_RETURN_IF_ERROR(ForFields(fv, p, [&](std::string_view key, od::value& fv) -> Status {
        if (key == "encoding") {
          std::string_view encoding;
          ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &encoding));
          if (encoding != "base64") {
            return At(Child(p, key), fmt::format("unknown encoding \"{}\" (only base64)", encoding));
          }
        }
      return Status::Ok();
}));
    } else if (key == "properties") {
      ICTS_RETURN_IF_ERROR(ReadProperties(fv, p, nullptr));
    } else if (key == "acknowledgement") {
      std::string_view ack;
      ICTS_RETURN_IF_ERROR(GetString(fv, p, &ack));
      if (!cyclonedx::IsLicenseAcknowledgement(ack)) {
        return At(p, fmt::format("unknown acknowledgement \"{}\"", ack));
      }
    }
  return Status::Ok();
}));
  if (has_id == has_name) {
    return At(pointer, has_id ? "license has both \"id\" and \"name\""
                              : "license needs an \"id\" or a \"name\"");
  }
  return Status::Ok();
}

Status JsonReader::ReadLicenses(od::value& v, const Ptr& pointer) {
  size_t count = 0;
  std::string expression_pointer;
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    Ptr p = Child(pointer, index);
    bool has_license = false, has_expression = false;
    ICTS_RETURN_IF_ERROR(ForFields(ev, p, [&](std::string_view key, od::value& fv) -> Status {
      if (key == "license") {
        ICTS_RETURN_IF_ERROR(ReadLicense(fv, Child(p, key)));
        has_license = true;
      } else if (key == "expression") {
        std::string_view expression;
        ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &expression));
        has_expression = true;
      } else if (key == "acknowledgement") {
        std::string_view ack;
        ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &ack));
        if (!cyclonedx::IsLicenseAcknowledgement(ack)) {
          return At(Child(p, key), fmt::format("unknown acknowledgement \"{}\"", ack));
        }
      }
    return Status::Ok();
}));
    if (has_license == has_expression) {
      return At(p, has_license ? "a licenses entry has both \"license\" and \"expression\""
                               : "a licenses entry needs \"license\" or \"expression\"");
    }
    if (has_expression && expression_pointer.empty()) expression_pointer = p.str();
    ++count;
  return Status::Ok();
}));
  if (!expression_pointer.empty() && count > 1 && log_ != nullptr) {
    // Whether this is the first mix, and so an error, is decided in order.
    WindowLog::Event& e = log_->events.emplace_back();
    e.kind = WindowLog::kLicenseMix;
    e.text = log_->Keep(expression_pointer);
    return Status::Ok();
  }
  if (!expression_pointer.empty() && count > 1 && license_mix_pointer_.empty()) {
    if (minor_ != 0 && minor_ < 7) {
      return At(expression_pointer,
                "a license expression must be the only entry of `licenses` before spec 1.7");
    }
    license_mix_pointer_ = expression_pointer;  // Decided once specVersion is known.
  }
  return Status::Ok();
}

// With `item`, `used` counts its live properties (see Node::properties_used).
Status JsonReader::ReadProperties(od::value& v, const Ptr& pointer, Item* item, size_t* used) {
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    Ptr p = Child(pointer, index);
    std::string_view name, value;  // Valid for the whole document.
    bool has_name = false;
    ICTS_RETURN_IF_ERROR(ForFields(ev, p, [&](std::string_view key, od::value& fv) -> Status {
      if (key == "name") {
        ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &name));
        has_name = true;
      } else if (key == "value") {
        ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &value));
      } else {
        return At(Child(p, key), fmt::format("unknown property member \"{}\"", key));
      }
    return Status::Ok();
}));
    if (!has_name) return At(p, "property has no \"name\"");
    if (item != nullptr) {
      // One left from an earlier item in place, else a spare one.
      std::pair<std::string, std::string>* property;
      if (*used < item->properties.size()) {
        property = &item->properties[*used];
      } else if (spare_properties_.empty()) {
        property = &item->properties.emplace_back();
      } else {
        property = &item->properties.emplace_back(std::move(spare_properties_.back()));
        spare_properties_.pop_back();
      }
      ++*used;
      SetString(&property->first, name);
      SetString(&property->second, value);
    }
  return Status::Ok();
}));
  return Status::Ok();
}

Status JsonReader::ReadStrings(od::value& v, const Ptr& pointer, Node& node, ItemList list) {
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    ICTS_RETURN_IF_ERROR(CopyString(ev, Child(pointer, index), &NextListString(node, list)));
    return Status::Ok();
  }));
  return Status::Ok();
}

Status JsonReader::ReadSwid(od::value& v, const Ptr& pointer) {
  bool has_tag = false, has_name = false;
  ICTS_RETURN_IF_ERROR(ForFields(v, pointer, [&](std::string_view key, od::value&) -> Status {
    has_tag |= key == "tagId";
    has_name |= key == "name";
  return Status::Ok();
}));
  if (!has_tag) return At(pointer, "swid has no \"tagId\"");
  if (!has_name) return At(pointer, "swid has no \"name\"");
  return Status::Ok();
}

Status JsonReader::ReadServiceData(od::value& v, const Ptr& pointer, Node& node) {
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    Ptr p = Child(pointer, index);
    bool has_flow = false, has_classification = false;
    ICTS_RETURN_IF_ERROR(ForFields(ev, p, [&](std::string_view key, od::value& fv) -> Status {
      if (key == "flow") {
        std::string_view flow;
        ICTS_RETURN_IF_ERROR(GetString(fv, Child(p, key), &flow));
        if (!cyclonedx::IsDataFlow(flow)) {
          return At(Child(p, key), fmt::format("unknown data flow \"{}\"", flow));
        }
        has_flow = true;
      } else if (key == "classification") {
        ICTS_RETURN_IF_ERROR(CopyString(fv, Child(p, key), &NextListString(node, kDataCategories)));
        has_classification = true;
      }
    return Status::Ok();
}));
    if (!has_flow || !has_classification) {
      return At(p, "service data needs \"flow\" and \"classification\"");
    }
  return Status::Ok();
}));
  return Status::Ok();
}

Status JsonReader::ReadDependencies(od::value& v, const Ptr& pointer, size_t index_offset) {
  size_t count = 0;
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    ++count;
    return ReadDependency(ev, Child(pointer, index_offset + index));
  }));
  last_array_count_ = count;
  return Status::Ok();
}

Status JsonReader::ReadDependency(od::value& v, const Ptr& pointer) {
  std::string_view from;  // Views valid for the whole document.
  size_t from_offset = 0;
  bool has_ref = false;
  std::vector<DependencyTarget>& targets = dependency_targets_;
  targets.clear();
  ICTS_RETURN_IF_ERROR(ForFields(v, pointer, [&](std::string_view key, od::value& fv) -> Status {
    Ptr p = Child(pointer, key);
    if (key == "ref") {
      std::string_view ref;
      ICTS_RETURN_IF_ERROR(GetRefString(fv, p, &ref, &from_offset));
      if (ref.empty()) return At(p, "dependency ref must not be empty");
      from = ref;
      has_ref = true;
    } else if (key == "dependsOn" || key == "provides") {
      bool provides = key == "provides";
      ICTS_RETURN_IF_ERROR(ForElements(fv, p, [&](size_t index, od::value& ev) -> Status {
        Ptr ep = Child(p, index);
        std::string_view to;
        size_t to_offset = 0;
        ICTS_RETURN_IF_ERROR(GetRefString(ev, ep, &to, &to_offset));
        if (to.empty()) return At(ep, "dependency ref must not be empty");
        targets.push_back({to, to_offset, provides});
      return Status::Ok();
}));
    }
  return Status::Ok();
}));
  if (!has_ref) return At(pointer, "dependency has no \"ref\"");
  if (log_ != nullptr) {
    WindowLog::Event& e = log_->events.emplace_back();
    e.kind = WindowLog::kDependency;
    e.text = KeepText(from);
    e.offset = from_offset;
    e.index = static_cast<uint32_t>(log_->targets.size());
    e.count = static_cast<uint32_t>(targets.size());
    for (const DependencyTarget& t : targets) {
      log_->targets.push_back({KeepText(t.ref), t.offset, t.provides});
    }
    return Status::Ok();
  }
  const uint32_t source = refs_.AddSource(from, static_cast<RefTable::Handle>(from_offset));
  for (const DependencyTarget& t : targets) {
    if (!t.provides) refs_.AddEdge(source, t.ref, static_cast<RefTable::Handle>(t.offset));
    ICTS_RETURN_IF_ERROR(sink_->OnRelation(from, t.provides ? "provides" : "dependsOn", t.ref));
  }
  return Status::Ok();
}

Status JsonReader::ReadCitations(od::value& v, const Ptr& pointer) {
  ICTS_RETURN_IF_ERROR(ForElements(v, pointer, [&](size_t index, od::value& ev) -> Status {
    Ptr p = Child(pointer, index);
    bool pointers = false, expressions = false, attributed = false, process = false;
    ICTS_RETURN_IF_ERROR(ForFields(ev, p, [&](std::string_view key, od::value&) -> Status {
      pointers |= key == "pointers";
      expressions |= key == "expressions";
      attributed |= key == "attributedTo";
      process |= key == "process";
    return Status::Ok();
}));
    if (pointers == expressions) {
      return At(p, "a citation needs exactly one of \"pointers\" and \"expressions\"");
    }
    if (!attributed && !process) {
      return At(p, "a citation needs \"attributedTo\" or \"process\"");
    }
  return Status::Ok();
}));
  return Status::Ok();
}

Status JsonReader::Finish() {
  size_t unknown_total = 0;
  auto problems = refs_.Check(kMaxWarnings, 5, &unknown_total);
  for (const auto& problem : problems) {
    if (!problem.cycle) {
      std::string ref = cyclonedx::JsonStringAt(data_, problem.handle);
      LineCol lc = LineColAt(data_, std::min<size_t>(problem.handle, data_.size()));
      info_.warnings.push_back(fmt::format("{}:{}:{}: dependency on unknown bom-ref \"{}\"", name_,
                                           lc.line, lc.column, ref));
    } else {
      std::string path;
      for (RefTable::Handle h : problem.path) {
        if (!path.empty()) path += " -> ";
        path += cyclonedx::JsonStringAt(data_, h);
      }
      info_.warnings.push_back(fmt::format("{}: dependency cycle: {}", name_, path));
    }
  }
  if (unknown_total > kMaxWarnings) {
    info_.warnings.push_back(fmt::format("{}: {} more dependencies on unknown bom-refs", name_,
                                         unknown_total - kMaxWarnings));
  }
  return sink_->OnDocument(info_);
}


}  // namespace

namespace cyclonedx {

JsonWindowing CurrentJsonWindowing() { return g_windowing; }

JsonWindowing SetJsonWindowingForTesting(const JsonWindowing& windowing) {
  JsonWindowing previous = g_windowing;
  g_windowing = windowing;
  return previous;
}

}  // namespace cyclonedx

Status ReadCycloneDxJsonBuffer(std::string_view data, const std::string& name, ItemSink* sink) {
  JsonReader reader(data, nullptr, 0, name, sink);
  return reader.Run();
}

namespace {

// A private (copy-on-write) mapping of a regular file, writable by this
// process only: the reader patches a few bytes per window. Its pages are
// mapped from the page cache (not copied) and stay shared with it until
// written.
class PrivateMapping {
 public:
  PrivateMapping() = default;
  PrivateMapping(const PrivateMapping&) = delete;
  PrivateMapping& operator=(const PrivateMapping&) = delete;
  ~PrivateMapping() {
    if (data_ != nullptr) munmap(data_, size_);
  }
  // False when the file cannot be mapped this way (not a regular file,
  // empty, mapping refused); the caller falls back to MappedFile. With
  // `populate`, every page is mapped before Open returns; otherwise pages
  // are mapped as they are first read (a large file: by the two threads of
  // the window scan, each faulting in its half).
  bool Open(const std::string& path, bool populate) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
      ::close(fd);
      return false;
    }
    size_t size = static_cast<size_t>(st.st_size);
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t mapped = (size + page - 1) / page * page;
    // Writable from the start; MADV_POPULATE_READ maps the page-cache pages
    // for reading without copying them.
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED && (!populate || madvise(p, size, kPopulateRead) == 0)) {
      ::close(fd);
      data_ = static_cast<char*>(p);
      size_ = size;
      mapped_ = mapped;
      return true;
    }
    if (p != MAP_FAILED) munmap(p, size);  // A kernel without MADV_POPULATE_READ.
    // Populated read-only, then made writable: MAP_POPULATE on a writable
    // private mapping would copy every page.
    p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) return false;
    if (mprotect(p, size, PROT_READ | PROT_WRITE) != 0) {
      munmap(p, size);
      return false;
    }
    data_ = static_cast<char*>(p);
    size_ = size;
    mapped_ = mapped;
    return true;
  }
  char* data() const { return data_; }
  size_t size() const { return size_; }
  // Readable bytes after the end of the file (the rest of its last page).
  size_t slack() const { return mapped_ - size_; }

 private:
#if defined(MADV_POPULATE_READ)
  static constexpr int kPopulateRead = MADV_POPULATE_READ;
#else
  static constexpr int kPopulateRead = 22;  // Linux 5.14 on; EINVAL before.
#endif
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;
};

}  // namespace

Status ReadCycloneDxJson(const std::string& path, ItemSink* sink) {
  PrivateMapping mapping;
  // A file that two threads scan is faulted in by them, half each, as they
  // scan it (cyclonedx::ScanTopLevelArrays); any other is populated first.
  struct stat st {};
  const bool two_part_scan =
      ::stat(path.c_str(), &st) == 0 &&
      static_cast<size_t>(st.st_size) >= std::max(g_windowing.two_thread_threshold,
                                                  cyclonedx::kTwoPartScanBytes) &&
      (g_windowing.threads != 0 ? g_windowing.threads : DefaultThreads()) > 1;
  if (mapping.Open(path, !two_part_scan)) {
    JsonReader reader(std::string_view(mapping.data(), mapping.size()), mapping.data(),
                      mapping.slack(), path, sink);
    return reader.Run();
  }
  ICTS_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  return ReadCycloneDxJsonBuffer(file.data(), path, sink);
}

bool LooksLikeCycloneDxJson(std::string_view head) {
  size_t pos = head.find("\"bomFormat\"");
  if (pos == std::string_view::npos) return false;
  pos += 11;
  auto skip = [&]() {
    while (pos < head.size() &&
           (head[pos] == ' ' || head[pos] == '\n' || head[pos] == '\r' || head[pos] == '\t')) {
      ++pos;
    }
  };
  skip();
  if (pos >= head.size() || head[pos] != ':') return false;
  ++pos;
  skip();
  return head.substr(pos, 11) == "\"CycloneDX\"";
}

}  // namespace icts::inventory
