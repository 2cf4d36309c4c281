#include "inventory/assets/table.h"

#include <fmt/format.h>

#include <cctype>
#include <utility>

#include "base/file.h"
#include "base/strings.h"

namespace icts::inventory::assets_internal {

std::string NormalizeColumnName(std::string_view name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

std::string_view FieldFor(std::string_view column, const std::vector<FieldNames>& fields) {
  for (const FieldNames& names : fields) {
    if (NormalizeColumnName(names.field) == column) return names.field;
    for (std::string_view synonym : names.synonyms) {
      if (synonym == column) return names.field;
    }
  }
  return {};
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view piece : SplitTrimmed(value, ';')) out.emplace_back(piece);
  return out;
}

CsvTable::CsvTable(std::string_view data, std::string name, const std::vector<FieldNames>& fields)
    : data_(data), name_(std::move(name)), fields_(fields), reader_(data, name_) {}

Status CsvTable::Open(const std::map<std::string, std::string>& column_map) {
  if (!reader_.Next(&record_)) {
    if (!reader_.status().ok()) return reader_.status();
    return InvalidArgumentError(
        fmt::format("{}:1:1: the file is empty (expected a header row)", name_));
  }
  header_ = record_.fields;
  header_line_ = record_.line;
  // The user's map, normalised, and which entries were used.
  std::map<std::string, std::pair<std::string, bool>> user;
  for (const auto& [column, target] : column_map) {
    std::string field = ToLowerAscii(TrimAscii(target));
    bool known = field == "ignore" || field == "property";
    for (const FieldNames& names : fields_) known = known || names.field == field;
    if (!known) {
      std::string valid;
      for (const FieldNames& names : fields_) valid += std::string(names.field) + ", ";
      return InvalidArgumentError(fmt::format(
          "{}: the column map sends \"{}\" to \"{}\", which is not a field (fields: {}ignore, "
          "property)",
          name_, column, target, valid));
    }
    user[NormalizeColumnName(column)] = {field, false};
  }
  column_kind_.assign(header_.size(), kExtra);
  for (size_t i = 0; i < header_.size(); ++i) {
    std::string column = NormalizeColumnName(header_[i]);
    std::string_view field;
    if (auto it = user.find(column); it != user.end()) {
      it->second.second = true;
      if (it->second.first == "ignore") {
        column_kind_[i] = kIgnored;
        continue;
      }
      if (it->second.first == "property") continue;
      field = FieldFor(NormalizeColumnName(it->second.first), fields_);
    } else {
      field = FieldFor(column, fields_);
    }
    if (field.empty()) continue;
    auto [it, inserted] = field_column_.emplace(field, i);
    if (!inserted) {
      return ErrorAtCell(header_line_, i,
                         fmt::format("columns \"{}\" and \"{}\" both give the field \"{}\"",
                                     header_[it->second], header_[i], field));
    }
    for (size_t f = 0; f < fields_.size(); ++f) {
      if (fields_[f].field == field) column_kind_[i] = static_cast<int>(f);
    }
  }
  for (const auto& [column, target] : user) {
    if (!target.second) {
      return InvalidArgumentError(fmt::format(
          "{}: the column map names a column \"{}\" that the header does not have (columns: {})",
          name_, column, fmt::join(header_, ", ")));
    }
  }
  return Status::Ok();
}

bool CsvTable::Next() {
  while (status_.ok()) {
    if (!reader_.Next(&record_)) {
      if (!reader_.status().ok()) {
        status_ = reader_.status();
      } else if (reader_.truncated_line() != 0) {
        status_ = DataLossError(fmt::format("{}:{}: {}", name_, reader_.truncated_line(),
                                            refdata::kTruncatedRecordReason));
      }
      return false;
    }
    bool empty = true;
    for (const std::string& cell : record_.fields) empty = empty && TrimAscii(cell).empty();
    if (empty) continue;
    ++row_;
    if (record_.fields.size() != header_.size()) {
      status_ = InvalidArgumentError(
          fmt::format("{}:{}:1: this row has {} fields; the header (line {}) has {}", name_,
                      record_.line, record_.fields.size(), header_line_, header_.size()));
      return false;
    }
    return true;
  }
  return false;
}

std::string_view CsvTable::Get(std::string_view field) const {
  auto it = field_column_.find(field);
  if (it == field_column_.end() || it->second >= record_.fields.size()) return {};
  return TrimAscii(record_.fields[it->second]);
}

std::vector<std::pair<std::string, std::string>> CsvTable::Extras() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < header_.size() && i < record_.fields.size(); ++i) {
    if (column_kind_[i] != kExtra) continue;
    std::string_view value = TrimAscii(record_.fields[i]);
    if (!value.empty()) out.emplace_back(std::string(TrimAscii(header_[i])), std::string(value));
  }
  return out;
}

Status CsvTable::ErrorAtField(std::string_view field, std::string_view message) const {
  auto it = field_column_.find(field);
  return ErrorAtCell(record_.line, it == field_column_.end() ? 0 : it->second, message);
}

Status CsvTable::ErrorAtCell(uint64_t line, size_t cell, std::string_view message) const {
  // Find the start of `line`, then walk `cell` separators outside quotes.
  size_t pos = 0;
  for (uint64_t l = 1; l < line && pos < data_.size(); ++pos) {
    if (data_[pos] == '\n') ++l;
  }
  for (size_t c = 0; c < cell && pos < data_.size(); ++c) {
    bool quoted = false;
    while (pos < data_.size()) {
      char ch = data_[pos];
      if (ch == '"') {
        quoted = !quoted;
      } else if (!quoted && (ch == ',' || ch == '\n' || ch == '\r')) {
        break;
      }
      ++pos;
    }
    if (pos < data_.size() && data_[pos] == ',') ++pos;
  }
  LineCol at = LineColAt(data_, pos);
  return InvalidArgumentError(fmt::format("{}:{}:{}: {}", name_, at.line, at.column, message));
}

}  // namespace icts::inventory::assets_internal
