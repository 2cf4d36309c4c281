// Fuzz target: arbitrary bytes parsed as a `lists build` config.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "refdata/build.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // yaml-cpp recurses on nesting; keep fuzz inputs to a sane size.
  if (size > 64 * 1024) return 0;
  auto config = icts::refdata::ParseBuildConfig(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz/config.yaml");
  (void)config;
  return 0;
}
