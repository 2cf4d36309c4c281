#include "refdata/csl_loader.h"

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

// The columns we read. Any other column is ignored; any of these but kName and
// kSource may be missing.
enum Column : int {
  kId = 0,
  kSource,
  kEntityNumber,
  kType,
  kPrograms,
  kName,
  kTitle,
  kAddresses,
  kFederalRegisterNotice,
  kStartDate,
  kEndDate,
  kStandardOrder,
  kLicenseRequirement,
  kLicensePolicy,
  kCallSign,
  kVesselType,
  kGrossTonnage,
  kGrossRegisteredTonnage,
  kVesselFlag,
  kVesselOwner,
  kRemarks,
  kSourceListUrl,
  kAltNames,
  kCitizenships,
  kDatesOfBirth,
  kNationalities,
  kPlacesOfBirth,
  kSourceInformationUrl,
  kIds,
  kColumnCount,
};

constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
};

// Columns copied as properties under their own name, when not empty.
constexpr Column kPropertyColumns[] = {
    kTitle,
    kFederalRegisterNotice,
    kStandardOrder,
    kLicenseRequirement,
    kLicensePolicy,
    kCallSign,
    kVesselType,
    kGrossTonnage,
    kGrossRegisteredTonnage,
    kVesselFlag,
    kVesselOwner,
    kRemarks,
    kSourceListUrl,
    kSourceInformationUrl,
    kEntityNumber,
};

// Where each column sits in the file, or -1.
struct Layout {
  std::array<int, kColumnCount> index;
  size_t field_count = 0;
  std::vector<std::string> header;  // Normalised names, for header repeats.
};

std::string NormalizeHeaderName(std::string_view name) { return ToLowerAscii(TrimAscii(name)); }

bool IsHeaderRepeat(const Layout& layout, const CsvRecord& record) {
  if (record.fields.size() != layout.header.size()) return false;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (NormalizeHeaderName(record.fields[i]) != layout.header[i]) return false;
  }
  return true;
}

// The short code inside the first parentheses of a CSL source name
// ("Entity List (EL) - Bureau ..." gives "EL", "... (NS-MBS List) - ..." gives
// "NS-MBS"); empty when there is none.
std::string ListCode(std::string_view source) {
  size_t open = source.find('(');
  if (open == std::string_view::npos) return {};
  size_t close = source.find(')', open);
  if (close == std::string_view::npos) return {};
  std::string_view inside = TrimAscii(source.substr(open + 1, close - open - 1));
  size_t space = inside.find(' ');
  if (space != std::string_view::npos) inside = inside.substr(0, space);
  return ToUpperAscii(inside);
}

void AddTopics(std::string_view source, const std::string& code, Entity& entity) {
  auto add = [&entity](const char* topic) {
    for (const std::string& t : entity.topics) {
      if (t == topic) return;
    }
    entity.topics.emplace_back(topic);
  };
  if (code == "SDN" || code == "SSI" || code == "FSE" || code == "NS-MBS" || code == "CMIC" ||
      code == "PLC" || code == "NS-PLC" || code == "CAP" || code == "CAPTA") {
    add("sanction");
  } else if (code == "EL" || code == "DPL" || code == "UVL" || code == "MEU" || code == "ISN" ||
             code == "DTC") {
    add("export.control");
  } else {
    // A source this code does not know: go by the publishing agency.
    std::string lower = ToLowerAscii(source);
    if (lower.find("treasury") != std::string::npos) add("sanction");
    if (lower.find("industry and security") != std::string::npos ||
        lower.find("state department") != std::string::npos) {
      add("export.control");
    }
    if (lower.find("debarred") != std::string::npos) add("debarment");
  }
  if (code == "DTC") add("debarment");
  if (code == "CMIC") add("cmic");
}

Schema SchemaFromType(std::string_view type) {
  type = TrimAscii(type);
  if (EqualsIgnoreCaseAscii(type, "Individual")) return Schema::kPerson;
  if (EqualsIgnoreCaseAscii(type, "Entity")) return Schema::kOrganization;
  if (EqualsIgnoreCaseAscii(type, "Vessel")) return Schema::kVessel;
  if (EqualsIgnoreCaseAscii(type, "Aircraft")) return Schema::kAircraft;
  return Schema::kLegalEntity;
}

