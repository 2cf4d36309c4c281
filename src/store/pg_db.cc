#include "store/pg_db.h"

#include <libpq-fe.h>

#include <cstdlib>

namespace icts::store::pg {

namespace {

StatusCode CodeForSqlState(std::string_view state) {
  if (state.size() != 5) return StatusCode::kInternal;
  if (state == "23505") return StatusCode::kAlreadyExists;
  std::string_view cls = state.substr(0, 2);
  if (cls == "23") return StatusCode::kFailedPrecondition;  // Integrity, triggers.
  if (cls == "22") return StatusCode::kInvalidArgument;     // Data exceptions.
  if (cls == "40") return StatusCode::kAborted;             // Serialisation, deadlock.
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58" || cls == "3D") {
    return StatusCode::kUnavailable;  // Connection, resources, shutdown.
  }
  if (cls == "28") return StatusCode::kUnavailable;  // Authorisation.
  if (cls == "55") return StatusCode::kUnavailable;  // Lock not available.
  return StatusCode::kInternal;
}

std::string ConnMessage(const PGconn* conn) {
  std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  // libpq's multi-line messages read better on one line.
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  return message;
}

// Notices ("relation already exists, skipping") are not errors; keep them
// off stderr.
void IgnoreNotice(void*, const char*) {}

}  // namespace

// --- Rows --------------------------------------------------------------------

Rows::Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }

Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

Rows::~Rows() { PQclear(result_); }

int Rows::size() const { return result_ != nullptr ? PQntuples(result_) : 0; }

int64_t Rows::Affected() const {
  const char* n = result_ != nullptr ? PQcmdTuples(result_) : "";
  return *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

bool Rows::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}

int64_t Rows::Int(int row, int column) const {
  return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10);
}

std::optional<std::string> Rows::OptText(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Text(row, column);
}

// --- Conn --------------------------------------------------------------------

Result<std::unique_ptr<Conn>> Conn::Connect(const std::string& conninfo, std::string display) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string message = ConnMessage(conn);
    PQfinish(conn);
    return UnavailableError(display + ": cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  return std::unique_ptr<Conn>(new Conn(conn, std::move(display)));
}

Conn::~Conn() { PQfinish(conn_); }

Status Conn::ResultError(PGresult* result, std::string_view what) const {
  std::string prefix = display_ + ": " + std::string(what) + ": ";
  if (result == nullptr) {
    return UnavailableError(prefix + ConnMessage(conn_));
  }
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
  std::string message = primary != nullptr ? primary : ConnMessage(conn_);
  if (detail != nullptr) message += std::string(" (") + detail + ")";
  StatusCode code = StatusCode::kUnavailable;  // No SQLSTATE: the link failed.
  if (state != nullptr) {
    message += std::string(" (SQLSTATE ") + state + ")";
    code = CodeForSqlState(state);
  } else if (PQstatus(conn_) == CONNECTION_OK) {
    code = StatusCode::kInternal;
  }
  return Status(code, prefix + message);
}

Status Conn::RunSessionSetup() {
  if (session_setup_.empty()) return Status::Ok();
  return Exec(session_setup_);
}

Status Conn::Exec(std::string_view sql) {
  std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  ExecStatusType st = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
    Status s = ResultError(result, "exec");
    PQclear(result);
    return s;
  }
  PQclear(result);
  return Status::Ok();
}

Result<Rows> Conn::Query(std::string_view sql, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const std::optional<std::string>& v = params[i].value;
    if (v && v->find('\0') != std::string::npos) {
      return InvalidArgumentError(display_ + ": parameter $" + std::to_string(i + 1) +
                                  " contains a NUL byte, which PostgreSQL text "
                                  "cannot hold");
    }
    values.push_back(v ? v->c_str() : nullptr);
  }
  std::string text(sql);
  PGresult* result = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, /*resultFormat=*/0);
  ExecStatusType st = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Status s = ResultError(result, "query");
    PQclear(result);
    return s;
  }
  return Rows(result);
}

Result<std::string> Conn::QuoteIdentifier(std::string_view name) {
  char* quoted = PQescapeIdentifier(conn_, name.data(), name.size());
  if (quoted == nullptr) {
    return InvalidArgumentError(display_ + ": bad identifier: " + ConnMessage(conn_));
  }
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

bool Conn::Broken() const { return PQstatus(conn_) != CONNECTION_OK; }

Status Conn::EnsureConnected() {
  if (!Broken()) return Status::Ok();
  PQreset(conn_);
  if (Broken()) {
    return UnavailableError(display_ +
                            ": connection lost and cannot reconnect: " + ConnMessage(conn_));
  }
  return RunSessionSetup();
}

// --- Tx ----------------------------------------------------------------------

Tx::Tx(Conn& conn, std::string_view lock_sql) : conn_(conn) {
  status_ = conn_.EnsureConnected();
  if (!status_.ok()) return;
  status_ = conn_.Exec("BEGIN ISOLATION LEVEL READ COMMITTED");
  if (!status_.ok()) return;
  open_ = true;
  if (!lock_sql.empty()) status_ = conn_.Exec(lock_sql);
}

Tx::~Tx() {
  if (open_ && !conn_.Broken()) (void)conn_.Exec("ROLLBACK");
}

Status Tx::Commit() {
  if (!open_) return status_.ok() ? InternalError("transaction not open") : status_;
  if (!status_.ok()) return status_;
  // COMMIT of a transaction that failed earlier reports ROLLBACK, not an
  // error; check the transaction state first.
  if (PQtransactionStatus(conn_.raw()) == PQTRANS_INERROR) {
    return InternalError(conn_.display() + ": commit of a transaction that already failed");
  }
  Status s = conn_.Exec("COMMIT");
  open_ = false;
  return s;
}

}  // namespace icts::store::pg
