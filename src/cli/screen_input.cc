#include "cli/screen_input.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/strings.h"
#include "match/json.h"
#include "refdata/countries.h"
#include "refdata/loader.h"
#include "text/normalize.h"

namespace icts::cli {
namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

// JSON text that never throws: invalid UTF-8 is replaced by U+FFFD.
template <typename Json>
std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string DisplayPath(const std::string& path) { return path == "-" ? "<stdin>" : path; }

Result<MappedFile> OpenInput(const std::string& path) {
  return MappedFile::Open(path == "-" ? "/dev/stdin" : path);
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}


std::string TypeName(text::NameType type) {
  switch (type) {
    case text::NameType::kPerson:
      return "person";
    case text::NameType::kOrganization:
      return "organization";
    case text::NameType::kUnknown:
      break;
  }
  return "";
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date.
Status CheckBirthDate(std::string_view value) {
  auto bad = [&] {
    return InvalidArgumentError(
        fmt::format("birth date '{}' is not YYYY, YYYY-MM or YYYY-MM-DD", std::string(value)));
  };
  if (value.size() != 4 && value.size() != 7 && value.size() != 10) return bad();
  if (!AllDigits(value.substr(0, 4))) return bad();
  int year = std::atoi(std::string(value.substr(0, 4)).c_str());
  int month = 1, day = 1;
  if (value.size() >= 7) {
    if (value[4] != '-' || !AllDigits(value.substr(5, 2))) return bad();
    month = std::atoi(std::string(value.substr(5, 2)).c_str());
  }
  if (value.size() == 10) {
    if (value[7] != '-' || !AllDigits(value.substr(8, 2))) return bad();
    day = std::atoi(std::string(value.substr(8, 2)).c_str());
  }
  if (!Date::FromYmd(year, month, day).ok()) return bad();
  return Status::Ok();
}

// Reads screening rows from a CSV/TSV table.
class CsvScreenInput : public ScreenInput {
 public:
  static Result<std::unique_ptr<ScreenInput>> Open(std::unique_ptr<CsvTable> table,
                                                   const ScreenColumns& columns,
                                                   InputWarnings* warnings) {
    std::unique_ptr<CsvScreenInput> in(new CsvScreenInput());
    in->table_ = std::move(table);
    in->warnings_ = warnings;
    const CsvTable& t = *in->table_;
    auto option = [&](std::string_view what) {
      return columns.query_parameters ? fmt::format("{}_column", what)
                                      : fmt::format("--{}-column", what);
    };
    std::string name_column = columns.name.empty() ? "name" : columns.name;
    ICTS_ASSIGN_OR_RETURN(in->name_, t.Column(name_column, option("name")));
    auto optional_column = [&](const std::string& col, std::string_view flag,
                               std::optional<size_t>* out) -> Status {
      if (col.empty()) return Status::Ok();
      ICTS_ASSIGN_OR_RETURN(size_t index, t.Column(col, flag));
      *out = index;
      return Status::Ok();
    };
    ICTS_RETURN_IF_ERROR(optional_column(columns.country, option("country"), &in->country_));
    ICTS_RETURN_IF_ERROR(optional_column(columns.type, option("type"), &in->type_));
    ICTS_RETURN_IF_ERROR(optional_column(columns.dob, option("dob"), &in->dob_));
    for (const std::string& col : columns.ids) {
      ICTS_ASSIGN_OR_RETURN(size_t index, t.Column(col, option("id")));
      in->ids_.push_back(index);
    }
    return std::unique_ptr<ScreenInput>(std::move(in));
  }

  std::optional<uint64_t> CountRows() const override { return table_->CountRecords(); }

  Status Read(size_t max, std::vector<ScreenRow>* out) override {
    refdata::CsvRecord record;
    while (out->size() < max) {
      bool more = false;
      ICTS_RETURN_IF_ERROR(table_->Next(&record, &more));
      if (!more) return Status::Ok();
      const std::vector<std::string>& f = record.fields;
      auto field = [&](const std::optional<size_t>& index) -> std::string_view {
        return index ? std::string_view(f[*index]) : std::string_view();
      };
      std::vector<std::string> ids;
      for (size_t index : ids_) ids.push_back(f[index]);
      ScreenRow row;
      row.row = ++rows_;
      row.line = record.line;
      ICTS_RETURN_IF_ERROR(MakeScreenRow(f[name_], field(country_), field(type_), ids, field(dob_),
                                         fmt::format("{}:{}", table_->path(), record.line),
                                         warnings_, &row));
      out->push_back(std::move(row));
    }
    return Status::Ok();
  }

 private:
  CsvScreenInput() = default;
  std::unique_ptr<CsvTable> table_;
  InputWarnings* warnings_ = nullptr;
  size_t name_ = 0;
  std::optional<size_t> country_, type_, dob_;
  std::vector<size_t> ids_;
  uint64_t rows_ = 0;
};

// Reads screening rows from JSON Lines: one object per line with "name" and
// optional "country", "type", "identifiers" (array of strings, or one
// string) and "birth_date". Blank lines are skipped.
class JsonlScreenInput : public ScreenInput {
 public:
  JsonlScreenInput(std::string path, InputWarnings* warnings)
      : path_(std::move(path)), warnings_(warnings) {}

  Status OpenFile(const std::string& path) {
    ICTS_ASSIGN_OR_RETURN(file_, OpenInput(path));
    data_ = refdata::StripBomAndEof(file_.data());
    return Status::Ok();
  }

  void SetText(std::string text) {
    text_ = std::move(text);
    data_ = refdata::StripBomAndEof(text_);
  }

  std::optional<uint64_t> CountRows() const override {
    uint64_t n = 0;
    std::string_view rest = data_;
    while (!rest.empty()) {
      size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      if (!TrimAscii(line).empty()) ++n;
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
    return n;
  }

  Status Read(size_t max, std::vector<ScreenRow>* out) override {
    while (out->size() < max && pos_ < data_.size()) {
      size_t end = data_.find('\n', pos_);
      if (end == std::string_view::npos) end = data_.size();
      std::string_view line = data_.substr(pos_, end - pos_);
      pos_ = end + 1;
      ++line_;
      if (TrimAscii(line).empty()) continue;
      ScreenRow row;
      row.row = ++rows_;
      row.line = line_;
      ICTS_RETURN_IF_ERROR(ParseLine(line, &row));
      out->push_back(std::move(row));
    }
    return Status::Ok();
  }

 private:
  Status ParseLine(std::string_view line, ScreenRow* row) {
    std::string where = fmt::format("{}:{}", path_, line_);
    auto error = [&](const std::string& message) {
      return refdata::ErrorAtLine(StatusCode::kInvalidArgument, path_, line_, message);
    };
    std::string text;
    if (FindInvalidUtf8(line) != std::string_view::npos) {
      warnings_->Add(fmt::format("{}: invalid UTF-8; bad bytes replaced by U+FFFD", where));
      text = SanitizeUtf8(line);
    } else {
      text = std::string(line);
    }
    json j;
    try {
      j = json::parse(text);
    } catch (const json::exception& e) {
      return error(fmt::format("not valid JSON: {}", e.what()));
    }
    if (!j.is_object()) return error("expected a JSON object with a \"name\"");
    auto get_string = [&](const char* key, std::string* value) -> Status {
      auto it = j.find(key);
      if (it == j.end() || it->is_null()) return Status::Ok();
      if (!it->is_string()) return error(fmt::format("\"{}\" must be a string", key));
      *value = it->get<std::string>();
      return Status::Ok();
    };
    auto name_it = j.find("name");
    if (name_it == j.end() || !name_it->is_string()) {
      return error("expected a \"name\" string");
    }
    std::string name = name_it->get<std::string>(), country, type, dob;
    ICTS_RETURN_IF_ERROR(get_string("country", &country));
    ICTS_RETURN_IF_ERROR(get_string("type", &type));
    ICTS_RETURN_IF_ERROR(get_string("birth_date", &dob));
    std::vector<std::string> ids;
    auto ids_it = j.find("identifiers");
    if (ids_it != j.end() && !ids_it->is_null()) {
      if (ids_it->is_string()) {
        ids.push_back(ids_it->get<std::string>());
      } else if (ids_it->is_array()) {
        for (const json& id : *ids_it) {
          if (!id.is_string()) return error("\"identifiers\" must be an array of strings");
          ids.push_back(id.get<std::string>());
        }
      } else {
        return error("\"identifiers\" must be an array of strings");
      }
    }
    return MakeScreenRow(name, country, type, ids, dob, where, warnings_, row);
  }

  std::string path_;
  MappedFile file_;
  std::string text_;
  std::string_view data_;
  InputWarnings* warnings_ = nullptr;
  size_t pos_ = 0;
  uint64_t line_ = 0;
  uint64_t rows_ = 0;
};

}  // namespace

Result<text::NameType> ParseType(std::string_view value) {
  std::string v = ToLowerAscii(TrimAscii(value));
  if (v.empty()) return text::NameType::kUnknown;
  if (v == "person" || v == "individual") return text::NameType::kPerson;
  if (v == "organization" || v == "organisation" || v == "company" || v == "entity") {
    return text::NameType::kOrganization;
  }
  return InvalidArgumentError(
      fmt::format("type '{}' is not 'person' or 'organization'", std::string(value)));
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (;;) {
    size_t bad = FindInvalidUtf8(s);
    if (bad == std::string_view::npos) {
      out.append(s);
      return out;
    }
    out.append(s.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    s.remove_prefix(bad + 1);
  }
}

Status MakeScreenRow(std::string_view name, std::string_view country, std::string_view type,
                     const std::vector<std::string>& identifiers, std::string_view birth_date,
                     const std::string& where, InputWarnings* warnings, ScreenRow* row) {
  std::string_view trimmed = TrimAscii(name);
  if (FindInvalidUtf8(trimmed) != std::string_view::npos) {
    warnings->Add(
        fmt::format("{}: invalid UTF-8 in the name; bad bytes replaced by U+FFFD", where));
    row->query.name = SanitizeUtf8(trimmed);
  } else {
    row->query.name = std::string(trimmed);
  }
  row->country_given = SanitizeUtf8(TrimAscii(country));
  if (!row->country_given.empty()) {
    row->query.country = refdata::CountryCode(row->country_given);
    if (row->query.country.empty()) {
      warnings->Add(fmt::format("{}: unknown country '{}' ignored", where, row->country_given));
    }
  }
  auto parsed_type = ParseType(type);
  if (!parsed_type.ok()) return parsed_type.status().WithPrefix(where);
  row->query.type = *parsed_type;
  row->type_given = TypeName(*parsed_type);
  for (const std::string& cell : identifiers) {
    for (std::string_view id : SplitTrimmed(cell, ';')) {
      row->query.identifiers.push_back(SanitizeUtf8(id));
    }
  }
  std::string_view dob = TrimAscii(birth_date);
  if (!dob.empty()) {
    Status s = CheckBirthDate(dob);
    if (!s.ok()) return s.WithPrefix(where);
    row->query.birth_date = std::string(dob);
  }
  return Status::Ok();
}

ojson QueryToJson(const ScreenRow& row) {
  ojson q = {{"name", row.query.name}};
  if (!row.country_given.empty()) q["country"] = row.country_given;
  if (!row.type_given.empty()) q["type"] = row.type_given;
  if (!row.query.identifiers.empty()) q["identifiers"] = row.query.identifiers;
  if (!row.query.birth_date.empty()) q["birth_date"] = row.query.birth_date;
  return q;
}

std::vector<match::Hit> ScreenOne(const match::Screener& screener, const match::Query& query,
                                  const match::ScreenOptions& options) {
  std::vector<match::Hit> hits = screener.Screen(query, options);
  hits.erase(std::remove_if(hits.begin(), hits.end(),
                            [&](const match::Hit& h) { return !(h.score >= options.threshold); }),
             hits.end());
  std::stable_sort(hits.begin(), hits.end(),
                   [](const match::Hit& a, const match::Hit& b) { return a.score > b.score; });
  if (hits.size() > options.top) hits.resize(options.top);
  return hits;
}

struct RepeatedQueries::State {
  mutable std::mutex mu;
  std::unordered_map<std::string, std::vector<match::Hit>> hits;
  size_t capacity = 0;
  uint64_t repeated = 0;
};

RepeatedQueries::RepeatedQueries(const match::Screener& screener,
                                 const match::ScreenOptions& options, size_t capacity)
    : screener_(screener), options_(options), state_(std::make_unique<State>()) {
  state_->capacity = std::max<size_t>(1, capacity);
}

RepeatedQueries::~RepeatedQueries() = default;

std::vector<match::Hit> RepeatedQueries::Hits(const match::Query& query) {
  // Each field with its length first, so that no two queries share a key.
  // The name as the screener reads it: everything of the normalised name
  // but the text as given, which nothing downstream of normalisation reads
  // ("ACME LTD" and "Acme  Ltd" get the same hits).
  std::string key;
  auto add = [&key](std::string_view field) {
    key += std::to_string(field.size());
    key += ':';
    key += field;
  };
  const text::NormalizedName name = text::NormalizeName(query.name, query.type);
  add(name.script);
  add(name.latin);
  add(name.compact);
  for (const text::Token& t : name.tokens) {
    add(t.text);
    add(t.canon);
    key += static_cast<char>('0' + static_cast<int>(t.kind));
    key += t.abbreviated ? '.' : ' ';
  }
  key += '|';
  for (const std::string& extra : name.extra_keys) add(extra);
  key += '|';
  add(std::to_string(static_cast<int>(query.type)));
  add(query.country);
  add(query.birth_date);
  for (const std::string& id : query.identifiers) add(id);
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    auto it = state_->hits.find(key);
    if (it != state_->hits.end()) {
      ++state_->repeated;
      return it->second;
    }
  }
  std::vector<match::Hit> hits = ScreenOne(screener_, query, options_);
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->hits.size() >= state_->capacity) state_->hits.clear();
  state_->hits.emplace(std::move(key), hits);
  return hits;
}

uint64_t RepeatedQueries::repeated() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->repeated;
}

