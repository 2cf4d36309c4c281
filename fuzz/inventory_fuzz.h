// Shared body of the inventory reader fuzz targets: run a reader over
// arbitrary bytes and check the sink contract (one OnDocument, before or
// after the items; every item has a ref, a place and its file) and that a
// failure names the input. The status itself is ignored (bad input is
// expected); a broken invariant aborts so libFuzzer keeps the input.
#ifndef ICTS_FUZZ_INVENTORY_FUZZ_H_
#define ICTS_FUZZ_INVENTORY_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "inventory/item.h"

namespace icts::fuzz {

inline constexpr char kInventoryFuzzName[] = "fuzz-input";

inline void CheckInventory(bool condition) {
  if (!condition) std::abort();
}

class CheckingItemSink : public inventory::ItemSink {
 public:
  Status OnDocument(const inventory::DocumentInfo& info) override {
    CheckInventory(documents++ == 0);
    CheckInventory(info.file == kInventoryFuzzName);
    CheckInventory(!info.format.empty());
    return Status::Ok();
  }
  Status OnItem(inventory::Item&& item) override {
    CheckInventory(!item.ref.empty());
    CheckInventory(!item.pointer.empty());
    CheckInventory(item.file == kInventoryFuzzName);
    CheckInventory(item.count >= 1);
    for (const inventory::OrgRef& org : item.orgs) {
      CheckInventory(!org.role.empty() && !org.name.empty());
    }
    ++items;
    return Status::Ok();
  }
  Status OnRelation(std::string_view from, std::string_view kind, std::string_view to) override {
    CheckInventory(!from.empty() && !kind.empty() && !to.empty());
    ++relations;
    return Status::Ok();
  }
  uint64_t documents = 0, items = 0, relations = 0;
};

using InventoryReaderFn = Status (*)(std::string_view, const std::string&, inventory::ItemSink*);

inline int RunInventoryReader(InventoryReaderFn read, const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  CheckingItemSink sink;
  Status status = read(bytes, kInventoryFuzzName, &sink);
  if (status.ok()) {
    CheckInventory(sink.documents == 1);
  } else {
    CheckInventory(status.message().rfind(kInventoryFuzzName, 0) == 0);
  }
  return 0;
}

}  // namespace icts::fuzz

#endif  // ICTS_FUZZ_INVENTORY_FUZZ_H_
