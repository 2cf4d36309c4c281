#include "inventory/cyclonedx/json_text.h"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace icts::inventory::cyclonedx {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Skips a string starting after its opening quote; returns the offset after
// the closing quote, or npos.
size_t SkipString(std::string_view data, size_t i) {
  while (i < data.size()) {
    char c = data[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '"') {
      return i + 1;
    } else {
      ++i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string JsonStringAt(std::string_view data, size_t offset) {
  std::string out;
  size_t i = offset;
  while (i < data.size() && data[i] != '"') {
    char c = data[i];
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= data.size()) return "";
    char e = data[i + 1];
    i += 2;
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        if (i + 4 > data.size()) return "";
        uint32_t cp = 0;
        for (int k = 0; k < 4; ++k) {
          int v = HexValue(data[i + k]);
          if (v < 0) return "";
          cp = cp * 16 + static_cast<uint32_t>(v);
        }
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= data.size() && data[i] == '\\' &&
            data[i + 1] == 'u') {
          uint32_t lo = 0;
          bool ok = true;
          for (int k = 0; k < 4; ++k) {
            int v = HexValue(data[i + 2 + k]);
            if (v < 0) ok = false;
            lo = lo * 16 + static_cast<uint32_t>(v < 0 ? 0 : v);
          }
          if (ok && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(&out, cp);
        break;
      }
      default: out.push_back(e);
    }
  }
  return out;
}

std::string JsonPointerAt(std::string_view data, size_t offset) {
  struct Level {
    bool array;
    size_t index;
    std::string key;
    bool has_key;  // Object: a key has been read for the current member.
  };
  std::vector<Level> stack;
  size_t i = 0;
  auto pointer = [&]() {
    std::string p;
    for (const Level& l : stack) {
      if (l.array) {
        // Appended in two steps: `"/" + std::to_string(...)` trips a false
        // -Wrestrict in GCC 12 at -O3.
        p += '/';
        p += std::to_string(l.index);
      } else if (l.has_key) {
        p += "/";
        for (char c : l.key) {
          if (c == '~') {
            p += "~0";
          } else if (c == '/') {
            p += "~1";
          } else {
            p.push_back(c);
          }
        }
      }
    }
    return p;
  };
  while (i < data.size() && i < offset) {
    char c = data[i];
    if (c == '"') {
      size_t end = SkipString(data, i + 1);
      if (end == std::string_view::npos || end > offset) return pointer();
      if (!stack.empty() && !stack.back().array && !stack.back().has_key) {
        // A key if a ':' follows.
        size_t j = end;
        while (j < data.size() && (data[j] == ' ' || data[j] == '\n' || data[j] == '\r' ||
                                   data[j] == '\t')) {
          ++j;
        }
        if (j < data.size() && data[j] == ':') {
          stack.back().key = JsonStringAt(data, i + 1);
          stack.back().has_key = true;
        }
      }
      i = end;
      continue;
    }
    if (c == '{') {
      stack.push_back({false, 0, {}, false});
    } else if (c == '[') {
      stack.push_back({true, 0, {}, false});
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
    } else if (c == ',') {
      if (!stack.empty()) {
        if (stack.back().array) {
          ++stack.back().index;
        } else {
          stack.back().has_key = false;
        }
      }
    }
    ++i;
  }
  return pointer();
}

namespace {

// Bit masks of one 64-byte block.
struct BlockMasks {
  uint64_t quote, backslash, open, close;
};

BlockMasks MasksScalar(const char* p) {
  BlockMasks m{0, 0, 0, 0};
  for (int k = 0; k < 64; ++k) {
    uint64_t bit = uint64_t{1} << k;
    char c = p[k];
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if (c == '{' || c == '[') m.open |= bit;
    if (c == '}' || c == ']') m.close |= bit;
  }
  return m;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) BlockMasks MasksAvx2(const char* p) {
  auto half = [](const char* q, uint32_t* quote, uint32_t* bs, uint32_t* open,
                 uint32_t* close) __attribute__((target("avx2"))) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
    __m256i folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));  // '[' → '{', ']' → '}'
    *quote = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'))));
    *bs = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))));
    *open = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('{'))));
    *close = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('}'))));
  };
  uint32_t q0, b0, o0, c0, q1, b1, o1, c1;
  half(p, &q0, &b0, &o0, &c0);
  half(p + 32, &q1, &b1, &o1, &c1);
  return {q0 | (uint64_t{q1} << 32), b0 | (uint64_t{b1} << 32), o0 | (uint64_t{o1} << 32),
          c0 | (uint64_t{c1} << 32)};
}
#endif

uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}


#if defined(__x86_64__)
// The same by carry-less multiplication with all ones.
__attribute__((target("pclmul,sse2"))) inline uint64_t PrefixXorClmul(uint64_t x) {
  __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<int64_t>(x)),
                                         _mm_set1_epi8(static_cast<char>(0xFF)), 0);
  return static_cast<uint64_t>(_mm_cvtsi128_si64(product));
}
#endif

