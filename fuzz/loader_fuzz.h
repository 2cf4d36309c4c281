// Shared body of the single-file loader fuzz targets: run the loader over
// arbitrary bytes and check that whatever it reports agrees with what reached
// the sink. The status is ignored (bad input is expected); a broken invariant
// aborts so libFuzzer keeps the input.
#ifndef ICTS_FUZZ_LOADER_FUZZ_H_
#define ICTS_FUZZ_LOADER_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "refdata/loader.h"
#include "refdata/model.h"

namespace icts::fuzz {

inline void Check(bool condition) {
  if (!condition) std::abort();
}

// Keeps nothing; checks each entity and relation as it arrives.
class CheckingSink : public refdata::EntitySink {
 public:
  void AddEntity(refdata::Entity&& entity) override {
    Check(!entity.id.empty());
    Check(!entity.PrimaryName().empty());
    ++entities;
  }
  void AddRelation(refdata::Relation&& relation) override {
    Check(!relation.from_id.empty() || !relation.from_name.empty());
    ++relations;
  }
  uint64_t entities = 0;
  uint64_t relations = 0;
};

using LoaderFn = Status (*)(const refdata::Input&, refdata::EntitySink&, refdata::LoadReport&);

inline int RunLoader(LoaderFn load, const uint8_t* data, size_t size) {
  refdata::Input input{"fuzz-input", std::string_view(reinterpret_cast<const char*>(data), size)};
  CheckingSink sink;
  refdata::LoadReport report;
  Status status = load(input, sink, report);
  (void)status;
  Check(sink.entities == report.entities);
  Check(sink.relations == report.relations);
  Check(report.entities + report.rejected <= report.rows);
  return 0;
}

}  // namespace icts::fuzz

#endif  // ICTS_FUZZ_LOADER_FUZZ_H_
