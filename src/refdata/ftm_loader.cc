#include "refdata/ftm_loader.h"

namespace icts::refdata {

Status LoadFtm(const Input& input, EntitySink& /*sink*/, LoadReport& /*report*/) {
  return Status(StatusCode::kUnimplemented, input.path + ": loader not built yet");
}

}  // namespace icts::refdata
