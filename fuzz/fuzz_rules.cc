// Fuzz target: the rule-file parsers (foreign-adversary list and nexus
// definition) over arbitrary bytes. Whatever they accept must be usable:
// matching a country never crashes and thresholds are fractions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "graph/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto list = icts::graph::ParseAdversaryList(text, "fuzz.yaml");
  if (list.ok()) {
    for (const auto& a : list->adversaries) {
      (void)list->Match(a.code, *icts::Date::ParseIso("2025-06-01"));
    }
  }
  auto def = icts::graph::ParseNexusDefinition(text, "fuzz.yaml");
  if (def.ok()) {
    if (def->majority && (*def->majority < 0 || *def->majority > 1)) std::abort();
    if (def->review_from < 0 || def->review_from > 1) std::abort();
  }
  return 0;
}
