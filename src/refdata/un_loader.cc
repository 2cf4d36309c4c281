#include "refdata/un_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "base/date.h"
#include "base/strings.h"
#include "refdata/countries.h"

namespace icts::refdata {
namespace {

constexpr std::string_view kIdPrefix = "un:";
constexpr std::string_view kListName = "UN Security Council Consolidated List";
constexpr std::string_view kRootName = "CONSOLIDATED_LIST";

// A birth-year range wider than this is kept as its two ends only, so a
// sloppy "BETWEEN 1900 AND 2000" does not turn into a hundred facts.
constexpr int kMaxBirthYearSpan = 10;

// The input is checked to be UTF-8, but character references can still
// spell what UTF-8 forbids ("&#xD800;" gives a surrogate). Each offending
// byte becomes U+FFFD so that every string we hand on is well-formed.
std::string ReplaceInvalidUtf8(std::string text) {
  size_t bad = FindInvalidUtf8(text);
  if (bad == std::string::npos) return text;
  std::string out;
  std::string_view rest = text;
  while (bad != std::string_view::npos) {
    out.append(rest.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    rest.remove_prefix(bad + 1);
    bad = FindInvalidUtf8(rest);
  }
  out.append(rest);
  return out;
}

// All text and CDATA directly inside `node`, with runs of whitespace
// collapsed. pugixml's child_value() stops at the first text child, which
// would drop text that follows a comment.
std::string TextOf(pugi::xml_node node) {
  std::string raw;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      raw += child.value();
    }
  }
  return ReplaceInvalidUtf8(CollapseWhitespace(raw));
}

std::string ChildText(pugi::xml_node node, const char* name) { return TextOf(node.child(name)); }

// Text of every <VALUE> inside each `name` child of `node`, e.g. all
// NATIONALITY/VALUE entries.
std::vector<std::string> Values(pugi::xml_node node, const char* name) {
  std::vector<std::string> out;
  for (pugi::xml_node group : node.children(name)) {
    for (pugi::xml_node value : group.children("VALUE")) {
      std::string text = TextOf(value);
      if (!text.empty()) out.push_back(std::move(text));
    }
  }
  return out;
}

// The list writes plain ISO days, sometimes with a zone suffix
// ("2001-10-06-04:00"); anything else goes through the general reader.
std::string IsoDay(std::string_view text) {
  text = TrimAscii(text);
  if (text.size() >= 10) {
    if (auto day = Date::ParseIso(text.substr(0, 10)); day.ok()) {
      return day->ToIso();
    }
  }
  return NormalizePartialDate(text);
}

void AddDate(Entity& entity, DateKind kind, std::string value) {
  if (value.empty()) return;
  for (const DateFact& d : entity.dates) {
    if (d.kind == kind && d.value == value) return;
  }
  entity.dates.push_back(DateFact{kind, std::move(value)});
}

void AddUnique(std::vector<std::string>& values, std::string value) {
  if (value.empty()) return;
  for (const std::string& v : values) {
    if (v == value) return;
  }
  values.push_back(std::move(value));
}

// Joins the non-empty parts with ", ".
std::string JoinParts(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += ", ";
    out += part;
  }
  return out;
}

NameKind AliasKind(std::string_view quality) {
  quality = TrimAscii(quality);
  if (EqualsIgnoreCaseAscii(quality, "Low")) return NameKind::kLowQualityAlias;
  if (EqualsIgnoreCaseAscii(quality, "f.k.a.") || EqualsIgnoreCaseAscii(quality, "fka")) {
    return NameKind::kPrevious;
  }
  // "Good", "a.k.a.", "n.k.a." and an empty quality all name the party as it
  // is known today.
  return NameKind::kStrongAlias;
}

