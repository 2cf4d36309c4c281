// Fuzz target: the GLEIF Level 1 / Level 2 / reporting-exception loader (XML and JSON) over
// arbitrary bytes (see graph_fuzz.h for the invariants checked).
#include <cstddef>
#include <cstdint>

#include "fuzz/graph_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return icts::fuzz::RunGraphLoader(&icts::graph::LoadGleif, data, size);
}