template <BlockMasks (*masks_fn)(const char*), uint64_t (*prefix_xor)(uint64_t)>
__attribute__((always_inline)) inline ScanResult ScanImpl(std::string_view data,
                                                          size_t chunk_bytes,
                                                          size_t min_array_bytes) {
  ScanResult result;
  const size_t n = data.size();
  int64_t depth = 0;
  bool in_string = false;     // Carried across blocks.
  bool escape_next = false;   // The first byte of the next block is escaped.
  // State for the root object's members.
  size_t last_string_start = 0, last_string_end = 0;  // Offsets of the last depth-1 string.
  ArraySplit current;
  bool in_array = false;
  size_t chunk_start = 0;
  size_t last_element_end = 0;
  size_t elements = 0;  // Elements of the current array closed so far.
  char tail[64];
  for (size_t base = 0; base < n; base += 64) {
    const char* p = data.data() + base;
    size_t len = n - base < 64 ? n - base : 64;
    if (len < 64) {
      std::memset(tail, ' ', sizeof(tail));
      std::memcpy(tail, p, len);
      p = tail;
    }
    BlockMasks m = masks_fn(p);
    uint64_t escaped = 0;
    if (m.backslash != 0 || escape_next) {
      // Backslashes are rare in SBOMs; resolve runs bit by bit.
      uint64_t bs = m.backslash;
      if (escape_next) {
        escaped |= 1;
        bs &= ~uint64_t{1};
      }
      escape_next = false;
      while (bs != 0) {
        int k = __builtin_ctzll(bs);
        if (k == 63) {
          escape_next = true;
          break;
        }
        escaped |= uint64_t{1} << (k + 1);
        bs &= ~((uint64_t{2} << k) | (uint64_t{1} << k));  // The next byte is consumed.
      }
    }
    uint64_t quotes = m.quote & ~escaped;
    uint64_t inside = prefix_xor(quotes);
    if (in_string) inside = ~inside;
    // `inside` covers the opening quote and the string body, not the closing quote.
    in_string = (inside >> 63) & 1;
    uint64_t opens = m.open & ~inside;
    uint64_t closes = m.close & ~inside;
    uint64_t events = opens | closes;
    // Quotes matter only at depth 1 (member keys of the root object); depth
    // can fall by at most the number of closing brackets in this block.
    bool keys_possible = depth - static_cast<int64_t>(__builtin_popcountll(closes)) <= 1;
    if (!keys_possible &&
        depth - static_cast<int64_t>(__builtin_popcountll(closes)) > 2) {
      // Deep inside an element: only the net depth change matters.
      depth += __builtin_popcountll(opens) - __builtin_popcountll(closes);
    } else if (keys_possible || events != 0) {
      uint64_t all = events | (keys_possible ? quotes : 0);
      while (all != 0) {
        int k = __builtin_ctzll(all);
        all &= all - 1;
        size_t off = base + static_cast<size_t>(k);
        uint64_t bit = uint64_t{1} << k;
        if (quotes & bit) {
          // Quotes at depth 1 delimit member keys (and string values).
          if (depth == 1) {
            if (inside & bit) {
              last_string_start = off + 1;
            } else {
              last_string_end = off;
            }
          }
          continue;
        }
        if (opens & bit) {
          ++depth;
          if (depth == 2 && data[off] == '[') {
            current = ArraySplit{};
            current.key = JsonStringAt(data, last_string_start);
            if (last_string_end < last_string_start) current.key.clear();
            current.open = off;
            in_array = true;
            chunk_start = off + 1;
            last_element_end = 0;
            elements = 0;
          }
        } else {
          --depth;
          if (depth < 0) {
            result.error_offset = off;
            result.error = "unbalanced closing bracket";
            return result;
          }
          if (in_array && depth == 2) {
            last_element_end = off + 1;
            ++elements;
            if (last_element_end - chunk_start >= chunk_bytes) {
              current.cuts.push_back(last_element_end);
              current.elements_before.push_back(elements);
              chunk_start = last_element_end;
            }
          } else if (in_array && depth == 1) {
            current.close = off;
            in_array = false;
            if (current.close - current.open >= min_array_bytes && !current.cuts.empty()) {
              result.arrays.push_back(std::move(current));
            }
            current = ArraySplit{};
          }
        }
      }
    }
  }
  if (in_string) {
    result.error_offset = n;
    result.error = "unterminated string at end of input";
    return result;
  }
  if (depth != 0) {
    result.error_offset = n;
    result.error = "truncated input: unclosed object or array";
    return result;
  }
  result.ok = true;
  return result;
}

ScanResult ScanGeneric(std::string_view data, size_t chunk_bytes, size_t min_array_bytes) {
  return ScanImpl<MasksScalar, PrefixXor>(data, chunk_bytes, min_array_bytes);
}

#if defined(__x86_64__)
// The same loop compiled for AVX2 with hardware popcount.
__attribute__((target("avx2,popcnt,bmi,pclmul"))) ScanResult ScanAvx2(std::string_view data,
                                                                size_t chunk_bytes,
                                                                size_t min_array_bytes) {
  return ScanImpl<MasksAvx2, PrefixXorClmul>(data, chunk_bytes, min_array_bytes);
}
#endif

}  // namespace

ScanResult ScanTopLevelArrays(std::string_view data, size_t chunk_bytes, size_t min_array_bytes) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
                           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("pclmul");
  if (avx2) return ScanAvx2(data, chunk_bytes, min_array_bytes);
#endif
  return ScanGeneric(data, chunk_bytes, min_array_bytes);
}

}  // namespace icts::inventory::cyclonedx
