// A CSV file read as a table with named fields: the header is mapped to
// field names through synonyms and a user column map, rows are read one at a
// time, and errors point at the cell (file:line:col). Shared by the asset
// and services readers; not part of the public API.
#ifndef ICTS_INVENTORY_ASSETS_TABLE_H_
#define ICTS_INVENTORY_ASSETS_TABLE_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "refdata/csv.h"

namespace icts::inventory::assets_internal {

// A field and the column names that stand for it, normalised (see
// NormalizeColumnName); the field's own name is always accepted.
struct FieldNames {
  std::string_view field;
  std::vector<std::string_view> synonyms;
};

// Lower-case ASCII letters and digits only: "MAC Address" → "macaddress".
std::string NormalizeColumnName(std::string_view name);

// The field `column` stands for, or "" (column already normalised).
std::string_view FieldFor(std::string_view column, const std::vector<FieldNames>& fields);

// Splits on ';', trims, drops empty pieces.
std::vector<std::string> SplitList(std::string_view value);

class CsvTable {
 public:
  // `data` and `fields` must outlive the table.
  CsvTable(std::string_view data, std::string name, const std::vector<FieldNames>& fields);

  // Reads the header and maps its columns. `column_map`: input column →
  // field name, "ignore" or "property".
  Status Open(const std::map<std::string, std::string>& column_map);

  // The next data row; false at the end or on error (then status()).
  // Rows whose cells are all empty are skipped.
  bool Next();
  const Status& status() const { return status_; }

  uint64_t line() const { return record_.line; }
  uint64_t row() const { return row_; }  // 1-based data row.
  bool HasColumn(std::string_view field) const { return field_column_.count(field) > 0; }
  // The trimmed cell of `field` in this row, "" when there is no such column.
  std::string_view Get(std::string_view field) const;
  // Non-empty cells of columns that are no known field: (header, value).
  std::vector<std::pair<std::string, std::string>> Extras() const;
  // "name:line:col: message", pointing at the cell of `field` in this row.
  Status ErrorAtField(std::string_view field, std::string_view message) const;
  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }

 private:
  Status ErrorAtCell(uint64_t line, size_t cell, std::string_view message) const;

  std::string_view data_;
  std::string name_;
  const std::vector<FieldNames>& fields_;
  refdata::CsvReader reader_;
  refdata::CsvRecord record_;
  uint64_t row_ = 0;
  Status status_;
  std::vector<std::string> header_;
  uint64_t header_line_ = 0;
  enum : int { kExtra = -1, kIgnored = -2 };
  std::vector<int> column_kind_;  // Per column: index into fields_, kExtra or kIgnored.
  std::map<std::string_view, size_t> field_column_;
};

}  // namespace icts::inventory::assets_internal

#endif  // ICTS_INVENTORY_ASSETS_TABLE_H_