std::string BatchResultJson(const ScreenRow& row, const std::vector<match::Hit>& hits) {
  // Assembled from pieces: converting each hit to an ordered object would
  // double the cost of a batch.
  std::string text = fmt::format("{{\"row\":{},\"query\":", row.row);
  text += Dump(QueryToJson(row));
  text += ",\"hits\":[";
  for (size_t i = 0; i < hits.size(); ++i) {
    if (i > 0) text += ",";
    text += Dump(match::HitToJson(hits[i]));
  }
  text += "]}";
  return text;
}

Result<std::string> InputFormat(const std::string& flag, const std::string& path,
                                bool allow_jsonl) {
  std::string format = flag;
  if (format.empty()) {
    std::string lower = ToLowerAscii(path);
    if (EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson")) {
      format = "jsonl";
    } else if (EndsWith(lower, ".tsv") || EndsWith(lower, ".tab")) {
      format = "tsv";
    } else {
      format = "csv";
    }
  }
  if (format == "jsonl" && !allow_jsonl) {
    return InvalidArgumentError(
        fmt::format("{}: JSONL input is not supported here; give a CSV file", path));
  }
  if (format != "csv" && format != "tsv" && format != "jsonl") {
    return InvalidArgumentError(fmt::format("unknown input format '{}'", format));
  }
  return format;
}

