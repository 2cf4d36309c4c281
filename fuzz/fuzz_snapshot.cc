// Fuzz target: arbitrary bytes opened as a snapshot. Whatever opens must be
// safe to walk completely.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "refdata/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using icts::refdata::Snapshot;
  auto snap = Snapshot::FromBytes(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz-input");
  if (!snap.ok()) return 0;
  const Snapshot& s = **snap;
  (void)s.Verify();
  for (size_t i = 0; i < s.source_count(); ++i) (void)s.source(i);
  for (uint32_t i = 0; i < s.entity_count(); ++i) {
    auto e = s.entity(i).ToEntity();
    (void)s.RelationsFrom(i);
    (void)s.RelationsTo(i);
    (void)s.FindById(e.id);
  }
  for (uint32_t i = 0; i < s.relation_count(); ++i) (void)s.relation(i).ToRelation();
  return 0;
}
