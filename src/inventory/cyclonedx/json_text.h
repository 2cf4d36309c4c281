// Small helpers over raw JSON text used on error paths and for splitting
// large documents: reading a string token at an offset, the JSON pointer of
// an offset, and a fast scanner that finds element boundaries of the large
// top-level arrays. Internal to this folder.
#ifndef ICTS_INVENTORY_CYCLONEDX_JSON_TEXT_H_
#define ICTS_INVENTORY_CYCLONEDX_JSON_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace icts::inventory::cyclonedx {

// The unescaped string whose first character (after the opening quote) is at
// `offset`. Returns "" for malformed input.
std::string JsonStringAt(std::string_view data, size_t offset);

// The JSON pointer of the innermost value containing `offset` (for an offset
// inside an object key or member value, the pointer to that member).
// Scalar scan from the start; meant for error messages only.
std::string JsonPointerAt(std::string_view data, size_t offset);

// A top-level member of the root object whose value is an array, split into
// runs of whole elements of about `chunk_bytes` each.
struct ArraySplit {
  std::string key;
  size_t open = 0;   // Offset of '['.
  size_t close = 0;  // Offset of the matching ']'.
  // Offsets just after the '}' or ']' that ends an element, chosen so the
  // text between two consecutive cuts (after skipping ',' and spaces) holds
  // whole elements. Does not include `open` or `close`.
  std::vector<size_t> cuts;
  // elements_before[i]: the number of object or array elements that end
  // before cuts[i] (the index of the first element after that cut, when every
  // element is an object or array; a scalar element is not counted).
  std::vector<size_t> elements_before;
};

struct ScanResult {
  bool ok = false;
  size_t error_offset = 0;  // When !ok.
  std::string error;        // When !ok.
  std::vector<ArraySplit> arrays;  // Top-level array members with cuts.
};

// Scans `data` once (string- and escape-aware; SIMD where the CPU has it) and
// splits each top-level array member larger than `min_array_bytes`. Reports
// unbalanced brackets and unterminated strings with their offset. With
// `threads` > 1, a document of `two_part_bytes` or more is scanned in two
// parts at once (the second backward from its end); the result is the same.
constexpr size_t kTwoPartScanBytes = size_t{32} << 20;
ScanResult ScanTopLevelArrays(std::string_view data, size_t chunk_bytes, size_t min_array_bytes,
                              unsigned threads = 1, size_t two_part_bytes = kTwoPartScanBytes);

// The same scan with a chosen kernel (tests compare them): kAuto is the
// one ScanTopLevelArrays uses (AVX-512, else AVX2, else scalar, as the CPU
// allows); a kernel the CPU lacks falls back to the scalar one.
enum class ScanKernel { kAuto, kScalar, kAvx2, kAvx512 };
bool ScanKernelAvailable(ScanKernel kernel);
ScanResult ScanTopLevelArraysWith(ScanKernel kernel, std::string_view data, size_t chunk_bytes,
                                  size_t min_array_bytes, unsigned threads = 1,
                                  size_t two_part_bytes = kTwoPartScanBytes);

}  // namespace icts::inventory::cyclonedx

#endif  // ICTS_INVENTORY_CYCLONEDX_JSON_TEXT_H_