// --- CsvTable -----------------------------------------------------------------

Result<std::unique_ptr<CsvTable>> CsvTable::Open(const std::string& path, char separator) {
  auto file = OpenInput(path);
  if (!file.ok()) return file.status();
  std::unique_ptr<CsvTable> t(new CsvTable());
  t->path_ = DisplayPath(path);
  t->separator_ = separator;
  t->file_ = std::move(*file);
  t->data_ = refdata::StripBomAndEof(t->file_.data());
  ICTS_RETURN_IF_ERROR(t->Init());
  return t;
}

Result<std::unique_ptr<CsvTable>> CsvTable::FromText(std::string text, std::string display_path,
                                                     char separator) {
  std::unique_ptr<CsvTable> t(new CsvTable());
  t->path_ = std::move(display_path);
  t->separator_ = separator;
  t->text_ = std::move(text);
  t->data_ = refdata::StripBomAndEof(t->text_);
  ICTS_RETURN_IF_ERROR(t->Init());
  return t;
}

Status CsvTable::Init() {
  reader_ = std::make_unique<refdata::CsvReader>(data_, path_, separator_);
  refdata::CsvRecord header;
  bool more = false;
  ICTS_RETURN_IF_ERROR(ReadRaw(&header, &more));
  if (!more) {
    return InvalidArgumentError(
        fmt::format("{}: the file is empty; expected a header row naming the columns", path_));
  }
  for (std::string& h : header.fields) h = std::string(TrimAscii(h));
  header_ = std::move(header.fields);
  return Status::Ok();
}

