#include "refdata/csv.h"

#include <utility>

#include "refdata/loader.h"

namespace icts::refdata {

CsvReader::CsvReader(std::string_view data, std::string path, char separator)
    : data_(data), path_(std::move(path)), sep_(separator) {}

bool CsvReader::Next(CsvRecord* out) {
  out->fields.clear();
  if (!status_.ok()) return false;
  // Skip blank lines.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) return false;
  out->line = line_;
  std::string field;
  for (;;) {
    field.clear();
    if (pos_ < data_.size() && data_[pos_] == '"') {
      size_t open = pos_;
      ++pos_;
      bool closed = false;
      while (pos_ < data_.size()) {
        char c = data_[pos_];
        if (c == '"') {
          if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          closed = true;
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(c);
        ++pos_;
      }
      if (!closed) {
        if (field.find_first_of("\r\n") == std::string::npos) {
          truncated_line_ = out->line;
          out->fields.clear();
          return false;
        }
        status_ = ErrorAt(StatusCode::kDataLoss, path_, data_, open,
                          "quoted field is never closed (unbalanced quote)");
        return false;
      }
      // After a closing quote: allow trailing spaces (OFAC writes `"x" ,`).
      size_t after = pos_;
      while (after < data_.size() && data_[after] == ' ' && sep_ != ' ') ++after;
      if (after < data_.size() && data_[after] != sep_ && data_[after] != '\n' &&
          data_[after] != '\r') {
        status_ = ErrorAt(StatusCode::kDataLoss, path_, data_, after,
                          "unexpected character after closing quote");
        return false;
      }
      pos_ = after;
    } else {
      while (pos_ < data_.size()) {
        char c = data_[pos_];
        if (c == sep_ || c == '\n' || c == '\r') break;
        field.push_back(c);
        ++pos_;
      }
    }
    out->fields.push_back(field);
    if (pos_ >= data_.size()) return true;
    char c = data_[pos_];
    if (c == sep_) {
      ++pos_;
      continue;
    }
    // End of record.
    if (c == '\r') ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return true;
  }
}

}  // namespace icts::refdata
