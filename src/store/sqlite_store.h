// The SQLite backend (sqlite:PATH). Store::Open is the way in; this header
// exists for tests that need an older schema or the raw file.
#ifndef ICTS_STORE_SQLITE_STORE_H_
#define ICTS_STORE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace icts::store {

// The newest schema version of the SQLite backend.
int SqliteSchemaVersion();

// Opens the SQLite store at `path`, migrating it only up to
// `target_version` (<= SqliteSchemaVersion()). Store::Open always migrates
// to the newest version; a lower target is for migration tests.
Result<std::unique_ptr<Store>> OpenSqliteAt(const std::string& path, int target_version);

}  // namespace icts::store

#endif  // ICTS_STORE_SQLITE_STORE_H_
