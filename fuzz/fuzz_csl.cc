// Fuzz target: the Consolidated Screening List loader over arbitrary bytes. The
// status is ignored; the report and what reaches the sink must stay
// consistent whatever the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "refdata/csl_loader.h"
#include "refdata/loader.h"
#include "refdata/model.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// Keeps nothing; checks each entity as it arrives.
class CheckingSink : public icts::refdata::EntitySink {
 public:
  void AddEntity(icts::refdata::Entity&& entity) override {
    Check(!entity.id.empty());
    Check(!entity.PrimaryName().empty());
    ++entities;
  }
  void AddRelation(icts::refdata::Relation&& relation) override {
    Check(!relation.from_id.empty());
    ++relations;
  }
  uint64_t entities = 0;
  uint64_t relations = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  icts::refdata::Input input{"fuzz-input",
                             std::string_view(reinterpret_cast<const char*>(data), size)};
  CheckingSink sink;
  icts::refdata::LoadReport report;
  icts::Status status = icts::refdata::LoadCsl(input, sink, report);
  (void)status;
  Check(sink.entities == report.entities);
  Check(sink.relations == report.relations);
  Check(report.entities + report.rejected <= report.rows);
  return 0;
}
