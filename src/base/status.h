// Status and Result<T>: the error currency of the project.
//
// A Status is either OK or carries a code (abseil's canonical numbers) and a
// message. Result<T> holds either a value or a non-OK Status; it can never hold
// an OK Status. Bad input is always reported through these types, never by
// assert or by an exception crossing a module boundary.
//
// Thread safety: const methods may be called concurrently; a Status or Result
// that is being modified needs external synchronisation.
#ifndef ICTS_BASE_STATUS_H_
#define ICTS_BASE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace icts {

// Canonical codes, numbered as in abseil so they map to HTTP and exit codes
// in one table (see ExitCodeFor).
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK.
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "INVALID_ARGUMENT: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is `prefix` + ": " + message.
  Status WithPrefix(std::string_view prefix) const;

  bool operator==(const Status& other) const {
    return code_ == other.code_ && message_ == other.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status FailedPreconditionError(std::string message);
Status InternalError(std::string message);
Status DataLossError(std::string message);
Status UnavailableError(std::string message);
Status OutOfRangeError(std::string message);
Status PermissionDeniedError(std::string message);
Status AlreadyExistsError(std::string message);

// The CLI exit code for a status: 0 OK, 2 usage or input error, 3 for
// environment failures (I/O, network, internal).
int ExitCodeFor(const Status& status);

// The HTTP status for a status code.
int HttpStatusFor(const Status& status);

// Result<T> — a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value or an error, so `return value;` and
  // `return InvalidArgumentError(...)` both work.
  Result(T value) : value_(std::move(value)) {}  // NOLINT
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result cannot hold an OK status");
    if (status_.ok()) status_ = InternalError("Result built from OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;  // OK iff value_ is set.
};

}  // namespace icts

#define ICTS_STATUS_CONCAT_INNER_(a, b) a##b
#define ICTS_STATUS_CONCAT_(a, b) ICTS_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define ICTS_RETURN_IF_ERROR(expr)              \
  do {                                          \
    ::icts::Status icts_status_tmp_ = (expr);   \
    if (!icts_status_tmp_.ok()) return icts_status_tmp_; \
  } while (0)

// Evaluates `rexpr` (a Result<T>); on error returns its status, otherwise
// assigns the value to `lhs` (which may be a declaration).
#define ICTS_ASSIGN_OR_RETURN(lhs, rexpr)                                     \
  ICTS_ASSIGN_OR_RETURN_IMPL_(ICTS_STATUS_CONCAT_(icts_result_, __LINE__), lhs, \
                              rexpr)
#define ICTS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

#endif  // ICTS_BASE_STATUS_H_
