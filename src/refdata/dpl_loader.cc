#include "refdata/dpl_loader.h"

namespace icts::refdata {

Status LoadDpl(const Input& input, EntitySink& /*sink*/, LoadReport& /*report*/) {
  return Status(StatusCode::kUnimplemented, input.path + ": loader not built yet");
}

}  // namespace icts::refdata
