// Loader for the project's own curated YAML registry (see docs/curated-format.md).
#ifndef ICTS_REFDATA_CURATED_LOADER_H_
#define ICTS_REFDATA_CURATED_LOADER_H_

#include "base/status.h"
#include "refdata/loader.h"

namespace icts::refdata {

// Streams `input` once, sends entities (and relations) to `sink`, and
// counts rows, entities and rejected rows in `report`. Returns a non-OK
// status naming file:line[:column] when the file as a whole is corrupt.
Status LoadCurated(const Input& input, EntitySink& sink, LoadReport& report);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_CURATED_LOADER_H_
