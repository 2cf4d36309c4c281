// How the CycloneDX JSON reader splits large documents into windows and how
// many threads parse them (see cyclonedx_json.cc). Internal to this folder;
// tests lower the sizes to exercise windows on small documents.
#ifndef ICTS_INVENTORY_CYCLONEDX_JSON_WINDOWING_H_
#define ICTS_INVENTORY_CYCLONEDX_JSON_WINDOWING_H_

#include <cstddef>

namespace icts::inventory::cyclonedx {

struct JsonWindowing {
  // Documents from this size on are read in windows.
  size_t threshold = size_t{4} << 20;
  // About this many bytes of whole array elements per window; 0: 1 MB for
  // one thread, 256 KB for two.
  size_t window_bytes = 0;
  // Top-level arrays from this size on are split into windows.
  size_t min_array_bytes = size_t{2} << 20;
  // 1: windows are parsed and delivered one after the other on the calling
  // thread. 2: a second thread parses windows too, while the calling thread
  // delivers their items in document order. 0: 2 when the machine has more
  // than one core, else 1.
  unsigned threads = 0;
  // Documents below this size are read on one thread whatever `threads`
  // says: the second thread's start and its parser's first allocation cost
  // more than it saves.
  size_t two_thread_threshold = size_t{16} << 20;
};

// The settings reads use now.
JsonWindowing CurrentJsonWindowing();
// Replaces the settings for reads that start later and returns the previous
// ones. Must not be called while a read runs.
JsonWindowing SetJsonWindowingForTesting(const JsonWindowing& windowing);

}  // namespace icts::inventory::cyclonedx

#endif  // ICTS_INVENTORY_CYCLONEDX_JSON_WINDOWING_H_
