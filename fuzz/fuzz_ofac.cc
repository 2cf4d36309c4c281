// Fuzz target for the OFAC legacy CSV loader.
//
// Input layout: the first byte picks the list (even: SDN, odd: consolidated);
// the rest is split on lines holding only "====" into at most four parts,
// used in order as the main, address, alias and comments files. Missing
// parts are absent files. The returned Status is ignored: only crashes,
// sanitizer reports and hangs count.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "refdata/loader.h"
#include "refdata/ofac_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using icts::refdata::Input;
  if (size == 0) return 0;
  const auto list =
      (data[0] & 1) != 0 ? icts::refdata::OfacList::kConsolidated : icts::refdata::OfacList::kSdn;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  constexpr std::string_view kSeparator = "\n====\n";
  std::string_view parts[4];
  size_t count = 0;
  while (count < 3) {
    size_t at = rest.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts[count++] = rest.substr(0, at);
    rest.remove_prefix(at + kSeparator.size());
  }
  parts[count++] = rest;

  icts::refdata::OfacInputs inputs;
  Input* slots[4] = {&inputs.main, &inputs.addresses, &inputs.aliases, &inputs.comments};
  const char* names[4] = {"main.csv", "add.csv", "alt.csv", "comments.csv"};
  for (size_t i = 0; i < count; ++i) {
    slots[i]->path = names[i];
    slots[i]->data = parts[i];
  }
  icts::refdata::CollectingSink sink;
  icts::refdata::LoadReport report;
  (void)icts::refdata::LoadOfac(inputs, list, sink, report);
  return 0;
}
