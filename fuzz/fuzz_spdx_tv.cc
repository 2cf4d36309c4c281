// Fuzz target: the SPDX 2.2 / 2.3 tag-value reader over arbitrary bytes (see inventory_fuzz.h
// for the invariants checked).
#include <cstddef>
#include <cstdint>

#include "fuzz/inventory_fuzz.h"
#include "inventory/spdx/spdx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return icts::fuzz::RunInventoryReader(&icts::inventory::ReadSpdxTagValue, data, size);
}