IdKind DocumentKind(std::string_view type) {
  std::string lower = ToLowerAscii(type);
  // Covers the English, French ("Numéro de passeport") and Spanish
  // ("Número de pasaporte") spellings the list uses.
  if (lower.find("passport") != std::string::npos || lower.find("passeport") != std::string::npos ||
      lower.find("pasaporte") != std::string::npos) {
    return IdKind::kPassport;
  }
  if (lower.find("national identification") != std::string::npos ||
      lower.find("national id") != std::string::npos) {
    return IdKind::kNationalId;
  }
  return IdKind::kOther;
}

class UnParser {
 public:
  UnParser(const Input& input, EntitySink& sink, LoadReport& report)
      : input_(input), sink_(sink), report_(report) {}

  void ParseRecord(pugi::xml_node record, bool is_person);

 private:
  // 1-based line of `node`'s start tag, or 0 when pugixml cannot tell.
  // Records come in document order, so the count of newlines resumes from
  // the previous record instead of rescanning the whole file each time.
  uint64_t LineOf(pugi::xml_node node);

  void ParseAliases(pugi::xml_node record, const char* alias_tag, Entity& entity);
  void ParseAddresses(pugi::xml_node record, const char* address_tag, Entity& entity);
  void ParseBirthDates(pugi::xml_node record, Entity& entity);
  void ParseBirthPlaces(pugi::xml_node record, Entity& entity);
  void ParseDocuments(pugi::xml_node record, Entity& entity);

  const Input& input_;
  EntitySink& sink_;
  LoadReport& report_;
  std::unordered_set<std::string> seen_ids_;
  size_t line_offset_ = 0;  // Offset whose line is line_number_.
  uint64_t line_number_ = 1;
};

uint64_t UnParser::LineOf(pugi::xml_node node) {
  ptrdiff_t signed_offset = node.offset_debug();
  if (signed_offset < 0) return 0;
  size_t offset = std::min(static_cast<size_t>(signed_offset), input_.data.size());
  if (offset < line_offset_) {
    line_offset_ = 0;
    line_number_ = 1;
  }
  line_number_ +=
      std::count(input_.data.begin() + line_offset_, input_.data.begin() + offset, '\n');
  line_offset_ = offset;
  return line_number_;
}

