#include "match/screener.h"

namespace icts::match {

Result<std::unique_ptr<Screener>> Screener::Build(const refdata::Snapshot&) {
  return Status(StatusCode::kUnimplemented, "screener not built yet");
}

}  // namespace icts::match
