// Fuzz target: the UN consolidated list XML loader over arbitrary bytes (see loader_fuzz.h for the
// invariants checked).
#include <cstddef>
#include <cstdint>

#include "fuzz/loader_fuzz.h"
#include "refdata/un_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return icts::fuzz::RunLoader(&icts::refdata::LoadUn, data, size);
}
