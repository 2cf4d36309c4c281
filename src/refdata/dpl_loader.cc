// The BIS Denied Persons List: tab-separated, every field quoted, header
// "Name Street_Address City State Country Postal_Code Effective_Date
// Expiration_Date Standard_Order Last_Update Action FR_Citation". Columns are
// found by header name; only Name is required.
//
// One entity per row: id "dpl:" + 16 hex digits of SHA-256 over
// name|street|city|effective date (the list has no ids of its own); schema
// LegalEntity, since the list mixes people and firms; aliases written into
// the name ("A/K/A", "(A.K.A. ...)"); one assembled address whose country
// column (ISO alpha-2, sometimes "PRC" or empty) goes through CountryCode;
// Effective_Date as the listing date, Expiration_Date as the delisting date,
// Last_Update as the modification date; Standard_Order, Action and
// FR_Citation as the properties standard_order, action and
// federal_register_notice, FR_Citation also as a citation.
//
// Rejected with file and line: a row whose field count differs from the
// header's, a row with an empty name, and a row that repeats an earlier row's
// id (BIS has published the same order twice).
#include "refdata/dpl_loader.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/date.h"
#include "base/sha256.h"
#include "base/strings.h"
#include "refdata/countries.h"
#include "refdata/csv.h"

namespace icts::refdata {
namespace {

constexpr std::string_view kListName =
    "Denied Persons List (DPL) - Bureau of Industry and Security";

enum Column : int {
  kName = 0,
  kStreet,
  kCity,
  kState,
  kCountry,
  kPostalCode,
  kEffectiveDate,
  kExpirationDate,
  kStandardOrder,
  kLastUpdate,
  kAction,
  kFrCitation,
  kColumnCount,
};

// Header names as BIS publishes them, compared case-insensitively.
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "name",           "street_address",  "city",           "state",       "country", "postal_code",
    "effective_date", "expiration_date", "standard_order", "last_update", "action",  "fr_citation",
};

struct Layout {
  std::array<int, kColumnCount> index;
  size_t field_count = 0;
  std::vector<std::string> header;  // Normalised names, for header repeats.
};

std::string NormalizeHeaderName(std::string_view name) { return ToLowerAscii(TrimAscii(name)); }

Result<Layout> ReadLayout(const std::string& path, const CsvRecord& record) {
  Layout layout;
  layout.index.fill(-1);
  layout.field_count = record.fields.size();
  for (size_t i = 0; i < record.fields.size(); ++i) {
    std::string name = NormalizeHeaderName(record.fields[i]);
    for (size_t c = 0; c < kColumnNames.size(); ++c) {
      if (name == kColumnNames[c] && layout.index[c] < 0) {
        layout.index[c] = static_cast<int>(i);
      }
    }
    layout.header.push_back(std::move(name));
  }
  if (layout.index[kName] < 0) {
    return ErrorAtLine(StatusCode::kInvalidArgument, path, record.line,
                       "not a Denied Persons List file: the header has no "
                       "\"Name\" column");
  }
  return layout;
}

bool IsHeaderRepeat(const Layout& layout, const CsvRecord& record) {
  if (record.fields.size() != layout.header.size()) return false;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (NormalizeHeaderName(record.fields[i]) != layout.header[i]) return false;
  }
  return true;
}

// Finds `needle` in `haystack` ignoring ASCII case; npos when absent.
size_t FindIgnoreCase(std::string_view haystack, std::string_view needle, size_t from = 0) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    if (EqualsIgnoreCaseAscii(haystack.substr(i, needle.size()), needle)) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Other names the DPL writes inside its name column: "FUYI SUN A/K/A FRANK
// SUN" gives both halves, "PEARL (A.K.A. NEI-CHIEN CHU) LI" gives "NEI-CHIEN
// CHU" and "PEARL LI".
std::vector<std::string> AliasesInName(std::string_view name) {
  std::vector<std::string> out;
  for (std::string_view marker : {" A/K/A ", " AKA "}) {
    size_t at = FindIgnoreCase(name, marker);
    if (at != std::string_view::npos) {
      out.push_back(CollapseWhitespace(name.substr(0, at)));
      out.push_back(CollapseWhitespace(name.substr(at + marker.size())));
      return out;
    }
  }
  for (std::string_view marker : {"(A.K.A.", "(AKA "}) {
    size_t open = FindIgnoreCase(name, marker);
    if (open == std::string_view::npos) continue;
    size_t close = name.find(')', open);
    if (close == std::string_view::npos) break;
    size_t start = open + marker.size();
    out.push_back(CollapseWhitespace(name.substr(start, close - start)));
    out.push_back(CollapseWhitespace(std::string(name.substr(0, open)) + " " +
                                     std::string(name.substr(close + 1))));
    break;
  }
  return out;
}

class DplRow {
 public:
  DplRow(const Layout& layout, const CsvRecord& record) : layout_(layout), record_(record) {}

