// Loader for FollowTheMoney entity JSON lines (entities and Ownership / Directorship / other relations).
#ifndef ICTS_REFDATA_FTM_LOADER_H_
#define ICTS_REFDATA_FTM_LOADER_H_

#include "base/status.h"
#include "refdata/loader.h"

namespace icts::refdata {

// Streams `input` once, sends entities (and relations) to `sink`, and
// counts rows, entities and rejected rows in `report`. Returns a non-OK
// status naming file:line[:column] when the file as a whole is corrupt.
Status LoadFtm(const Input& input, EntitySink& sink, LoadReport& report);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_FTM_LOADER_H_
