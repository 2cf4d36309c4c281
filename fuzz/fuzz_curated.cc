// Fuzz target for the curated YAML loader: any bytes must give a Status or
// rejects, never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "refdata/curated_loader.h"
#include "refdata/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  icts::refdata::Input input{
      "fuzz-input",
      std::string_view(reinterpret_cast<const char*>(data), size)};
  icts::refdata::CollectingSink sink;
  icts::refdata::LoadReport report;
  (void)icts::refdata::LoadCurated(input, sink, report);
  return 0;
}