std::optional<size_t> CsvTable::FindColumn(const std::string& name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  std::optional<size_t> found;
  for (size_t i = 0; i < header_.size(); ++i) {
    if (EqualsIgnoreCaseAscii(header_[i], name)) {
      if (found) return std::nullopt;
      found = i;
    }
  }
  return found;
}

Result<size_t> CsvTable::Column(const std::string& name, std::string_view flag) const {
  if (std::optional<size_t> found = FindColumn(name)) return *found;
  std::vector<std::string> quoted;
  for (const std::string& h : header_) quoted.push_back("'" + h + "'");
  return InvalidArgumentError(fmt::format("{}: no column '{}' ({}); the columns are: {}", path_,
                                          name, flag, Join(quoted, ", ")));
}

Status CsvTable::Next(refdata::CsvRecord* record, bool* more) {
  ICTS_RETURN_IF_ERROR(ReadRaw(record, more));
  if (*more && record->fields.size() != header_.size()) {
    return refdata::ErrorAtLine(StatusCode::kInvalidArgument, path_, record->line,
                                fmt::format("expected {} fields as in the header, found {}",
                                            header_.size(), record->fields.size()));
  }
  return Status::Ok();
}

std::optional<uint64_t> CsvTable::CountRecords() const {
  refdata::CsvReader reader(data_, path_, separator_);
  refdata::CsvRecord record;
  uint64_t n = 0;
  while (reader.Next(&record)) ++n;
  if (!reader.status().ok() || n == 0) return std::nullopt;
  return n - 1;
}

