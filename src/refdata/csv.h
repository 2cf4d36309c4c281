// A streaming RFC 4180 reader (comma- or tab-separated), over bytes in memory.
//
// Quoted fields may hold separators, doubled quotes and line breaks. CRLF and
// LF both end records. A quote inside an unquoted field is taken literally
// (real lists contain names such as 5" GUN). A closing quote followed by
// anything but a separator or line end, and a quote whose field runs across
// line breaks to the end of the input, are corruption: Next() returns false
// and status() says where. A last record cut off inside a quoted field on its
// own line (a file truncated mid-row) is different: Next() returns false with
// an OK status and truncated_line() names the record's line, so the loader
// can reject that one row with its location (see kTruncatedRecordReason).
//
// Not thread-safe. `data` must outlive the reader.
#ifndef ICTS_REFDATA_CSV_H_
#define ICTS_REFDATA_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace icts::refdata {

struct CsvRecord {
  uint64_t line = 0;  // 1-based line where the record starts.
  std::vector<std::string> fields;
};

// Reject reason for a record reported by CsvReader::truncated_line().
inline constexpr char kTruncatedRecordReason[] =
    "the last record is cut off at the end of the file (a quoted field never "
    "closes); the file looks truncated";

class CsvReader {
 public:
  CsvReader(std::string_view data, std::string path, char separator = ',');

  // Reads the next record into `out`. Returns false at the end of input or on
  // a quoting error (then status() is not OK). Blank lines are skipped.
  bool Next(CsvRecord* out);
  const Status& status() const { return status_; }
  // Line of a final record cut off at the end of the input, or 0.
  uint64_t truncated_line() const { return truncated_line_; }

 private:
  std::string_view data_;
  std::string path_;
  char sep_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  uint64_t truncated_line_ = 0;
  Status status_;
};

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_CSV_H_
