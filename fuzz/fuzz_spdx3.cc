// Fuzz target: the SPDX 3.0 JSON-LD reader over arbitrary bytes (see inventory_fuzz.h
// for the invariants checked).
#include <cstddef>
#include <cstdint>

#include "fuzz/inventory_fuzz.h"
#include "inventory/spdx/spdx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return icts::fuzz::RunInventoryReader(&icts::inventory::ReadSpdx3JsonLd, data, size);
}
