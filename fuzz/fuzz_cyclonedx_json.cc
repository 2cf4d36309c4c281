// Fuzz target: the CycloneDX JSON reader over arbitrary bytes. Invariants: no
// crash; an error has a message that starts with the document name; on
// success OnDocument was called once, every item has a pointer, a ref and a
// known kind, and the buffer read gives the same items as a second read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "inventory/cyclonedx/cyclonedx.h"

namespace {

struct CountingSink : icts::inventory::CollectingSink {
  int documents = 0;
  icts::Status OnDocument(const icts::inventory::DocumentInfo& info) override {
    ++documents;
    return CollectingSink::OnDocument(info);
  }
};

bool KnownKind(const std::string& kind) {
  return kind == "software" || kind == "hardware" || kind == "firmware" || kind == "data" ||
         kind == "service";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  CountingSink sink;
  icts::Status s = icts::inventory::ReadCycloneDxJsonBuffer(bytes, "fuzz.json", &sink);
  if (!s.ok()) {
    if (s.message().rfind("fuzz.json", 0) != 0) std::abort();
    return 0;
  }
  if (sink.documents != 1) std::abort();
  for (const auto& item : sink.items) {
    if (item.pointer.empty() || item.ref.empty() || !KnownKind(item.kind)) std::abort();
  }
  CountingSink again;
  if (!icts::inventory::ReadCycloneDxJsonBuffer(bytes, "fuzz.json", &again).ok() ||
      again.items.size() != sink.items.size()) {
    std::abort();
  }
  (void)icts::inventory::LooksLikeCycloneDxJson(bytes.substr(0, 4096));
  return 0;
}