bool HasDigit(std::string_view s) {
  for (char c : s) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

// "100094", "H2L 1K3", "CH-8022", "SW1A 1AA": short, upper case, at least two
// digits.
bool LooksLikePostalCode(std::string_view s) {
  if (s.size() < 3 || s.size() > 10) return false;
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!((c >= 'A' && c <= 'Z') || c == ' ' || c == '-')) {
      return false;
    }
  }
  return digits >= 2;
}

// "AZ", "TX", "NSW": a state or province abbreviation.
bool LooksLikeRegionCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 3) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

std::string Join(const std::vector<std::string_view>& parts, size_t begin, size_t end,
                 std::string_view sep) {
  std::string out;
  for (size_t i = begin; i < end && i < parts.size(); ++i) {
    if (!out.empty()) out += sep;
    out += parts[i];
  }
  return out;
}

// Splits one published address ("street, city, state, postal, country") into
// its parts. The last piece is the country when it names one; the rest is
// read from the end: a postal code, a state abbreviation, the city. `full`
// always keeps the text as given. `country_label` receives the country text.
Address ParseAddress(std::string_view text, std::string* country_label) {
  Address address;
  address.full = CollapseWhitespace(text);
  std::vector<std::string_view> parts = SplitTrimmed(text, ',');
  if (!parts.empty()) {
    std::string code = CountryCode(parts.back());
    if (!code.empty()) {
      *country_label = std::string(parts.back());
      address.country = code;
      parts.pop_back();
      // "..., Beijing, China, CN" names the country twice.
      while (parts.size() > 1 && CountryCode(parts.back()) == code) {
        parts.pop_back();
      }
    }
  }
  if (!parts.empty() && LooksLikePostalCode(parts.back())) {
    address.postal_code = std::string(parts.back());
    parts.pop_back();
  }
  if (parts.size() >= 3 && LooksLikeRegionCode(parts.back())) {
    address.region = std::string(parts.back());
    parts.pop_back();
  }
  if (parts.size() >= 2) {
    address.city = std::string(parts.back());
    parts.pop_back();
    address.street = Join(parts, 0, parts.size(), ", ");
  } else if (parts.size() == 1) {
    if (HasDigit(parts[0])) {
      address.street = std::string(parts[0]);
    } else {
      address.city = std::string(parts[0]);
    }
  }
  return address;
}

// The country a place of birth ends with: "Giza, Egypt", "Jalisco Mexico",
// "Sarajevo Bosnia-Herzegovina". Trailing words are only tried when they are
// at least three characters long, so "Valle de" does not read as Germany.
std::string PlaceCountry(std::string_view place) {
  std::vector<std::string_view> parts = SplitTrimmed(place, ',');
  if (parts.empty()) return {};
  std::string_view last = parts.back();
  std::string code = CountryCode(last);
  if (!code.empty()) return code;
  std::vector<std::string_view> words = SplitTrimmed(last, ' ');
  for (size_t n = words.size() > 3 ? 3 : words.size(); n >= 1; --n) {
    if (n == words.size()) continue;  // The whole piece was tried above.
    std::string_view first = words[words.size() - n];
    auto offset = static_cast<size_t>(first.data() - last.data());
    std::string_view tail = last.substr(offset);
    if (tail.size() >= 3) {
      code = CountryCode(tail);
      if (!code.empty()) return code;
    }
  }
  return {};
}

// What an "ids" entry's type label stands for.
struct IdLabel {
  enum class Use {
    kIdentifier,
    kProperty,       // A note kept under `property`.
    kSanctionsNote,  // Kept as "label: value" under "sanctions_info".
    kCountry,        // A country with `role`.
    kIncorporationDate,
  };
  Use use = Use::kIdentifier;
  IdKind kind = IdKind::kOther;
  std::string_view property;
  CountryRole role = CountryRole::kUnspecified;
  bool known = false;  // The label matched a rule below.
};

