// Fuzz target for the FollowTheMoney JSON lines loader.
// Any bytes must load or end in a Status: no crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "refdata/ftm_loader.h"
#include "refdata/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  icts::refdata::Input input{"fuzz-input",
                             std::string_view(reinterpret_cast<const char*>(data), size)};
  icts::refdata::CollectingSink sink;
  icts::refdata::LoadReport report;
  (void)icts::refdata::LoadFtm(input, sink, report);
  return 0;
}
