// Screening queries read from files: CSV/TSV with a header row, and JSON
// Lines (one object per line with "name" and optional "country", "type",
// "identifiers", "birth_date"). Shared by `icts screen --input` and the
// server's batch screening jobs, so both accept the same files and name a bad
// row the same way (`file:line: ...`).
//
// The readers are not thread-safe; each reads its input once, in order.
#ifndef ICTS_CLI_SCREEN_INPUT_H_
#define ICTS_CLI_SCREEN_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/file.h"
#include "base/status.h"
#include "match/screener.h"
#include "refdata/csv.h"
#include "text/normalize.h"

namespace icts::cli {

// Receives warnings about the input data (bad bytes replaced, unknown
// countries ignored), each prefixed with its `file:line`.
class InputWarnings {
 public:
  virtual ~InputWarnings() = default;
  virtual void Add(const std::string& message) = 0;
};

// One query with what the user wrote, for echoing back.
struct ScreenRow {
  uint64_t row = 0;   // 1-based data row (0 in single-name mode).
  uint64_t line = 0;  // Line in the input file.
  match::Query query;
  std::string country_given;
  std::string type_given;  // "person" / "organization" / "".
};

// `s` with every ill-formed UTF-8 byte replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view s);

// A party's type as given: "person" (or "individual"), "organization" (or
// "organisation", "company", "entity"), any case; "" is unknown.
Result<text::NameType> ParseType(std::string_view value);

// Fills `row` from raw values. `where` ("file:line" or "NAME") prefixes
// messages. A bad type or birth date is an error; bad bytes and unknown
// countries are warnings.
Status MakeScreenRow(std::string_view name, std::string_view country, std::string_view type,
                     const std::vector<std::string>& identifiers, std::string_view birth_date,
                     const std::string& where, InputWarnings* warnings, ScreenRow* row);

// The "query" object of a result: name and what was given of country, type,
// identifiers and birth date.
nlohmann::ordered_json QueryToJson(const ScreenRow& row);

// The screener's hits, made to keep the contract whatever it returns: at or
// above the threshold, best first, at most `top`.
std::vector<match::Hit> ScreenOne(const match::Screener& screener, const match::Query& query,
                                  const match::ScreenOptions& options);

// The hits of the queries of one batch, remembered so that a query repeated
// in the input (the same supplier on many rows of a supplier master) is
// screened once. A repeat has a name that normalises the same (case,
// spacing and accents aside: "ACME LTD" / "Acme  Ltd" / "Acmé Ltd"), and the
// same type, country, identifiers and birth date. Safe to call from several
// threads; when `capacity` queries are held, the memory starts afresh.
class RepeatedQueries {
 public:
  RepeatedQueries(const match::Screener& screener, const match::ScreenOptions& options,
                  size_t capacity = 65536);
  ~RepeatedQueries();
  RepeatedQueries(const RepeatedQueries&) = delete;
  RepeatedQueries& operator=(const RepeatedQueries&) = delete;

  std::vector<match::Hit> Hits(const match::Query& query);
  // Queries answered from memory.
  uint64_t repeated() const;

 private:
  struct State;
  const match::Screener& screener_;
  match::ScreenOptions options_;
  std::unique_ptr<State> state_;
};

// One batch result as compact JSON: {"row", "query", "hits"} (the objects of
// `icts screen --input ... -o jsonl`).
std::string BatchResultJson(const ScreenRow& row, const std::vector<match::Hit>& hits);

// "csv", "tsv" or "jsonl" from `flag`, else from the file name's extension
// (default csv).
Result<std::string> InputFormat(const std::string& flag, const std::string& path, bool allow_jsonl);

// A CSV/TSV file with a header row. Fields are looked up by column name.
class CsvTable {
 public:
  // Reads `path` ("-" = stdin).
  static Result<std::unique_ptr<CsvTable>> Open(const std::string& path, char separator);
  // Reads `text`; messages name `display_path`.
  static Result<std::unique_ptr<CsvTable>> FromText(std::string text, std::string display_path,
                                                    char separator);

  const std::string& path() const { return path_; }
  char Separator() const { return separator_; }
  const std::vector<std::string>& Header() const { return header_; }

  // Index of column `name` (exact, else the only case-insensitive match).
  // `flag` names the option in the error message, which lists the columns.
  Result<size_t> Column(const std::string& name, std::string_view flag) const;
  // The same, without an error when there is no such column.
  std::optional<size_t> FindColumn(const std::string& name) const;

  // Reads the next data record; `*more` is false at the end of the input.
  // Errors (DATA_LOSS or INVALID_ARGUMENT) name file and line.
  Status Next(refdata::CsvRecord* record, bool* more);

  // Data records in the whole input (a separate pass), or nullopt when it
  // cannot be read to the end.
  std::optional<uint64_t> CountRecords() const;

 private:
  CsvTable() = default;
  Status Init();
  Status ReadRaw(refdata::CsvRecord* record, bool* more);

  std::string path_;
  char separator_ = ',';
  MappedFile file_;
  std::string text_;  // When read from memory.
  std::string_view data_;
  std::unique_ptr<refdata::CsvReader> reader_;
  std::vector<std::string> header_;
};

// Which CSV columns hold what. "" = not given (the name column defaults to
// "name").
struct ScreenColumns {
  std::string name;
  std::string country;
  std::string type;
  std::vector<std::string> ids;
  std::string dob;
  // Messages about a missing column name the query parameter
  // (`name_column`) rather than the command's flag (`--name-column`).
  bool query_parameters = false;
};

// A source of screening rows, read in input order.
class ScreenInput {
 public:
  virtual ~ScreenInput() = default;
  // Appends up to `max` rows. On a bad row, returns its error after
  // appending the good rows before it.
  virtual Status Read(size_t max, std::vector<ScreenRow>* out) = 0;
  // Rows in the whole input (a separate pass), or nullopt when unknown.
  virtual std::optional<uint64_t> CountRows() const = 0;
};

// CSV/TSV rows. Unknown columns are an error listing the file's columns.
Result<std::unique_ptr<ScreenInput>> OpenCsvScreenInput(std::unique_ptr<CsvTable> table,
                                                        const ScreenColumns& columns,
                                                        InputWarnings* warnings);
// JSON Lines rows from `path` ("-" = stdin), or from `text` naming
// `display_path`. Blank lines are skipped.
Result<std::unique_ptr<ScreenInput>> OpenJsonlScreenInput(const std::string& path,
                                                          InputWarnings* warnings);
std::unique_ptr<ScreenInput> JsonlScreenInputFromText(std::string text, std::string display_path,
                                                      InputWarnings* warnings);

}  // namespace icts::cli

#endif  // ICTS_CLI_SCREEN_INPUT_H_
