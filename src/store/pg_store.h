// The PostgreSQL backend (postgres://... and postgresql://...). Store::Open
// is the way in; this header exists for tests and tools that need an older
// schema or the URL handling.
//
// URL: any libpq URI (postgresql://user:password@host:port/db?sslmode=...),
// plus one parameter of our own, `schema=NAME`: the store lives in that
// schema (created when missing) instead of the user's default search path,
// so several stores can share one database. Without it the store uses the
// connection's default schema (normally "public"). When the URI has no
// connect_timeout, 10 seconds is used.
#ifndef ICTS_STORE_PG_STORE_H_
#define ICTS_STORE_PG_STORE_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace icts::store {

// The newest schema version of the PostgreSQL backend.
int PostgresSchemaVersion();

// A parsed store URL.
struct PostgresUrl {
  std::string conninfo;  // What libpq gets (our own parameters removed).
  std::string display;   // The URL without any password.
  std::string schema;    // From schema=..., or "".
};
// InvalidArgument when `url` is not postgres:// or postgresql://.
Result<PostgresUrl> ParsePostgresUrl(const std::string& url);

// Opens the store at `url`, migrating it only up to `target_version`
// (<= PostgresSchemaVersion()). Store::Open always migrates to the newest
// version; a lower target is for migration tests.
Result<std::unique_ptr<Store>> OpenPostgresAt(const std::string& url, int target_version);

}  // namespace icts::store

#endif  // ICTS_STORE_PG_STORE_H_
