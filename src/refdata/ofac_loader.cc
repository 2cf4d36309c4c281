#include "refdata/ofac_loader.h"

namespace icts::refdata {

OfacFileNames OfacFileNamesFor(OfacList list) {
  if (list == OfacList::kSdn) {
    return {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
  }
  return {"cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"};
}

Status LoadOfac(const OfacInputs& inputs, OfacList /*list*/, EntitySink& /*sink*/,
                LoadReport& /*report*/) {
  return Status(StatusCode::kUnimplemented, inputs.main.path + ": loader not built yet");
}

}  // namespace icts::refdata