  std::string_view Get(Column column) const {
    int i = layout_.index[column];
    if (i < 0 || static_cast<size_t>(i) >= record_.fields.size()) return {};
    return TrimAscii(record_.fields[static_cast<size_t>(i)]);
  }

  Entity Build() const {
    Entity e;
    // The DPL has no ids of its own: hash what identifies an order.
    std::string key =
        fmt::format("{}|{}|{}|{}", Get(kName), Get(kStreet), Get(kCity), Get(kEffectiveDate));
    e.id = "dpl:" + Sha256Hex(key).substr(0, 16);
    // The DPL mixes people and firms without saying which.
    e.schema = Schema::kLegalEntity;
    std::string name = CollapseWhitespace(Get(kName));
    e.AddName(name, NameKind::kPrimary);
    for (std::string& alias : AliasesInName(name)) {
      e.AddName(std::move(alias), NameKind::kStrongAlias);
    }
    e.lists.emplace_back(kListName);
    e.topics.emplace_back("export.control");

    Address address;
    address.street = CollapseWhitespace(Get(kStreet));
    address.city = CollapseWhitespace(Get(kCity));
    address.region = std::string(Get(kState));
    address.postal_code = std::string(Get(kPostalCode));
    std::string_view country = Get(kCountry);
    address.country = CountryCode(country);
    for (std::string_view part :
         {std::string_view(address.street), std::string_view(address.city),
          std::string_view(address.region), std::string_view(address.postal_code), country}) {
      if (part.empty()) continue;
      if (!address.full.empty()) address.full += ", ";
      address.full += part;
    }
    if (!address.country.empty()) {
      e.AddCountry(address.country, CountryRole::kAddress, std::string(country));
    }
    if (!address.full.empty()) e.addresses.push_back(std::move(address));

    std::string listed = NormalizePartialDate(Get(kEffectiveDate));
    if (!listed.empty()) e.dates.push_back(DateFact{DateKind::kListed, listed});
    std::string expires = NormalizePartialDate(Get(kExpirationDate));
    if (!expires.empty()) {
      e.dates.push_back(DateFact{DateKind::kDelisted, std::move(expires)});
    }
    std::string updated = NormalizePartialDate(Get(kLastUpdate));
    if (!updated.empty()) {
      e.dates.push_back(DateFact{DateKind::kModified, std::move(updated)});
    }

    e.AddProperty("standard_order", std::string(Get(kStandardOrder)));
    e.AddProperty("action", CollapseWhitespace(Get(kAction)));
    std::string citation = CollapseWhitespace(Get(kFrCitation));
    e.AddProperty("federal_register_notice", citation);
    if (!citation.empty()) {
      Citation c;
      c.text = std::move(citation);
      if (listed.size() == 10) c.effective = listed;
      c.fact = "listing";
      e.citations.push_back(std::move(c));
    }
    return e;
  }

 private:
  const Layout& layout_;
  const CsvRecord& record_;
};

}  // namespace

Status LoadDpl(const Input& input, EntitySink& sink, LoadReport& report) {
  ICTS_RETURN_IF_ERROR(CheckUtf8(input));
  CsvReader reader(StripBomAndEof(input.data), input.path, '\t');
  CsvRecord record;
  if (!reader.Next(&record)) {
    if (!reader.status().ok()) return reader.status();
    return ErrorAtLine(StatusCode::kInvalidArgument, input.path, 1,
                       "the file is empty; expected a Denied Persons List "
                       "header row");
  }
  ICTS_ASSIGN_OR_RETURN(Layout layout, ReadLayout(input.path, record));

  // Entity id → line of its first row. BIS has published the same order
  // twice; the repeat is rejected so ids stay unique.
  std::unordered_map<std::string, uint64_t> seen;
  while (reader.Next(&record)) {
    if (IsHeaderRepeat(layout, record)) continue;
    ++report.rows;
    if (record.fields.size() != layout.field_count) {
      report.AddReject(input.path, record.line,
                       fmt::format("expected {} fields as in the header, found {}",
                                   layout.field_count, record.fields.size()));
      continue;
    }
    DplRow row(layout, record);
    if (row.Get(kName).empty()) {
      report.AddReject(input.path, record.line, "empty name");
      continue;
    }
    Entity entity = row.Build();
    auto [it, inserted] = seen.try_emplace(entity.id, record.line);
    if (!inserted) {
      report.AddReject(input.path, record.line,
                       fmt::format("duplicate entry {} (first on line {})", entity.id, it->second));
      continue;
    }
    sink.AddEntity(std::move(entity));
    ++report.entities;
  }
  ICTS_RETURN_IF_ERROR(reader.status());
  if (reader.truncated_line() != 0) {
    ++report.rows;
    report.AddReject(input.path, reader.truncated_line(), kTruncatedRecordReason);
  }
  return Status::Ok();
}

}  // namespace icts::refdata