IdLabel ClassifyIdLabel(std::string_view label) {
  std::string l = ToLowerAscii(TrimAscii(label));
  auto has = [&l](std::string_view s) { return l.find(s) != std::string::npos; };
  IdLabel out;
  out.known = true;
  auto property = [&out](std::string_view key) {
    out.use = IdLabel::Use::kProperty;
    out.property = key;
    return out;
  };
  auto identifier = [&out](IdKind kind) {
    out.use = IdLabel::Use::kIdentifier;
    out.kind = kind;
    return out;
  };
  auto country = [&out](CountryRole role) {
    out.use = IdLabel::Use::kCountry;
    out.role = role;
    return out;
  };
  // Notes that are not identifiers.
  if (l == "gender") return property("gender");
  if (has("cmic")) {
    if (has("listing date")) return property("cmic_listing_date");
    if (has("effective date")) return property("cmic_effective_date");
    if (has("divestment")) return property("cmic_divestment_date");
  }
  if (has("sanction") || has("directive") || has("executive order") ||
      has("transactions prohibited") || has("caatsa") || has("ifca") || has("determination") ||
      has("listing date") || has("effective date")) {
    out.use = IdLabel::Use::kSanctionsNote;
    return out;
  }
  if (has("established date") || has("incorporation date") || has("date of incorporation")) {
    out.use = IdLabel::Use::kIncorporationDate;
    return out;
  }
  if (has("organization type")) return property("organization_type");
  if (l == "target type") return property("target_type");
  if (l == "issuer name") return property("issuer_name");
  if (has("former vessel flag")) return property("former_vessel_flag");
  if (has("vessel flag")) return country(CountryRole::kFlag);
  if (has("nationality of registration")) {
    return country(CountryRole::kIncorporation);
  }
  if (has("nationality country") || l == "nationality") {
    return country(CountryRole::kNationality);
  }
  if (l == "vessel type") return property("vessel_type");
  if (has("vessel year of build")) return property("vessel_year_of_build");
  if (l == "aircraft model") return property("aircraft_model");
  if (has("aircraft operator")) return property("aircraft_operator");
  if (has("aircraft manufacture date")) return property("aircraft_manufacture_date");
  // Identifiers.
  if (has("digital currency address")) return identifier(IdKind::kCryptoWallet);
  if (has("email")) return identifier(IdKind::kEmail);
  if (has("website") || l == "url") return identifier(IdKind::kWebsite);
  if (has("phone")) return identifier(IdKind::kPhone);
  if (has("swift")) return identifier(IdKind::kSwiftBic);
  if (l == "lei" || has("legal entity number") || has("legal entity identifier")) {
    return identifier(IdKind::kLei);
  }
  if (has("d-u-n-s") || has("duns")) return identifier(IdKind::kDuns);
  if (l == "imo" || StartsWith(l, "imo ") || has("vessel registration identification")) {
    return identifier(IdKind::kImo);
  }
  if (has("tail number")) return identifier(IdKind::kAircraftTail);
  if (has("cage")) return identifier(IdKind::kCage);
  if (has("passport") || has("travel document")) {
    return identifier(IdKind::kPassport);
  }
  // Before national ids: "Tax ID No.", "tax identification number".
  if (has("tax") || has("fiscal") || has("v.a.t") || StartsWith(l, "vat") || has("r.f.c") ||
      l == "rfc" || StartsWith(l, "nit") || StartsWith(l, "ruc") || has("c.u.i.t") || l == "cuit" ||
      has("fein") || l == "inn") {
    return identifier(IdKind::kTax);
  }
  if (has("national id") || has("personal id") || has("id number") || has("id no") ||
      has("identification number") || has("id card") || has("identity card") || has("cedula") ||
      has("d.n.i") || has("c.u.r.p") || l == "curp" || l == "ssn" || has("social security") ||
      has("electoral") || l == "le number") {
    return identifier(IdKind::kNationalId);
  }
  if (has("registration") || has("registry") || has("register") || has("company number") ||
      has("incorporation") || has("c.r. no") || has("matricula mercantil") || has("gazette") ||
      has("social credit") || has("uscc") || has("charity") || has("chamber of commerce") ||
      has("trade license") || l == "ogrn") {
    return identifier(IdKind::kRegistration);
  }
  if (l == "isin" || has("ticker") || has("serial no") || has("bik") || has("license") ||
      has("licence") || has("immigration") || has("visanumber") || has("msn") ||
      has("construction number") || has("mmsi")) {
    return identifier(IdKind::kOther);
  }
  out.known = false;
  return out;
}

// Removes trailing ':' / '-' / spaces from a label used in a note.
std::string_view CleanLabel(std::string_view label) {
  while (!label.empty() && (label.back() == ':' || label.back() == '-' || label.back() == ' ')) {
    label.remove_suffix(1);
  }
  return label;
}

