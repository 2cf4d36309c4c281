// Fuzz target: the CSV asset inventory reader over arbitrary bytes, with a
// small inline OUI registry so MAC lookups run too (see inventory_fuzz.h for
// the invariants checked). Every MAC an item carries is normalised.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/inventory_fuzz.h"
#include "inventory/assets/assets.h"

namespace {

const icts::inventory::OuiRegistry& Registry() {
  static const icts::inventory::OuiRegistry* registry = [] {
    auto* r = new icts::inventory::OuiRegistry();
    icts::Status status = r->AddCsv(
        "Registry,Assignment,Organization Name,Organization Address\n"
        "MA-L,44D791,\"HUAWEI TECHNOLOGIES CO.,LTD\",\"No.2 Xin Cheng Road Dongguan  CN 523808 \"\n"
        "MA-M,741AE09,Private,\n"
        "MA-S,70B3D5F2F,TELEPLATFORMS,\"Polbina st., 3/1 Moscow  RU 109388 \"\n",
        "fuzz-oui.csv");
    icts::fuzz::CheckInventory(status.ok());
    return r;
  }();
  return *registry;
}

class MacCheckingSink : public icts::fuzz::CheckingItemSink {
 public:
  icts::Status OnItem(icts::inventory::Item&& item) override {
    icts::fuzz::CheckInventory(item.mac.empty() || item.mac.size() == 17);
    return CheckingItemSink::OnItem(std::move(item));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  icts::inventory::AssetCsvOptions options;
  options.oui = &Registry();
  MacCheckingSink sink;
  icts::Status status =
      icts::inventory::ReadAssetCsv(bytes, icts::fuzz::kInventoryFuzzName, &sink, options);
  if (!status.ok()) {
    icts::fuzz::CheckInventory(status.message().rfind(icts::fuzz::kInventoryFuzzName, 0) == 0);
  } else {
    icts::fuzz::CheckInventory(sink.documents == 1);
  }
  return 0;
}
