// Fuzz target: the services list reader (CSV or JSON, by the first byte) over
// arbitrary bytes (see inventory_fuzz.h for the invariants checked).
#include <cstddef>
#include <cstdint>

#include "fuzz/inventory_fuzz.h"
#include "inventory/assets/assets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return icts::fuzz::RunInventoryReader(&icts::inventory::ReadServices, data, size);
}