// One entry of the "ids" column. The current format is "type, value[,
// country[, issue date[, expiry]]]"; the older one is "[country, ]value,
// type". The order is taken from whichever end is a known type label; when
// both or neither are, from the file's column set (`type_first`).
void ApplyIdEntry(std::string_view entry, bool type_first, Entity& entity) {
  std::vector<std::string_view> parts = SplitTrimmed(entry, ',');
  if (parts.empty()) return;
  if (parts.size() == 1) {
    entity.identifiers.push_back(Identifier{IdKind::kOther, std::string(parts[0]), "", ""});
    return;
  }
  IdLabel first = ClassifyIdLabel(parts.front());
  IdLabel last = ClassifyIdLabel(parts.back());
  if (first.known != last.known) type_first = first.known;

  std::string_view label;
  IdLabel info;
  std::vector<std::string_view> rest;  // Everything but the label, in order.
  if (type_first) {
    label = parts.front();
    info = first;
    rest.assign(parts.begin() + 1, parts.end());
  } else {
    label = parts.back();
    info = last;
    rest.assign(parts.begin(), parts.end() - 1);
  }

  switch (info.use) {
    case IdLabel::Use::kProperty:
      entity.AddProperty(std::string(info.property), Join(rest, 0, rest.size(), ", "));
      return;
    case IdLabel::Use::kSanctionsNote:
      entity.AddProperty("sanctions_info", fmt::format("{}: {}", CleanLabel(label),
                                                       Join(rest, 0, rest.size(), ", ")));
      return;
    case IdLabel::Use::kCountry: {
      std::string text = Join(rest, 0, rest.size(), ", ");
      entity.AddCountry(CountryCode(text), info.role, text);
      return;
    }
    case IdLabel::Use::kIncorporationDate: {
      std::string date = NormalizePartialDate(Join(rest, 0, rest.size(), ", "));
      if (!date.empty()) {
        entity.dates.push_back(DateFact{DateKind::kIncorporation, date});
      }
      return;
    }
    case IdLabel::Use::kIdentifier:
      break;
  }

  Identifier id;
  id.kind = info.kind;
  id.label = std::string(label);
  if (type_first) {
    // value, country, issue date, expiry date.
    id.value = std::string(rest[0]);
    if (rest.size() >= 2) id.country = CountryCode(rest[1]);
  } else if (rest.size() >= 2 && !CountryCode(rest[0]).empty()) {
    id.country = CountryCode(rest[0]);
    id.value = Join(rest, 1, rest.size(), ", ");
  } else {
    id.value = Join(rest, 0, rest.size(), ", ");
  }
  if (id.kind == IdKind::kImo && StartsWithIgnoreCaseAscii(id.value, "IMO")) {
    id.value = std::string(TrimAscii(std::string_view(id.value).substr(3)));
  }
  if (id.value.empty()) return;
  entity.identifiers.push_back(std::move(id));
}

// The names after each "Linked To:" in OFAC remarks: "(Linked To: HIZBALLAH)",
// "(Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE; Linked To:
// HIZBALLAH)". A name ends at a ';' or at the ')' that closes the bracket
// around the clause; brackets inside the name are kept.
std::vector<std::string> LinkedNames(std::string_view remarks) {
  std::vector<std::string> names;
  constexpr std::string_view kMarker = "Linked To:";
  size_t pos = 0;
  while ((pos = remarks.find(kMarker, pos)) != std::string_view::npos) {
    pos += kMarker.size();
    size_t end = pos;
    int depth = 0;
    for (; end < remarks.size(); ++end) {
      char c = remarks[end];
      if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (depth == 0) break;
        --depth;
      } else if (c == ';' && depth == 0) {
        break;
      }
    }
    std::string_view name = TrimAscii(remarks.substr(pos, end - pos));
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (!name.empty()) names.push_back(CollapseWhitespace(name));
    pos = end;
  }
  return names;
}

// Key for matching a linked name to a primary name.
std::string NameKey(std::string_view name) {
  name = TrimAscii(name);
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return ToUpperAscii(CollapseWhitespace(name));
}

bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class CslRowParser {
 public:
  CslRowParser(const Layout& layout, const CsvRecord& record) : layout_(layout), record_(record) {}

  // The trimmed value of a column, or "" when the file lacks it.
  std::string_view Get(Column column) const {
    int i = layout_.index[column];
    if (i < 0 || static_cast<size_t>(i) >= record_.fields.size()) return {};
    return TrimAscii(record_.fields[static_cast<size_t>(i)]);
  }

  // The entity id: "csl:" + _id; for the plain-number ids Treasury gives its
  // entries (the same number appears on each Treasury list an entry is on)
  // the list code goes in front: "csl:sdn-9659", "csl:plc-9659". Without an
  // _id column, "csl:" + 16 hex digits of SHA-256 over the fields that
  // identify the row.
  std::string EntityId(const std::string& list_code) const {
    std::string_view id = Get(kId);
    if (!id.empty()) {
      if (IsAllDigits(id) && !list_code.empty()) {
        return fmt::format("csl:{}-{}", ToLowerAscii(list_code), id);
      }
      return fmt::format("csl:{}", id);
    }
    std::string key = fmt::format("{}|{}|{}|{}|{}", Get(kSource), Get(kEntityNumber), Get(kName),
                                  Get(kAddresses), Get(kStartDate));
    return "csl:" + Sha256Hex(key).substr(0, 16);
  }

  Entity Build() const {
    Entity e;
    std::string source = CollapseWhitespace(Get(kSource));
    std::string code = ListCode(source);
    e.id = EntityId(code);
    e.source_id = std::string(Get(kId).empty() ? Get(kEntityNumber) : Get(kId));
    e.schema = SchemaFromType(Get(kType));

    e.AddName(CollapseWhitespace(Get(kName)), NameKind::kPrimary);
    for (std::string_view alias : SplitTrimmed(Get(kAltNames), ';')) {
      e.AddName(CollapseWhitespace(alias), NameKind::kStrongAlias);
    }

    if (!source.empty()) e.lists.push_back(source);
    for (std::string_view program : SplitTrimmed(Get(kPrograms), ';')) {
      e.programs.emplace_back(program);
    }
    AddTopics(source, code, e);

    for (std::string_view text : SplitTrimmed(Get(kAddresses), ';')) {
      std::string label;
      Address address = ParseAddress(text, &label);
      if (!address.country.empty()) {
        e.AddCountry(address.country, CountryRole::kAddress, label);
      }
      e.addresses.push_back(std::move(address));
    }
    for (std::string_view c : SplitTrimmed(Get(kCitizenships), ';')) {
      e.AddCountry(CountryCode(c), CountryRole::kCitizenship, std::string(c));
    }
    for (std::string_view c : SplitTrimmed(Get(kNationalities), ';')) {
      e.AddCountry(CountryCode(c), CountryRole::kNationality, std::string(c));
    }
    if (std::string_view flag = Get(kVesselFlag); !flag.empty()) {
      e.AddCountry(CountryCode(flag), CountryRole::kFlag, std::string(flag));
    }

    for (std::string_view dob : SplitTrimmed(Get(kDatesOfBirth), ';')) {
      std::string date = NormalizePartialDate(dob);
      if (date.empty()) {
        e.AddProperty("birth_date_text", std::string(dob));
      } else {
        e.dates.push_back(DateFact{DateKind::kBirth, std::move(date)});
      }
    }
    for (std::string_view place : SplitTrimmed(Get(kPlacesOfBirth), ';')) {
      e.AddProperty("birth_place", CollapseWhitespace(place));
      std::string c = PlaceCountry(place);
      if (!c.empty()) {
        e.AddCountry(std::move(c), CountryRole::kBirthPlace, std::string(place));
      }
    }
    std::string listed = NormalizePartialDate(Get(kStartDate));
    if (!listed.empty()) e.dates.push_back(DateFact{DateKind::kListed, listed});
    std::string delisted = NormalizePartialDate(Get(kEndDate));
    if (!delisted.empty()) {
      e.dates.push_back(DateFact{DateKind::kDelisted, std::move(delisted)});
    }

    bool type_first = layout_.index[kId] >= 0;
    for (std::string_view entry : SplitTrimmed(Get(kIds), ';')) {
      ApplyIdEntry(entry, type_first, e);
    }

    for (Column column : kPropertyColumns) {
      e.AddProperty(std::string(kColumnNames[column]), std::string(Get(column)));
    }
    if (std::string_view fr = Get(kFederalRegisterNotice); !fr.empty()) {
      Citation citation;
      citation.text = CollapseWhitespace(fr);
      if (listed.size() == 10) citation.effective = listed;
      citation.fact = "listing";
      e.citations.push_back(std::move(citation));
    }
    return e;
  }

 private:
  const Layout& layout_;
  const CsvRecord& record_;
};