void UnParser::ParseRecord(pugi::xml_node record, bool is_person) {
  ++report_.rows;
  const uint64_t line = LineOf(record);
  const char* tag = is_person ? "INDIVIDUAL" : "ENTITY";

  Entity entity;
  entity.schema = is_person ? Schema::kPerson : Schema::kOrganization;

  std::string reference = ChildText(record, "REFERENCE_NUMBER");
  if (reference.empty()) reference = ChildText(record, "DATAID");
  if (reference.empty()) {
    report_.AddReject(input_.path, line,
                      fmt::format("{} has neither REFERENCE_NUMBER nor DATAID", tag));
    return;
  }
  entity.id = std::string(kIdPrefix) + reference;
  entity.source_id = reference;

  std::string primary;
  if (is_person) {
    for (const char* part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
      std::string text = ChildText(record, part);
      if (text.empty()) continue;
      if (!primary.empty()) primary += ' ';
      primary += text;
    }
  } else {
    primary = ChildText(record, "FIRST_NAME");
  }
  entity.AddName(primary, NameKind::kPrimary);
  for (pugi::xml_node original : record.children("NAME_ORIGINAL_SCRIPT")) {
    entity.AddName(TextOf(original), NameKind::kStrongAlias);
  }
  ParseAliases(record, is_person ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS", entity);
  if (entity.names.empty()) {
    report_.AddReject(input_.path, line, fmt::format("{} {} has no name", tag, reference));
    return;
  }
  if (!seen_ids_.insert(entity.id).second) {
    report_.AddReject(input_.path, line, fmt::format("duplicate {} reference {}", tag, reference));
    return;
  }

  entity.lists.emplace_back(kListName);
  entity.topics.emplace_back("sanction");
  for (pugi::xml_node list_type : record.children("UN_LIST_TYPE")) {
    AddUnique(entity.programs, TextOf(list_type));
  }

  for (pugi::xml_node listed : record.children("LISTED_ON")) {
    AddDate(entity, DateKind::kListed, IsoDay(TextOf(listed)));
  }
  // The list keeps a history of update days; the latest is the entry's
  // last modification.
  std::string last_updated;
  for (const std::string& value : Values(record, "LAST_DAY_UPDATED")) {
    std::string day = IsoDay(value);
    if (day > last_updated) last_updated = std::move(day);
  }
  AddDate(entity, DateKind::kModified, std::move(last_updated));

  for (const std::string& nationality : Values(record, "NATIONALITY")) {
    entity.AddCountry(CountryCode(nationality), CountryRole::kNationality, nationality);
  }

  ParseAddresses(record, is_person ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS", entity);
  if (is_person) {
    ParseBirthDates(record, entity);
    ParseBirthPlaces(record, entity);
    ParseDocuments(record, entity);
  }

  for (std::string& value : Values(record, "TITLE")) {
    entity.AddProperty("title", std::move(value));
  }
  for (std::string& value : Values(record, "DESIGNATION")) {
    entity.AddProperty("designation", std::move(value));
  }
  for (pugi::xml_node gender : record.children("GENDER")) {
    entity.AddProperty("gender", TextOf(gender));
  }
  for (pugi::xml_node comments : record.children("COMMENTS1")) {
    entity.AddProperty("remarks", TextOf(comments));
  }

  sink_.AddEntity(std::move(entity));
  ++report_.entities;
}

void UnParser::ParseAliases(pugi::xml_node record, const char* alias_tag, Entity& entity) {
  for (pugi::xml_node alias : record.children(alias_tag)) {
    std::string name = ChildText(alias, "ALIAS_NAME");
    if (name.empty()) continue;
    entity.AddName(std::move(name), AliasKind(ChildText(alias, "QUALITY")));
    // Some aliases come with their own birth details; they describe the same
    // person, so keep them as further facts.
    AddDate(entity, DateKind::kBirth, IsoDay(ChildText(alias, "DATE_OF_BIRTH")));
    std::string birth_country = ChildText(alias, "COUNTRY_OF_BIRTH");
    if (!birth_country.empty()) {
      entity.AddCountry(CountryCode(birth_country), CountryRole::kBirthPlace, birth_country);
    }
  }
}

void UnParser::ParseAddresses(pugi::xml_node record, const char* address_tag, Entity& entity) {
  for (pugi::xml_node node : record.children(address_tag)) {
    Address address;
    address.street = ChildText(node, "STREET");
    address.city = ChildText(node, "CITY");
    address.region = ChildText(node, "STATE_PROVINCE");
    address.postal_code = ChildText(node, "ZIP_CODE");
    std::string country = ChildText(node, "COUNTRY");
    std::string note = ChildText(node, "NOTE");
    address.country = CountryCode(country);
    address.full =
        JoinParts({address.street, address.city, address.region, address.postal_code, country});
    if (!note.empty()) entity.AddProperty("address_note", note);
    if (address.full.empty()) continue;
    if (!country.empty()) {
      entity.AddCountry(address.country, CountryRole::kAddress, country);
    }
    entity.addresses.push_back(std::move(address));
  }
}

void UnParser::ParseBirthDates(pugi::xml_node record, Entity& entity) {
  for (pugi::xml_node node : record.children("INDIVIDUAL_DATE_OF_BIRTH")) {
    std::string type = ChildText(node, "TYPE_OF_DATE");
    if (EqualsIgnoreCaseAscii(type, "BETWEEN")) {
      std::string from = NormalizePartialDate(ChildText(node, "FROM_YEAR"));
      std::string to = NormalizePartialDate(ChildText(node, "TO_YEAR"));
      int from_year = from.size() == 4 ? std::stoi(from) : 0;
      int to_year = to.size() == 4 ? std::stoi(to) : 0;
      if (from_year > 0 && to_year >= from_year && to_year - from_year <= kMaxBirthYearSpan) {
        for (int year = from_year; year <= to_year; ++year) {
          AddDate(entity, DateKind::kBirth, fmt::format("{:04d}", year));
        }
      } else {
        AddDate(entity, DateKind::kBirth, std::move(from));
        AddDate(entity, DateKind::kBirth, std::move(to));
      }
      continue;
    }
    // EXACT and APPROXIMATELY carry a full DATE or just a YEAR.
    std::string date = IsoDay(ChildText(node, "DATE"));
    if (date.empty()) date = NormalizePartialDate(ChildText(node, "YEAR"));
    AddDate(entity, DateKind::kBirth, std::move(date));
  }
}

void UnParser::ParseBirthPlaces(pugi::xml_node record, Entity& entity) {
  for (pugi::xml_node node : record.children("INDIVIDUAL_PLACE_OF_BIRTH")) {
    std::string country = ChildText(node, "COUNTRY");
    std::string place = JoinParts({ChildText(node, "STREET"), ChildText(node, "CITY"),
                                   ChildText(node, "STATE_PROVINCE"), country});
    entity.AddProperty("birth_place", std::move(place));
    if (!country.empty()) {
      entity.AddCountry(CountryCode(country), CountryRole::kBirthPlace, country);
    }
  }
}

void UnParser::ParseDocuments(pugi::xml_node record, Entity& entity) {
  for (pugi::xml_node node : record.children("INDIVIDUAL_DOCUMENT")) {
    std::string number = ChildText(node, "NUMBER");
    if (number.empty()) continue;
    std::string type = ChildText(node, "TYPE_OF_DOCUMENT");
    std::string type2 = ChildText(node, "TYPE_OF_DOCUMENT2");
    std::string country = ChildText(node, "ISSUING_COUNTRY");
    if (country.empty()) country = ChildText(node, "COUNTRY_OF_ISSUE");

    Identifier id;
    id.kind = DocumentKind(type.empty() ? type2 : type);
    id.value = std::move(number);
    id.country = CountryCode(country);
    if (!type.empty() && !type2.empty()) {
      id.label = fmt::format("{} ({})", type, type2);
    } else {
      id.label = type.empty() ? type2 : type;
    }
    entity.identifiers.push_back(std::move(id));
  }
}

}  // namespace

Status LoadUn(const Input& input, EntitySink& sink, LoadReport& report) {
  ICTS_RETURN_IF_ERROR(CheckUtf8(input));

  pugi::xml_document doc;
  // parse_default leaves DOCTYPE declarations unexpanded, so the file cannot
  // pull in external or recursive entities.
  pugi::xml_parse_result parsed = doc.load_buffer(input.data.data(), input.data.size(),
                                                  pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    size_t offset = parsed.offset < 0 ? 0 : static_cast<size_t>(parsed.offset);
    return ErrorAt(StatusCode::kDataLoss, input.path, input.data, offset, parsed.description());
  }

  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != kRootName) {
    ptrdiff_t offset = root.offset_debug();
    return ErrorAt(StatusCode::kInvalidArgument, input.path, input.data,
                   offset < 0 ? 0 : static_cast<size_t>(offset),
                   fmt::format("root element is <{}>, expected <{}>; not a UN "
                               "consolidated list",
                               root.name(), kRootName));
  }

  std::string generated = root.attribute("dateGenerated").value();
  report.published = IsoDay(generated);
  if (report.published.size() != 10) report.published.clear();

  UnParser parser(input, sink, report);
  for (pugi::xml_node group : root.children("INDIVIDUALS")) {
    for (pugi::xml_node record : group.children("INDIVIDUAL")) {
      parser.ParseRecord(record, /*is_person=*/true);
    }
  }
  for (pugi::xml_node group : root.children("ENTITIES")) {
    for (pugi::xml_node record : group.children("ENTITY")) {
      parser.ParseRecord(record, /*is_person=*/false);
    }
  }
  return Status::Ok();
}

}  // namespace icts::refdata