Status CsvTable::ReadRaw(refdata::CsvRecord* record, bool* more) {
  *more = reader_->Next(record);
  if (*more) return Status::Ok();
  if (!reader_->status().ok()) return reader_->status();
  if (reader_->truncated_line() != 0) {
    return refdata::ErrorAtLine(StatusCode::kDataLoss, path_, reader_->truncated_line(),
                                refdata::kTruncatedRecordReason);
  }
  return Status::Ok();
}

// --- Readers ------------------------------------------------------------------

Result<std::unique_ptr<ScreenInput>> OpenCsvScreenInput(std::unique_ptr<CsvTable> table,
                                                        const ScreenColumns& columns,
                                                        InputWarnings* warnings) {
  return CsvScreenInput::Open(std::move(table), columns, warnings);
}

Result<std::unique_ptr<ScreenInput>> OpenJsonlScreenInput(const std::string& path,
                                                          InputWarnings* warnings) {
  auto in = std::make_unique<JsonlScreenInput>(DisplayPath(path), warnings);
  ICTS_RETURN_IF_ERROR(in->OpenFile(path));
  return std::unique_ptr<ScreenInput>(std::move(in));
}

std::unique_ptr<ScreenInput> JsonlScreenInputFromText(std::string text, std::string display_path,
                                                      InputWarnings* warnings) {
  auto in = std::make_unique<JsonlScreenInput>(std::move(display_path), warnings);
  in->SetText(std::move(text));
  return in;
}

}  // namespace icts::cli
