#include "refdata/ofac_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/date.h"
#include "base/strings.h"
#include "refdata/countries.h"
#include "refdata/csv.h"

namespace icts::refdata {

namespace {

constexpr std::string_view kSdnList = "Specially Designated Nationals (SDN) - Treasury Department";
constexpr std::string_view kConsolidatedFallbackList = "OFAC Consolidated (non-SDN) List";

// Column counts of the four files.
constexpr size_t kMainFields = 12;
constexpr size_t kAddressFields = 6;
constexpr size_t kAliasFields = 5;
constexpr size_t kCommentFields = 2;

// Main-file columns.
enum MainColumn : size_t {
  kEntNum = 0,
  kName = 1,
  kType = 2,
  kProgram = 3,
  kTitle = 4,
  kCallSign = 5,
  kVesselType = 6,
  kTonnage = 7,
  kGrt = 8,
  kVesselFlag = 9,
  kVesselOwner = 10,
  kRemarks = 11,
};

// Trims a field and maps OFAC's null marker "-0-" to "".
std::string_view Clean(std::string_view field) {
  field = TrimAscii(field);
  return field == "-0-" ? std::string_view() : field;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ent_num: 1 to 18 decimal digits (fits in uint64_t).
bool ParseEntNum(std::string_view text, uint64_t* out) {
  text = TrimAscii(text);
  if (text.empty() || text.size() > 18) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = value;
  return true;
}

// "Organization Type" → "organization_type".
std::string SnakeKey(std::string_view label) {
  std::string out;
  bool pending = false;
  for (char c : label) {
    if (IsAlnum(c)) {
      if (pending && !out.empty()) out.push_back('_');
      pending = false;
      out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    } else {
      pending = true;
    }
  }
  return out;
}

std::string_view StripFinalPeriod(std::string_view s) {
  s = TrimAscii(s);
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return TrimAscii(s);
}

// Removes separators OFAC puts between a label and its value ("NIT # 1",
// "Telephone: 1").
std::string_view StripValueLead(std::string_view s) {
  s = TrimAscii(s);
  while (!s.empty() &&
         (s.front() == '#' || s.front() == ':' || s.front() == ' ' || s.front() == '-')) {
    s.remove_prefix(1);
  }
  return TrimAscii(s);
}

// "LAST, First Middle" → "First Middle LAST"; "" when there is no comma.
std::string ReorderPersonName(std::string_view name) {
  size_t comma = name.find(',');
  if (comma == std::string_view::npos) return "";
  std::string_view last = TrimAscii(name.substr(0, comma));
  std::string_view first = TrimAscii(name.substr(comma + 1));
  if (last.empty() || first.empty()) return "";
  std::string out(first);
  out.push_back(' ');
  out.append(last);
  return out;
}

// Programs as OFAC writes them: "SDGT", "SDGT; IRGC" or "SDGT] [IRGC" (the
// outer brackets of "[SDGT] [IRGC]" stripped by the file producer).
std::vector<std::string> SplitPrograms(std::string_view field) {
  std::vector<std::string> out;
  for (std::string_view part : SplitTrimmed(field, ';')) {
    for (std::string_view piece : SplitTrimmed(part, "] [")) {
      while (!piece.empty() && (piece.front() == '[' || piece.front() == ' ')) {
        piece.remove_prefix(1);
      }
      while (!piece.empty() && (piece.back() == ']' || piece.back() == ' ')) {
        piece.remove_suffix(1);
      }
      if (piece.empty() || piece == "-0-") continue;
      bool seen = false;
      for (const std::string& p : out) seen = seen || p == piece;
      if (!seen) out.emplace_back(piece);
    }
  }
  return out;
}

// Dates as remarks give them: "12 Jan 1960", "Jan 1960", "1960",
// "circa 1960", "1960 to 1962", "12 Jan 1960 to 14 Feb 1960",
// "circa 1960-1962". A span of at most ten whole years gives every year in
// it; other ranges give both ends.
std::vector<std::string> ParseDateValues(std::string_view text) {
  std::vector<std::string> out;
  text = StripFinalPeriod(text);
  std::string_view first = text;
  std::string_view second;
  size_t to = text.find(" to ");
  if (to != std::string_view::npos) {
    first = TrimAscii(text.substr(0, to));
    second = TrimAscii(text.substr(to + 4));
  } else {
    std::string_view bare = text;
    for (std::string_view q : {"circa ", "Circa "}) {
      if (StartsWith(bare, q)) bare = TrimAscii(bare.substr(q.size()));
    }
    if (bare.size() == 9 && bare[4] == '-') {
      first = bare.substr(0, 4);
      second = bare.substr(5);
    }
  }
  auto push = [&out](std::string value) {
    if (value.empty()) return;
    for (const std::string& v : out) {
      if (v == value) return;
    }
    out.push_back(std::move(value));
  };
  std::string a = NormalizePartialDate(first);
  if (second.empty()) {
    push(std::move(a));
    return out;
  }
  std::string b = NormalizePartialDate(second);
  if (a.size() == 4 && b.size() == 4) {
    int from = 0;
    int until = 0;
    for (char c : a) from = from * 10 + (c - '0');
    for (char c : b) until = until * 10 + (c - '0');
    if (until >= from && until - from <= 10) {
      for (int y = from; y <= until; ++y) push(fmt::format("{:04d}", y));
      return out;
    }
  }
  push(std::move(a));
  push(std::move(b));
  return out;
}

// What a remarks clause turns into.
enum class Action : uint8_t {
  kAlias,             // a.k.a. / f.k.a. / n.k.a. 'NAME'
  kLinkedTo,          // Linked To: NAME
  kDate,              // DOB, Organization Established Date, ...
  kBirthPlace,        // POB City, Country
  kCountry,           // nationality / citizen / registration nationality
  kIdentifier,        // Document or register number, "(Country)" parsed.
  kContact,           // E-mail, website, phone: value taken as written.
  kCrypto,            // Digital Currency Address - XBT <address>
  kProperty,          // Fixed key.
  kLabelledProperty,  // Key from the text before ": " or " - ".
};

struct RemarkRule {
  std::string_view prefix;
  Action action;
  NameKind name_kind = NameKind::kStrongAlias;
  DateKind date_kind = DateKind::kOther;
  CountryRole role = CountryRole::kUnspecified;
  IdKind id_kind = IdKind::kOther;
  // For kIdentifier: a registration number for organisations and a national
  // ID for individuals ("Identification Number").
  bool person_national_id = false;
  std::string_view key;
};

// The clause kinds OFAC writes. The longest matching prefix wins, so
// "Identification Number" and "Turkish Identification Number" can coexist.
constexpr RemarkRule kRules[] = {
    // Names and links.
    {.prefix = "a.k.a.", .action = Action::kAlias, .name_kind = NameKind::kWeakAlias},
    {.prefix = "f.k.a.", .action = Action::kAlias, .name_kind = NameKind::kPrevious},
    {.prefix = "n.k.a.", .action = Action::kAlias, .name_kind = NameKind::kStrongAlias},
    {.prefix = "Linked To:", .action = Action::kLinkedTo},
    // Dates.
    {.prefix = "DOB", .action = Action::kDate, .date_kind = DateKind::kBirth},
    {.prefix = "Organization Established Date",
     .action = Action::kDate,
     .date_kind = DateKind::kIncorporation},
    {.prefix = "Listing Date (CMIC)", .action = Action::kDate, .date_kind = DateKind::kListed},
    // Places and countries.
    {.prefix = "POB", .action = Action::kBirthPlace},
    {.prefix = "nationality", .action = Action::kCountry, .role = CountryRole::kNationality},
    {.prefix = "citizen", .action = Action::kCountry, .role = CountryRole::kCitizenship},
    {.prefix = "Nationality of Registration",
     .action = Action::kCountry,
     .role = CountryRole::kFlag},
    // Personal documents.
    {.prefix = "Passport", .action = Action::kIdentifier, .id_kind = IdKind::kPassport},
    {.prefix = "Diplomatic Passport", .action = Action::kIdentifier, .id_kind = IdKind::kPassport},
    {.prefix = "National ID No.", .action = Action::kIdentifier, .id_kind = IdKind::kNationalId},
    {.prefix = "National Foreign ID Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kNationalId},
    {.prefix = "Cedula No.", .action = Action::kIdentifier, .id_kind = IdKind::kNationalId},
    {.prefix = "D.N.I.", .action = Action::kIdentifier, .id_kind = IdKind::kNationalId},
    {.prefix = "Personal ID Card", .action = Action::kIdentifier, .id_kind = IdKind::kNationalId},
    {.prefix = "Citizen's Card Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kNationalId},
    {.prefix = "Turkish Identification Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kNationalId},
    {.prefix = "Kenyan ID No.", .action = Action::kIdentifier, .id_kind = IdKind::kNationalId},
    {.prefix = "Numero de Identidad",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kNationalId},
    {.prefix = "SSN", .action = Action::kIdentifier, .id_kind = IdKind::kNationalId},
    {.prefix = "C.U.R.P.", .action = Action::kIdentifier, .id_kind = IdKind::kNationalId},
    {.prefix = "Identification Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration,
     .person_national_id = true},
    {.prefix = "Travel Document Number", .action = Action::kIdentifier},
    {.prefix = "Driver's License No.", .action = Action::kIdentifier},
    {.prefix = "Birth Certificate Number", .action = Action::kIdentifier},
    {.prefix = "Residency Number", .action = Action::kIdentifier},
    {.prefix = "Electoral Registry No.", .action = Action::kIdentifier},
    {.prefix = "Credencial electoral", .action = Action::kIdentifier},
    {.prefix = "Cartilla de Servicio Militar Nacional", .action = Action::kIdentifier},
    // Tax numbers.
    {.prefix = "Tax ID No.", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "NIT", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "RUC", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "RIF", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "RTN", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "R.F.C.", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "C.U.I.T.", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "V.A.T. Number", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "US FEIN", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    {.prefix = "Italian Fiscal Code", .action = Action::kIdentifier, .id_kind = IdKind::kTax},
    // Company registers.
    {.prefix = "Registration Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Registration ID", .action = Action::kIdentifier, .id_kind = IdKind::kRegistration},
    {.prefix = "Business Registration Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Business Registration Document",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Public Registration Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Company Number", .action = Action::kIdentifier, .id_kind = IdKind::kRegistration},
    {.prefix = "UK Company Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Commercial Registry Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Matricula Mercantil No",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Folio Mercantil No.",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Unified Social Credit Code (USCC)",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "United Social Credit Code Certificate (USCCC)",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Government Gazette Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Chamber of Commerce Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Dubai Chamber of Commerce Membership No.",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Certificate of Incorporation Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Trade License No.",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "C.R. No.", .action = Action::kIdentifier, .id_kind = IdKind::kRegistration},
    {.prefix = "Registered Charity No.",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "LE Number", .action = Action::kIdentifier, .id_kind = IdKind::kRegistration},
    {.prefix = "Branch Unit Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "Legal Entity Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kRegistration},
    {.prefix = "LEI", .action = Action::kIdentifier, .id_kind = IdKind::kLei},
    // Banking and trade codes.
    {.prefix = "SWIFT/BIC", .action = Action::kIdentifier, .id_kind = IdKind::kSwiftBic},
    {.prefix = "D-U-N-S Number", .action = Action::kIdentifier, .id_kind = IdKind::kDuns},
    {.prefix = "BIK (RU)", .action = Action::kIdentifier},
    {.prefix = "ISIN", .action = Action::kIdentifier},
    {.prefix = "Chinese Commercial Code", .action = Action::kIdentifier},
    // Vessels and aircraft.
    {.prefix = "Vessel Registration Identification", .action = Action::kIdentifier},
    {.prefix = "MMSI", .action = Action::kIdentifier},
    {.prefix = "Aircraft Manufacturer's Serial Number (MSN)", .action = Action::kIdentifier},
    {.prefix = "Aircraft Construction Number (also called L/N or S/N or F/N)",
     .action = Action::kIdentifier},
    {.prefix = "Aircraft Mode S Transponder Code", .action = Action::kIdentifier},
    {.prefix = "Aircraft Tail Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kAircraftTail},
    {.prefix = "Previous Aircraft Tail Number",
     .action = Action::kIdentifier,
     .id_kind = IdKind::kAircraftTail},
    // Contact details.
    {.prefix = "Email Address", .action = Action::kContact, .id_kind = IdKind::kEmail},
    {.prefix = "Website", .action = Action::kContact, .id_kind = IdKind::kWebsite},
    {.prefix = "Phone Number", .action = Action::kContact, .id_kind = IdKind::kPhone},
    {.prefix = "Telephone", .action = Action::kContact, .id_kind = IdKind::kPhone},
    {.prefix = "Telephone No.", .action = Action::kContact, .id_kind = IdKind::kPhone},
    {.prefix = "Telephone Number", .action = Action::kContact, .id_kind = IdKind::kPhone},
    {.prefix = "Fax", .action = Action::kContact, .id_kind = IdKind::kPhone},
    {.prefix = "Fax No.", .action = Action::kContact, .id_kind = IdKind::kPhone},
    {.prefix = "Fax Number", .action = Action::kContact, .id_kind = IdKind::kPhone},
    {.prefix = "Digital Currency Address -",
     .action = Action::kCrypto,
     .id_kind = IdKind::kCryptoWallet},
    // Notes kept as properties.
    {.prefix = "Gender", .action = Action::kProperty, .key = "gender"},
    {.prefix = "Organization Type", .action = Action::kProperty, .key = "organization_type"},
    {.prefix = "Target Type", .action = Action::kProperty, .key = "target_type"},
    {.prefix = "Additional Sanctions Information",
     .action = Action::kProperty,
     .key = "additional_sanctions_information"},
    {.prefix = "Secondary sanctions risk",
     .action = Action::kProperty,
     .key = "secondary_sanctions_risk"},
    {.prefix = "Transactions Prohibited For Persons Owned or Controlled By "
               "U.S. Financial Institutions",
     .action = Action::kProperty,
     .key = "transactions_prohibited"},
    {.prefix = "Aircraft Model", .action = Action::kProperty, .key = "aircraft_model"},
    {.prefix = "Aircraft Operator", .action = Action::kProperty, .key = "aircraft_operator"},
    {.prefix = "Aircraft Manufacture Date",
     .action = Action::kProperty,
     .key = "aircraft_manufacture_date"},
    {.prefix = "Former Vessel Flag", .action = Action::kProperty, .key = "former_vessel_flag"},
    {.prefix = "Other Vessel Type", .action = Action::kProperty, .key = "other_vessel_type"},
    {.prefix = "Vessel Year of Build", .action = Action::kProperty, .key = "vessel_year_of_build"},
    {.prefix = "Issuer Name", .action = Action::kProperty, .key = "issuer_name"},
    {.prefix = "Equity Ticker", .action = Action::kProperty, .key = "equity_ticker"},
    {.prefix = "Effective Date (CMIC)", .action = Action::kProperty, .key = "effective_date_cmic"},
    {.prefix = "Purchase/Sales For Divestment Date (CMIC)",
     .action = Action::kProperty,
     .key = "divestment_date_cmic"},
    {.prefix = "Position", .action = Action::kProperty, .key = "position"},
    {.prefix = "Executive Order", .action = Action::kLabelledProperty},
    {.prefix = "CAATSA Section", .action = Action::kLabelledProperty},
    {.prefix = "IFCA Determination", .action = Action::kLabelledProperty},
    {.prefix = "Listing Date (EO", .action = Action::kLabelledProperty},
    {.prefix = "Effective Date (EO", .action = Action::kLabelledProperty},
};

// A prefix matches when the clause continues with a non-word character (or
// ends there), so "RUC" does not match "RUCHI" and "Fax" not "Faxon".
bool PrefixMatches(std::string_view clause, std::string_view prefix) {
  if (!StartsWith(clause, prefix)) return false;
  if (clause.size() == prefix.size()) return true;
  char last = prefix.back();
  if (!IsAlnum(last)) return true;
  char next = clause[prefix.size()];
  return !IsAlnum(next) && next != '\'' && next != '/' && next != '-';
}

const RemarkRule* FindRule(std::string_view clause) {
  const RemarkRule* best = nullptr;
  for (const RemarkRule& rule : kRules) {
    if ((best == nullptr || rule.prefix.size() > best->prefix.size()) &&
        PrefixMatches(clause, rule.prefix)) {
      best = &rule;
    }
  }
  return best;
}

// The text inside the outermost quotes of "a.k.a. 'NAME'", or the rest of
// the clause when it is not quoted.
std::string_view QuotedName(std::string_view rest) {
  rest = StripFinalPeriod(rest);
  size_t open = rest.find('\'');
  size_t close = rest.rfind('\'');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return TrimAscii(rest.substr(open + 1, close - open - 1));
  }
  return rest;
}

// Adds facts to an entity and skips repeats in constant time. (Entity's own
// Add* helpers scan their vectors, which turns quadratic on a hostile file
// with many thousands of clauses in one entry.)
class EntityFacts {
 public:
  explicit EntityFacts(Entity& entity) : entity_(entity) {
    for (const Name& n : entity.names) names_.insert(n.value);
    for (const Country& c : entity.countries) {
      countries_.insert(CountryKey(c.code, c.role, c.label));
    }
    for (const Identifier& id : entity.identifiers) ids_.insert(IdKey(id));
    for (const DateFact& d : entity.dates) dates_.insert(DateKey(d.kind, d.value));
  }

  Entity& entity() { return entity_; }

  void AddName(std::string value, NameKind kind) {
    if (value.empty() || !names_.insert(value).second) return;
    entity_.names.push_back(Name{std::move(value), kind});
  }
  void AddCountry(std::string code, CountryRole role, std::string label) {
    if (!countries_.insert(CountryKey(code, role, label)).second) return;
    entity_.countries.push_back(Country{std::move(code), role, std::move(label)});
  }
  void AddIdentifier(Identifier id) {
    if (id.value.empty() || !ids_.insert(IdKey(id)).second) return;
    entity_.identifiers.push_back(std::move(id));
  }
  void AddDate(DateKind kind, std::string value) {
    if (value.empty() || !dates_.insert(DateKey(kind, value)).second) return;
    entity_.dates.push_back(DateFact{kind, std::move(value)});
  }
  void AddProperty(std::string key, std::string value) {
    entity_.AddProperty(std::move(key), std::move(value));
  }

 private:
  // Keys give the length of every part but the last, so no two different
  // facts share a key whatever bytes their texts hold.
  static std::string CountryKey(std::string_view code, CountryRole role, std::string_view label) {
    return fmt::format("{}:{}:{}{}", static_cast<int>(role), code.size(), code, label);
  }
  static std::string IdKey(const Identifier& id) {
    return fmt::format("{}:{}:{}{}:{}{}", static_cast<int>(id.kind), id.value.size(), id.value,
                       id.country.size(), id.country, id.label);
  }
  static std::string DateKey(DateKind kind, std::string_view value) {
    return fmt::format("{}:{}", static_cast<int>(kind), value);
  }

  Entity& entity_;
  std::unordered_set<std::string> names_;
  std::unordered_set<std::string> countries_;
  std::unordered_set<std::string> ids_;
  std::unordered_set<std::string> dates_;
};

bool LooksLikeLei(std::string_view value) {
  if (value.size() != 20) return false;
  for (char c : value) {
    if (!IsDigit(c) && !(c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

// "A123 (Iran) issued 1 Jan 2000 expires 1 Jan 2010" → value "A123", country
// "IR". Parenthesised groups at the end are qualifiers: the last one is the
// issuing country when it names one; the others (a state, a register) are
// appended to the label.
void AddDocument(EntityFacts& facts, const RemarkRule& rule, std::string_view rest) {
  std::string_view value = StripValueLead(StripFinalPeriod(rest));
  for (std::string_view cut : {" issued ", " expires ", ", issued", " Issued "}) {
    size_t at = value.find(cut);
    if (at != std::string_view::npos) value = TrimAscii(value.substr(0, at));
  }
  std::vector<std::string_view> groups;  // Last group first.
  while (!value.empty() && value.back() == ')') {
    int depth = 0;
    size_t open = std::string_view::npos;
    for (size_t i = value.size(); i-- > 0;) {
      if (value[i] == ')') ++depth;
      if (value[i] == '(' && --depth == 0) {
        open = i;
        break;
      }
    }
    // A group glued to the value ("D489833(9)") is part of it.
    if (open == std::string_view::npos || open == 0 || value[open - 1] != ' ') {
      break;
    }
    groups.push_back(TrimAscii(value.substr(open + 1, value.size() - open - 2)));
    value = TrimAscii(value.substr(0, open));
  }
  value = StripValueLead(value);
  if (value.empty()) return;

  Identifier id;
  id.kind = rule.id_kind;
  if (rule.person_national_id && facts.entity().schema == Schema::kPerson) {
    id.kind = IdKind::kNationalId;
  }
  id.label = std::string(rule.prefix);
  if (!groups.empty()) {
    id.country = CountryCode(groups.front());
    if (id.country.empty()) {
      // "(Cabo Verde.  Previously Cape Verde.)": the first sentence names it.
      size_t stop = groups.front().find('.');
      if (stop != std::string_view::npos) {
        id.country = CountryCode(groups.front().substr(0, stop));
      }
    }
    size_t first_extra = id.country.empty() ? 0 : 1;
    for (size_t i = groups.size(); i-- > first_extra;) {
      id.label += fmt::format(" ({})", groups[i]);
    }
  }
  if (StartsWith(value, "IMO ")) {
    id.kind = IdKind::kImo;
    value = TrimAscii(value.substr(4));
  } else if (id.kind == IdKind::kRegistration && rule.prefix == "Legal Entity Number" &&
             LooksLikeLei(value)) {
    id.kind = IdKind::kLei;
  }
  if (value.empty()) return;
  id.value = std::string(value);
  facts.AddIdentifier(std::move(id));
}

void AddContact(EntityFacts& facts, const RemarkRule& rule, std::string_view rest) {
  std::string_view value = StripValueLead(StripFinalPeriod(rest));
  if (value.empty()) return;
  facts.AddIdentifier(Identifier{rule.id_kind, std::string(value), "", std::string(rule.prefix)});
}

// "Digital Currency Address - XBT 1abc" → wallet "1abc" labelled with the
// currency.
void AddCrypto(EntityFacts& facts, const RemarkRule& rule, std::string_view rest) {
  std::string_view value = StripValueLead(StripFinalPeriod(rest));
  if (value.empty()) return;
  std::string label(rule.prefix);
  size_t space = value.find(' ');
  if (space != std::string_view::npos) {
    label += fmt::format(" {}", value.substr(0, space));
    value = TrimAscii(value.substr(space + 1));
  }
  if (value.empty()) return;
  facts.AddIdentifier(Identifier{rule.id_kind, std::string(value), "", std::move(label)});
}

void AddDate(EntityFacts& facts, DateKind kind, std::string_view text) {
  for (std::string& value : ParseDateValues(text)) {
    facts.AddDate(kind, std::move(value));
  }
}

// "POB Toledo District, Belize": the place is kept whole; the country is the
// last comma-separated part, or the whole text ("POB Iran").
void AddBirthPlace(EntityFacts& facts, std::string_view rest) {
  std::string_view place = StripValueLead(StripFinalPeriod(rest));
  if (place.empty()) return;
  facts.AddProperty("birth_place", std::string(place));
  std::string_view country = place;
  size_t comma = place.rfind(',');
  if (comma != std::string_view::npos) {
    country = TrimAscii(place.substr(comma + 1));
  }
  std::string code = CountryCode(country);
  if (code.empty() && country != place) {
    code = CountryCode(place);
    if (!code.empty()) country = place;
  }
  if (!code.empty()) {
    facts.AddCountry(std::move(code), CountryRole::kBirthPlace, std::string(country));
  }
}

void AddCountryClause(EntityFacts& facts, CountryRole role, std::string_view rest) {
  std::string_view label = StripValueLead(StripFinalPeriod(rest));
  if (label.empty()) return;
  facts.AddCountry(CountryCode(label), role, std::string(label));
}

// "Executive Order 13662 Directive Determination - Subject to Directive 2" →
// key "executive_order_13662_directive_determination".
void AddLabelledProperty(EntityFacts& facts, std::string_view clause) {
  clause = StripFinalPeriod(clause);
  size_t colon = clause.find(": ");
  size_t dash = clause.find(" - ");
  size_t cut = std::min(colon, dash);
  if (cut == std::string_view::npos) {
    facts.AddProperty(SnakeKey(clause), std::string(clause));
    return;
  }
  size_t skip = (cut == colon) ? 2 : 3;
  facts.AddProperty(SnakeKey(clause.substr(0, cut)),
                    std::string(TrimAscii(clause.substr(cut + skip))));
}

// A short "Label: value" clause no rule knows; kept as a property.
bool AddGenericLabelled(EntityFacts& facts, std::string_view clause) {
  size_t colon = clause.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 48) return false;
  char first = clause.front();
  if (!(first >= 'A' && first <= 'Z')) return false;
  std::string_view label = clause.substr(0, colon);
  if (label.find("http") != std::string_view::npos) return false;
  std::string key = SnakeKey(label);
  std::string_view value = StripFinalPeriod(clause.substr(colon + 2));
  if (key.empty() || value.empty()) return false;
  facts.AddProperty(std::move(key), std::string(value));
  return true;
}

std::vector<OfacLink> ApplyRemarks(std::string_view remarks, EntityFacts& facts) {
  std::vector<OfacLink> links;
  std::vector<std::string_view> clauses = SplitTrimmed(remarks, ';');
  for (size_t i = 0; i < clauses.size(); ++i) {
    std::string_view clause = clauses[i];
    bool at_end = i + 1 == clauses.size();
    if (StartsWithIgnoreCaseAscii(clause, "alt. ")) {
      clause = TrimAscii(clause.substr(5));
    }
    const RemarkRule* rule = FindRule(clause);
    if (rule == nullptr) {
      AddGenericLabelled(facts, clause);
      continue;
    }
    std::string_view rest = TrimAscii(clause.substr(rule->prefix.size()));
    switch (rule->action) {
      case Action::kAlias: {
        std::string_view alias = QuotedName(rest);
        if (std::any_of(alias.begin(), alias.end(), IsAlnum)) {
          facts.AddName(std::string(alias), rule->name_kind);
        }
        break;
      }
      case Action::kLinkedTo: {
        std::string_view name = TrimAscii(rest);
        if (!name.empty()) links.push_back(OfacLink{std::string(name), at_end});
        break;
      }
      case Action::kDate:
        AddDate(facts, rule->date_kind, rest);
        break;
      case Action::kBirthPlace:
        AddBirthPlace(facts, rest);
        break;
      case Action::kCountry:
        AddCountryClause(facts, rule->role, rest);
        break;
      case Action::kIdentifier:
        AddDocument(facts, *rule, rest);
        break;
      case Action::kContact:
        AddContact(facts, *rule, rest);
        break;
      case Action::kCrypto:
        AddCrypto(facts, *rule, rest);
        break;
      case Action::kProperty: {
        std::string_view value = StripValueLead(StripFinalPeriod(rest));
        facts.AddProperty(std::string(rule->key), std::string(value));
        break;
      }
      case Action::kLabelledProperty:
        AddLabelledProperty(facts, clause);
        break;
    }
  }
  return links;
}

// One accepted main row with the side rows that belong to it.
struct MainRow {
  uint64_t line = 0;
  uint64_t ent_num = 0;
  std::vector<std::string> fields;
  std::string overflow;  // Remarks continued in the comments file.
  std::vector<std::vector<std::string>> addresses;
  std::vector<std::vector<std::string>> aliases;
};

struct PendingLink {
  size_t from;  // Index into the accepted rows.
  OfacLink link;
};

// Reads a side file and hands each valid row to `attach` with the index of
// its main row.
template <typename Attach>
Status ReadSideFile(const Input& input, size_t expected_fields,
                    const std::unordered_map<uint64_t, size_t>& by_ent_num, LoadReport& report,
                    Attach attach) {
  if (input.path.empty()) return Status::Ok();
  ICTS_RETURN_IF_ERROR(CheckUtf8(input));
  CsvReader reader(StripBomAndEof(input.data), input.path);
  CsvRecord record;
  while (reader.Next(&record)) {
    if (record.fields.size() != expected_fields) {
      report.AddReject(
          input.path, record.line,
          fmt::format("expected {} fields, found {}", expected_fields, record.fields.size()));
      continue;
    }
    uint64_t ent_num = 0;
    if (!ParseEntNum(record.fields[0], &ent_num)) {
      report.AddReject(input.path, record.line,
                       fmt::format("ent_num \"{}\" is not a number", TrimAscii(record.fields[0])));
      continue;
    }
    auto it = by_ent_num.find(ent_num);
    if (it == by_ent_num.end()) {
      report.AddReject(input.path, record.line,
                       fmt::format("no main entry with ent_num {}", ent_num));
      continue;
    }
    attach(it->second, std::move(record.fields));
  }
  ICTS_RETURN_IF_ERROR(reader.status());
  if (reader.truncated_line() != 0) {
    report.AddReject(input.path, reader.truncated_line(), kTruncatedRecordReason);
  }
  return Status::Ok();
}

NameKind AliasKind(std::string_view type, std::string_view remarks) {
  NameKind kind = NameKind::kStrongAlias;
  if (EqualsIgnoreCaseAscii(type, "fka")) kind = NameKind::kPrevious;
  std::string lower = ToLowerAscii(remarks);
  if (lower.find("weak") != std::string::npos) kind = NameKind::kWeakAlias;
  return kind;
}

Schema SchemaFor(std::string_view type) {
  if (EqualsIgnoreCaseAscii(type, "individual")) return Schema::kPerson;
  if (EqualsIgnoreCaseAscii(type, "vessel")) return Schema::kVessel;
  if (EqualsIgnoreCaseAscii(type, "aircraft")) return Schema::kAircraft;
  return Schema::kOrganization;
}

Entity BuildEntity(MainRow& row, OfacList list, std::string_view id_prefix,
                   std::vector<OfacLink>* links) {
  const std::vector<std::string>& f = row.fields;
  Entity entity;
  entity.source_id = std::to_string(row.ent_num);
  entity.id = fmt::format("{}:{}", id_prefix, row.ent_num);
  entity.schema = SchemaFor(Clean(f[kType]));
  EntityFacts facts(entity);

  std::string_view name = Clean(f[kName]);
  facts.AddName(std::string(name), NameKind::kPrimary);
  if (entity.schema == Schema::kPerson) {
    facts.AddName(ReorderPersonName(name), NameKind::kStrongAlias);
  }
  for (const std::vector<std::string>& alias : row.aliases) {
    std::string_view value = Clean(alias[3]);
    if (value.empty()) continue;
    facts.AddName(std::string(value), AliasKind(Clean(alias[2]), Clean(alias[4])));
  }

  entity.programs = SplitPrograms(Clean(f[kProgram]));
  if (list == OfacList::kSdn) {
    entity.lists.emplace_back(kSdnList);
  } else {
    entity.lists = OfacConsolidatedLists(entity.programs);
  }
  entity.topics.emplace_back("sanction");

  facts.AddProperty("title", std::string(Clean(f[kTitle])));
  facts.AddProperty("call_sign", std::string(Clean(f[kCallSign])));
  facts.AddProperty("vessel_type", std::string(Clean(f[kVesselType])));
  facts.AddProperty("gross_tonnage", std::string(Clean(f[kTonnage])));
  facts.AddProperty("gross_registered_tonnage", std::string(Clean(f[kGrt])));
  facts.AddProperty("vessel_owner", std::string(Clean(f[kVesselOwner])));
  std::string_view flag = Clean(f[kVesselFlag]);
  if (!flag.empty()) {
    facts.AddCountry(CountryCode(flag), CountryRole::kFlag, std::string(flag));
  }

  for (const std::vector<std::string>& a : row.addresses) {
    std::string_view street = Clean(a[2]);
    std::string_view city = Clean(a[3]);
    std::string_view country = Clean(a[4]);
    std::string_view remarks = Clean(a[5]);
    if (!remarks.empty()) {
      facts.AddProperty("address_remarks", std::string(remarks));
    }
    if (street.empty() && city.empty() && country.empty()) continue;
    Address address;
    for (std::string_view part : {street, city, country}) {
      if (part.empty()) continue;
      if (!address.full.empty()) address.full += ", ";
      address.full.append(part);
    }
    address.street = std::string(street);
    address.city = std::string(city);
    if (!country.empty()) {
      address.country = CountryCode(country);
      facts.AddCountry(address.country, CountryRole::kAddress, std::string(country));
    }
    entity.addresses.push_back(std::move(address));
  }

  std::string remarks(Clean(f[kRemarks]));
  remarks += row.overflow;
  std::string_view full = TrimAscii(remarks);
  if (!full.empty()) {
    facts.AddProperty("remarks", std::string(full));
    *links = ApplyRemarks(full, facts);
  }
  return entity;
}

}  // namespace

OfacFileNames OfacFileNamesFor(OfacList list) {
  if (list == OfacList::kSdn) {
    return {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
  }
  return {"cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"};
}

std::vector<std::string> OfacConsolidatedLists(const std::vector<std::string>& programs) {
  constexpr std::string_view kCmic =
      "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
      "Treasury Department";
  constexpr std::string_view kSsi =
      "Sectoral Sanctions Identifications List (SSI) - Treasury Department";
  constexpr std::string_view kPlc =
      "Palestinian Legislative Council List (PLC) - Treasury Department";
  constexpr std::string_view kFse = "Foreign Sanctions Evaders (FSE) - Treasury Department";
  constexpr std::string_view kCapta = "Capta List (CAP) - Treasury Department";
  constexpr std::string_view kMbs =
      "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department";

  std::vector<std::string> lists;
  auto add = [&lists](std::string_view name) {
    for (const std::string& l : lists) {
      if (l == name) return;
    }
    lists.emplace_back(name);
  };
  bool menu_based = false;
  for (const std::string& p : programs) {
    if (StartsWith(p, "CMIC")) {
      add(kCmic);
    } else if (p == "UKRAINE-EO13662" || p == "SSI") {
      add(kSsi);
    } else if (p == "NS-PLC" || p == "PLC") {
      add(kPlc);
    } else if (StartsWith(p, "FSE")) {
      add(kFse);
    } else if (p == "561-Related" || p == "CAPTA" || p == "CAP") {
      add(kCapta);
    } else if (p == "NS-MBS" || p == "MBS" || p == "RUSSIA-EO14024" || p == "CAATSA - RUSSIA" ||
               p == "BURMA-EO14014" || p == "ILLICIT-DRUGS-EO14059") {
      menu_based = true;
    }
  }
  // Menu-based programs also appear beside SSI ones; an entry is on the
  // NS-MBS list only when no other non-SDN list claims it.
  if (lists.empty() && menu_based) add(kMbs);
  if (lists.empty()) add(kConsolidatedFallbackList);
  return lists;
}

std::vector<OfacLink> ApplyOfacRemarks(std::string_view remarks, Entity& entity) {
  EntityFacts facts(entity);
  return ApplyRemarks(remarks, facts);
}

Status LoadOfac(const OfacInputs& inputs, OfacList list, EntitySink& sink, LoadReport& report) {
  if (inputs.main.path.empty()) {
    return InvalidArgumentError("OFAC load needs the main file (" + OfacFileNamesFor(list).main +
                                ")");
  }
  const std::string_view id_prefix = list == OfacList::kSdn ? "ofac-sdn" : "ofac-cons";

  // 1. Main rows, indexed by ent_num.
  ICTS_RETURN_IF_ERROR(CheckUtf8(inputs.main));
  std::vector<MainRow> rows;
  std::unordered_map<uint64_t, size_t> by_ent_num;
  {
    CsvReader reader(StripBomAndEof(inputs.main.data), inputs.main.path);
    CsvRecord record;
    while (reader.Next(&record)) {
      ++report.rows;
      if (record.fields.size() != kMainFields) {
        report.AddReject(
            inputs.main.path, record.line,
            fmt::format("expected {} fields, found {}", kMainFields, record.fields.size()));
        continue;
      }
      uint64_t ent_num = 0;
      if (!ParseEntNum(record.fields[kEntNum], &ent_num)) {
        report.AddReject(
            inputs.main.path, record.line,
            fmt::format("ent_num \"{}\" is not a number", TrimAscii(record.fields[kEntNum])));
        continue;
      }
      if (Clean(record.fields[kName]).empty()) {
        report.AddReject(inputs.main.path, record.line,
                         fmt::format("entry {} has no name", ent_num));
        continue;
      }
      auto [it, inserted] = by_ent_num.emplace(ent_num, rows.size());
      if (!inserted) {
        report.AddReject(
            inputs.main.path, record.line,
            fmt::format("duplicate ent_num {} (first on line {})", ent_num, rows[it->second].line));
        continue;
      }
      rows.push_back(MainRow{record.line, ent_num, std::move(record.fields), {}, {}, {}});
    }
    ICTS_RETURN_IF_ERROR(reader.status());
    if (reader.truncated_line() != 0) {
      ++report.rows;
      report.AddReject(inputs.main.path, reader.truncated_line(), kTruncatedRecordReason);
    }
  }

  // 2. Side files, joined through the ent_num index. The overflow continues
  // the remarks mid-text, so it is appended without a separator.
  auto add_comment = [&rows](size_t index, std::vector<std::string>&& fields) {
    if (TrimAscii(fields[1]) != "-0-") rows[index].overflow += fields[1];
  };
  auto add_alias = [&rows](size_t index, std::vector<std::string>&& fields) {
    rows[index].aliases.push_back(std::move(fields));
  };
  auto add_address = [&rows](size_t index, std::vector<std::string>&& fields) {
    rows[index].addresses.push_back(std::move(fields));
  };
  ICTS_RETURN_IF_ERROR(
      ReadSideFile(inputs.comments, kCommentFields, by_ent_num, report, add_comment));
  ICTS_RETURN_IF_ERROR(ReadSideFile(inputs.aliases, kAliasFields, by_ent_num, report, add_alias));
  ICTS_RETURN_IF_ERROR(
      ReadSideFile(inputs.addresses, kAddressFields, by_ent_num, report, add_address));

  // 3. Entities. Names are indexed (-1 marks a name used twice) so links can
  // be resolved once every entity is known.
  std::unordered_map<std::string, int64_t> by_name;
  by_name.reserve(rows.size());
  std::vector<std::string> ids;
  std::vector<std::string> names;
  ids.reserve(rows.size());
  names.reserve(rows.size());
  std::vector<PendingLink> pending;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<OfacLink> links;
    Entity entity = BuildEntity(rows[i], list, id_prefix, &links);
    ids.push_back(entity.id);
    names.push_back(entity.PrimaryName());
    auto [it, inserted] = by_name.emplace(entity.PrimaryName(), static_cast<int64_t>(i));
    if (!inserted) it->second = -1;
    for (OfacLink& link : links) pending.push_back({i, std::move(link)});
    rows[i] = MainRow();  // Release the row's text early.
    sink.AddEntity(std::move(entity));
    ++report.entities;
  }

  // 4. Relations.
  for (PendingLink& p : pending) {
    Relation relation;
    relation.kind = RelationKind::kLinkedTo;
    relation.from_id = ids[p.from];
    relation.from_name = names[p.from];
    std::string_view written = p.link.name;
    std::string_view unmarked = written;
    if (EndsWith(unmarked, ".")) unmarked = TrimAscii(unmarked.substr(0, unmarked.size() - 1));
    int64_t target = -2;  // -2 unknown, -1 ambiguous.
    std::string_view matched;
    for (std::string_view candidate : {written, unmarked}) {
      auto it = by_name.find(std::string(candidate));
      if (it != by_name.end()) {
        target = it->second;
        matched = candidate;
        break;
      }
    }
    if (target >= 0) {
      relation.to_id = ids[static_cast<size_t>(target)];
      relation.to_name = std::string(matched);
    } else if (target == -1) {
      relation.to_name = std::string(matched);
    } else {
      relation.to_name = std::string(p.link.at_end ? unmarked : written);
    }
    sink.AddRelation(std::move(relation));
    ++report.relations;
  }
  return Status::Ok();
}

}  // namespace icts::refdata
