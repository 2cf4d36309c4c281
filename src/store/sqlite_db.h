// A thin RAII wrapper over the SQLite C API that reports errors as Status:
// Db (a connection), Stmt (a prepared statement) and Tx (a transaction).
//
// Not thread-safe: one Db per thread. Statements must not outlive their Db.
#ifndef ICTS_STORE_SQLITE_DB_H_
#define ICTS_STORE_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace icts::store::sqlite {

class Stmt;

class Db {
 public:
  // Opens (creating) the database file at `path` (":memory:" for a private
  // in-memory database). Sets the busy timeout; pragmas are the caller's.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int busy_timeout_ms = 10000);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return no rows of interest.
  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

  // A Status for the connection's last error, prefixed with `what`.
  Status Error(int rc, std::string_view what) const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

class Stmt {
 public:
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  ~Stmt();

  // Binders take 1-based indexes and return *this; a bind error is kept and
  // reported by the next Step/Run.
  Stmt& Bind(int index, std::string_view text);
  Stmt& Bind(int index, int64_t value);
  Stmt& BindNull(int index);
  Stmt& BindOpt(int index, const std::optional<std::string>& text);

  // One step: true when a row is ready, false when done.
  Result<bool> Step();
  // Steps to the end (for statements without result rows).
  Status Run();
  // Resets for another execution and clears bindings.
  void Reset();

  bool IsNull(int column) const;
  std::string Text(int column) const;
  int64_t Int(int column) const;
  std::optional<std::string> OptText(int column) const;

 private:
  friend class Db;
  Stmt(Db* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void Note(int rc, int index);
  Db* db_;
  sqlite3_stmt* stmt_;
  Status bind_status_;
};

// BEGIN IMMEDIATE on construction (check status()); ROLLBACK on destruction
// unless Commit() succeeded.
class Tx {
 public:
  explicit Tx(Db& db);
  ~Tx();
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  const Status& status() const { return status_; }
  Status Commit();

 private:
  Db& db_;
  Status status_;
  bool open_ = false;
};

}  // namespace icts::store::sqlite

#endif  // ICTS_STORE_SQLITE_DB_H_
