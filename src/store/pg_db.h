// A thin wrapper over libpq that reports errors as Status: Conn (a
// connection), Rows (a query result) and Tx (a transaction).
//
// Statements go through PQexecParams with text parameters ($1, $2, ...):
// values are never spliced into SQL. Errors carry the server's SQLSTATE
// ("... (SQLSTATE 23505)") and map to status codes: unique violation →
// AlreadyExists, other integrity violations and trigger refusals →
// FailedPrecondition, data exceptions → InvalidArgument, serialisation
// failures and deadlocks → Aborted, connection and resource problems →
// Unavailable, everything else → Internal.
//
// Not thread-safe: one Conn per thread. Rows own their result and may
// outlive the statement, not the Conn.
#ifndef ICTS_STORE_PG_DB_H_
#define ICTS_STORE_PG_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct pg_conn;
struct pg_result;

namespace icts::store::pg {

// One text parameter; an empty optional is SQL NULL.
struct Param {
  Param(std::string_view text) : value(std::string(text)) {}      // NOLINT
  Param(const std::string& text) : value(text) {}                 // NOLINT
  Param(const char* text) : value(std::string(text)) {}           // NOLINT
  Param(int64_t number) : value(std::to_string(number)) {}        // NOLINT
  Param(int number) : value(std::to_string(number)) {}            // NOLINT
  Param(std::nullopt_t) {}                                        // NOLINT
  Param(const std::optional<std::string>& text) : value(text) {}  // NOLINT
  std::optional<std::string> value;
};
using Params = std::vector<Param>;

// A query result: rows of text values.
class Rows {
 public:
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&& other) noexcept;
  ~Rows();

  int size() const;
  bool empty() const { return size() == 0; }
  // Rows changed by an INSERT/UPDATE/DELETE.
  int64_t Affected() const;

  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;
  std::optional<std::string> OptText(int row, int column) const;

 private:
  friend class Conn;
  explicit Rows(pg_result* result) : result_(result) {}
  pg_result* result_;
};

class Conn {
 public:
  // Connects with a libpq connection string or URI. `display` names the
  // database in messages (the URL without its password). Unavailable when
  // the server cannot be reached or refuses the login.
  static Result<std::unique_ptr<Conn>> Connect(const std::string& conninfo, std::string display);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Statements run once after every (re)connection, e.g. SET search_path.
  void SetSessionSetup(std::string sql) { session_setup_ = std::move(sql); }
  // Runs the session setup now.
  Status RunSessionSetup();

  // Runs one or more statements without parameters (migrations).
  Status Exec(std::string_view sql);
  // Runs one statement with text parameters.
  Result<Rows> Query(std::string_view sql, const Params& params = {});

  // Quotes `name` as an SQL identifier.
  Result<std::string> QuoteIdentifier(std::string_view name);

  // True while no transaction is open and the connection was lost: the
  // next Begin reconnects.
  bool Broken() const;
  // Reconnects when Broken(), running the session setup again.
  Status EnsureConnected();

  const std::string& display() const { return display_; }
  pg_conn* raw() { return conn_; }

 private:
  Conn(pg_conn* conn, std::string display) : conn_(conn), display_(std::move(display)) {}
  // A Status for a failed result (or a missing one), prefixed with `what`.
  Status ResultError(pg_result* result, std::string_view what) const;

  pg_conn* conn_;
  std::string display_;
  std::string session_setup_;
};

// BEGIN on construction (check status()), then `lock_sql` when not empty
// (e.g. "LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE"); ROLLBACK on
// destruction unless Commit() succeeded.
class Tx {
 public:
  explicit Tx(Conn& conn, std::string_view lock_sql = {});
  ~Tx();
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  const Status& status() const { return status_; }
  // COMMIT. A lost connection during COMMIT is Unavailable: the outcome is
  // then unknown to the caller, as with any client of a remote database.
  Status Commit();

 private:
  Conn& conn_;
  Status status_;
  bool open_ = false;
};

}  // namespace icts::store::pg

#endif  // ICTS_STORE_PG_DB_H_