Result<Layout> ReadLayout(const std::string& path, const CsvRecord& header) {
  Layout layout;
  layout.index.fill(-1);
  layout.field_count = header.fields.size();
  for (size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = NormalizeHeaderName(header.fields[i]);
    for (size_t c = 0; c < kColumnNames.size(); ++c) {
      if (name == kColumnNames[c] && layout.index[c] < 0) {
        layout.index[c] = static_cast<int>(i);
      }
    }
    layout.header.push_back(std::move(name));
  }
  for (Column required : {kName, kSource}) {
    if (layout.index[required] < 0) {
      return ErrorAtLine(StatusCode::kInvalidArgument, path, header.line,
                         fmt::format("not a Consolidated Screening List file: "
                                     "the header has no \"{}\" column",
                                     kColumnNames[required]));
    }
  }
  return layout;
}

}  // namespace

Status LoadCsl(const Input& input, EntitySink& sink, LoadReport& report) {
  ICTS_RETURN_IF_ERROR(CheckUtf8(input));
  CsvReader reader(StripBomAndEof(input.data), input.path);
  CsvRecord record;
  if (!reader.Next(&record)) {
    if (!reader.status().ok()) return reader.status();
    return ErrorAtLine(StatusCode::kInvalidArgument, input.path, 1,
                       "the file is empty; expected a CSL header row");
  }
  ICTS_ASSIGN_OR_RETURN(Layout layout, ReadLayout(input.path, record));

  // Entity id → line of its first row, to keep ids unique.
  std::unordered_map<std::string, uint64_t> seen;
  // Primary name → (id, list) of the entities with that name, and the
  // "Linked To:" references waiting for them.
  struct Named {
    std::string id;
    std::string list;
  };
  struct Link {
    std::string from_id;
    std::string list;
    std::string to_name;
  };
  std::unordered_map<std::string, std::vector<Named>> by_name;
  std::vector<Link> links;
  while (reader.Next(&record)) {
    if (IsHeaderRepeat(layout, record)) continue;
    ++report.rows;
    if (record.fields.size() != layout.field_count) {
      report.AddReject(input.path, record.line,
                       fmt::format("expected {} fields as in the header, found {}",
                                   layout.field_count, record.fields.size()));
      continue;
    }
    CslRowParser row(layout, record);
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
    std::string list = entity.lists.empty() ? std::string() : entity.lists[0];
    for (std::string& name : LinkedNames(row.Get(kRemarks))) {
      links.push_back(Link{entity.id, list, std::move(name)});
    }
    by_name[NameKey(entity.PrimaryName())].push_back(Named{entity.id, list});
    sink.AddEntity(std::move(entity));
    ++report.entities;
  }
  ICTS_RETURN_IF_ERROR(reader.status());
  if (reader.truncated_line() != 0) {
    ++report.rows;
    report.AddReject(input.path, reader.truncated_line(), kTruncatedRecordReason);
  }

  // A link resolves to the one entity with that primary name, or to the one
  // such entity on the same list; otherwise only the name is kept.
  for (Link& link : links) {
    Relation relation;
    relation.kind = RelationKind::kLinkedTo;
    relation.from_id = link.from_id;
    relation.to_name = link.to_name;
    auto it = by_name.find(NameKey(link.to_name));
    if (it != by_name.end()) {
      const std::vector<Named>& candidates = it->second;
      if (candidates.size() == 1) {
        relation.to_id = candidates[0].id;
      } else {
        const Named* same_list = nullptr;
        int count = 0;
        for (const Named& n : candidates) {
          if (n.list == link.list) {
            same_list = &n;
            ++count;
          }
        }
        if (count == 1) relation.to_id = same_list->id;
      }
    }
    if (relation.to_id == relation.from_id) continue;
    sink.AddRelation(std::move(relation));
    ++report.relations;
  }
  return Status::Ok();
}

}  // namespace icts::refdata
