// Fuzz target for the UN consolidated list XML loader.
// Any bytes must load or end in a Status: no crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "refdata/loader.h"
#include "refdata/un_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  icts::refdata::Input input{"fuzz-input",
                             std::string_view(reinterpret_cast<const char*>(data), size)};
  icts::refdata::CollectingSink sink;
  icts::refdata::LoadReport report;
  (void)icts::refdata::LoadUn(input, sink, report);
  return 0;
}
