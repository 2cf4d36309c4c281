// Fuzz target: the curated registry (YAML) loader over arbitrary bytes (see loader_fuzz.h for the
// invariants checked).
#include <cstddef>
#include <cstdint>

#include "fuzz/loader_fuzz.h"
#include "refdata/curated_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return icts::fuzz::RunLoader(&icts::refdata::LoadCurated, data, size);
}
